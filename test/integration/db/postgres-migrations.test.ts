import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database.ts';
import { migratePostgres, PostgresSchemaTooNew, registerVersion } from '../../../main/db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../main/db/postgres/migrations.ts';
import { usePostgres } from '../../support/postgres.ts';

const pg = usePostgres();
const LATEST = PG_MIGRATIONS.length;

/** Everything a migration can change, as text: columns, constraints, indexes, triggers, functions. */
async function fingerprint(db: Pool): Promise<string[]> {
  const parts = await db.query<{ line: string }>(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' ||
           coalesce(collation_name, '-') || ' ' || is_nullable || ' ' || coalesce(column_default, '-') AS line
      FROM information_schema.columns WHERE table_schema = current_schema()
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure || ' ' || provolatile::text || ' ' || procost || ' ' || md5(prosrc)
      FROM pg_proc p WHERE pronamespace = current_schema()::regnamespace
    UNION ALL
    SELECT 'extension ' || extname FROM pg_extension
  `);
  return parts.rows.map((r) => r.line).sort();
}

/** A row in each table that exists from version 1 on: what an office's register holds. */
async function fill(db: Pool): Promise<void> {
  await db.query(
    `INSERT INTO requests (id, environment, service_hash, service_name, client_cognome, client_cf, status,
                           created_at, updated_at, remote_id)
     VALUES ('r1', 'sandbox', 'h', 'ISEE ordinario', 'Rossi', 'RSSMRA85T10A562S', 'pending', 1, 1, 'abc')`,
  );
  await db.query("INSERT INTO events (request_id, kind, at, operator) VALUES ('r1', 'created', 1, 'anna')");
  await db.query(
    `INSERT INTO documents (id, request_id, file_name, path, kind, size, sha256, created_at)
     VALUES ('d1', 'r1', 'visura.pdf', '/archivio/visura.pdf', 'pdf', 10, 'x', 2)`,
  );
  await db.query(
    `INSERT INTO remote_requests (environment, remote_id, request_id, origin, fate, noted_at, updated_at)
     VALUES ('sandbox', 'abc', 'r1', 'created', 'closed', 1, 1)`,
  );
}

describe('office database migrations (PostgreSQL)', () => {
  it('builds the latest schema from an empty database, once', async () => {
    const { pool } = await pg.database();
    expect(await registerVersion(pool)).toBe(0);
    expect(await migratePostgres(pool, PG_MIGRATIONS)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(await registerVersion(pool)).toBe(LATEST);
    const recorded = await pool.query('SELECT version, name FROM schema_version ORDER BY version');
    expect(recorded.rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(await migratePostgres(pool, PG_MIGRATIONS)).toEqual([]);
  });

  it('has the tables and columns of the SQLite log at its latest version, and its indexes', async () => {
    const { pool } = await pg.database();
    await migratePostgres(pool, PG_MIGRATIONS);
    const sqlite = openDatabase(':memory:');
    const tables = (
      sqlite
        .prepare(
          `SELECT name FROM sqlite_schema WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'requests_text%' ORDER BY name`,
        )
        .pluck()
        .all() as string[]
    ).map((table) => ({
      table,
      columns: (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
    }));
    const sqliteIndexes = sqlite
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
      .pluck()
      .all() as string[];
    sqlite.close();

    const pgColumns = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name <> 'schema_version'
        ORDER BY table_name, ordinal_position`,
    );
    const pgTables = [...new Set(pgColumns.rows.map((r) => r.table_name))].map((table) => ({
      table,
      columns: pgColumns.rows.filter((r) => r.table_name === table).map((r) => r.column_name),
    }));
    expect(pgTables).toEqual(tables);
    const pgIndexes = (
      await pool.query<{ indexname: string }>(
        'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()',
      )
    ).rows.map((r) => r.indexname);
    expect(pgIndexes).toEqual(expect.arrayContaining([...sqliteIndexes, 'requests_text']));
  });

  it('reads the few rows of Home and retention through the partial indexes, as SQLite does', async () => {
    const { pool } = await pg.database();
    await migratePostgres(pool, PG_MIGRATIONS);
    const client = await pool.connect();
    try {
      // An empty table would be scanned whatever the indexes: forbid that to see which index fits.
      await client.query('SET enable_seqscan = off');
      const plan = async (sql: string) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      // The conditions of RequestRepository.attention(), documentsDue() and purgeable(), word for word.
      expect(
        await plan(`SELECT * FROM requests WHERE status IN ('sending', 'open')
           OR documents_state = 'failed'
           OR (status <> 'draft' AND last_error IS NOT NULL)
           OR (status = 'pending' AND search_json IS NOT NULL AND remote_state = 'In ricerca')
         ORDER BY updated_at DESC LIMIT 20`),
      ).toMatch(/requests_attention/);
      expect(
        await plan(`SELECT id FROM requests
          WHERE status = 'done' AND documents_state <> 'ready' AND purged_at IS NULL ORDER BY created_at`),
      ).toMatch(/requests_documents_due/);
      expect(
        await plan(`SELECT * FROM requests
          WHERE purged_at IS NULL AND status IN ('done', 'cancelled') AND coalesce(completed_at, created_at) < 5`),
      ).toMatch(/requests_purgeable/);
      expect(await plan('SELECT id FROM requests WHERE purged_at IS NOT NULL')).toMatch(/requests_purged/);
      expect(
        await plan(`SELECT * FROM wallet_transactions WHERE environment = 'sandbox'
          AND verdict IN ('unmatched', 'doubled') AND checked_at IS NULL ORDER BY at`),
      ).toMatch(/wallet_transactions_open/);
    } finally {
      client.release();
    }
  });

  for (let from = 1; from < LATEST; from++) {
    it(`upgrades a database left at version ${from}, keeping its rows, to the schema of a new one`, async () => {
      const fresh = await pg.database();
      await migratePostgres(fresh.pool, PG_MIGRATIONS);
      const { pool } = await pg.database();
      expect(await migratePostgres(pool, PG_MIGRATIONS.slice(0, from))).toHaveLength(from);
      await fill(pool);
      expect(await migratePostgres(pool, PG_MIGRATIONS)).toEqual(
        PG_MIGRATIONS.slice(from).map((m) => m.version),
      );
      expect(await fingerprint(pool)).toEqual(await fingerprint(fresh.pool));
      const kept = await pool.query(
        `SELECT (SELECT count(*) FROM requests) AS requests, (SELECT count(*) FROM events) AS events,
                (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM remote_requests) AS remote`,
      );
      expect(kept.rows[0]).toEqual({ requests: 1, events: 1, documents: 1, remote: 1 });
    });
  }

  it('refuses a database migrated by a newer Sportello, and leaves it untouched', async () => {
    const { pool } = await pg.database();
    await migratePostgres(pool, PG_MIGRATIONS.slice(0, 1));
    await pool.query("INSERT INTO schema_version (version, name) VALUES ($1, 'from the future')", [
      LATEST + 1,
    ]);
    const before = await fingerprint(pool);
    const error = await migratePostgres(pool, PG_MIGRATIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresSchemaTooNew);
    expect(error).toMatchObject({ found: LATEST + 1, latest: LATEST });
    expect(await fingerprint(pool)).toEqual(before);
  });

  it('rolls back a migration that fails half-way, recording nothing of it', async () => {
    const { pool } = await pg.database();
    const broken = {
      version: LATEST + 1,
      name: 'broken',
      up: 'CREATE TABLE half_done (x int); ALTER TABLE requests ADD COLUMN half text; SELECT 1 / 0;',
    };
    await expect(migratePostgres(pool, [...PG_MIGRATIONS, broken])).rejects.toThrow(/division by zero/);
    expect(await registerVersion(pool)).toBe(LATEST);
    const left = await pool.query(
      `SELECT to_regclass('half_done') AS t,
              (SELECT count(*) FROM information_schema.columns WHERE column_name = 'half') AS c`,
    );
    expect(left.rows[0]).toEqual({ t: null, c: 0 });
    // The lock went with the failure: the next start migrates normally.
    expect(await migratePostgres(pool, PG_MIGRATIONS)).toEqual([]);
  });

  it('migrates once when several counters start at the same moment', async () => {
    const { config } = await pg.database();
    const counters = Array.from({ length: 6 }, () => pg.pool(config, 2));
    const applied = await Promise.all(counters.map((p) => migratePostgres(p, PG_MIGRATIONS)));
    expect(applied.flat().sort((a, b) => a - b)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    const versions = await counters[0]!.query('SELECT count(*) AS n FROM schema_version');
    expect(versions.rows[0]).toEqual({ n: LATEST });
  });

  it('keeps the trail append-only, but for the data of a purged request’s events', async () => {
    const { pool } = await pg.database();
    await migratePostgres(pool, PG_MIGRATIONS);
    await fill(pool);
    await expect(pool.query("UPDATE events SET operator = 'x'")).rejects.toThrow(/append-only/);
    await expect(pool.query("UPDATE events SET data_json = '{}'")).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM events')).rejects.toThrow(/append-only/);
    await expect(pool.query('TRUNCATE events')).rejects.toThrow(/append-only/);
    await pool.query("UPDATE requests SET purged_at = 5 WHERE id = 'r1'");
    await pool.query('UPDATE events SET data_json = NULL');
    await expect(pool.query("UPDATE events SET kind = 'x'")).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM events')).rejects.toThrow(/append-only/);
    expect((await pool.query('SELECT count(*) AS n FROM events')).rows[0]).toEqual({ n: 1 });
  });
});
