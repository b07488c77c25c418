import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import { copyBackFromOffice, moveIntoOffice, MOVED_TABLES } from '../../../main/store/move.ts';
import { usePostgres } from '../../support/postgres.ts';
import { tempDir } from '../../support/tmp.ts';
import { localRows, officeRows, seedLog } from './move.seed.ts';

const pg = usePostgres();

const columnsOf = (db: ReturnType<typeof openDatabase>) => (table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

async function office() {
  const { pool, config } = await pg.database();
  await PgRegister.migrate(pool);
  return { pool, config };
}

function counts(rows: Record<string, unknown[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, r.length]));
}

describe('moving a counter’s log into the office register', () => {
  it('copies every row of every table, contents included, and nothing twice when run again', async () => {
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    await seedLog(db, 40);
    const { pool } = await office();

    const first = await moveIntoOffice(db, pool, { batch: 9 });
    const local = localRows(db);
    expect(await officeRows(pool, columnsOf(db))).toEqual(local);
    for (const table of MOVED_TABLES) expect(first[table]!.written, table).toBe(local[table]!.length);
    expect(local.requests).toHaveLength(40);
    expect(local.events!.length).toBeGreaterThan(80);
    expect(local.client_consents!.some((c) => c.revoked_at !== null)).toBe(true);
    // Documents on file, their sealed bytes (bytea there) and their key's grant.
    expect(local.client_files!.length).toBeGreaterThan(0);
    expect(local.client_files!.every((f) => Buffer.isBuffer(f.sealed))).toBe(true);
    expect(local.document_key_grants).toHaveLength(1);

    const again = await moveIntoOffice(db, pool, { batch: 9 });
    for (const table of MOVED_TABLES) expect(again[table]!.written, table).toBe(0);
    expect(await officeRows(pool, columnsOf(db))).toEqual(local);
    db.close();
  });

  it('merges into an office that already holds other counters’ requests, and a newer row wins', async () => {
    const { pool } = await office();
    const other = openDatabase(join(tempDir(), 'altro.sqlite'));
    await seedLog(other, 12, 'alt');
    await moveIntoOffice(other, pool);
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    await seedLog(db, 15);
    // The office moved on with one of this counter's requests (a rejoin after leaving).
    await moveIntoOffice(db, pool);
    await pool.query(
      "UPDATE requests SET status = 'cancelled', updated_at = updated_at + 10 WHERE id = 'loc-0001'",
    );
    db.prepare("UPDATE requests SET operator = 'vecchio' WHERE id = 'loc-0001'").run();
    await moveIntoOffice(db, pool);

    const rows = await officeRows(pool, columnsOf(db));
    const total = (t: string) => localRows(db)[t]!.length + localRows(other)[t]!.length;
    for (const table of [
      'requests',
      'events',
      'attachments',
      'documents',
      'remote_requests',
      'client_consents',
    ])
      expect(rows[table], table).toHaveLength(total(table));
    const kept = (
      await pool.query<{ status: string; operator: string }>(
        "SELECT status, operator FROM requests WHERE id = 'loc-0001'",
      )
    ).rows[0];
    expect(kept).toEqual({ status: 'cancelled', operator: 'anna' });
    other.close();
    db.close();
  });

  it('finishes a move cut by SIGKILL: every row exactly once', async () => {
    const file = join(tempDir(), 'pratiche.sqlite');
    const db = openDatabase(file);
    await seedLog(db, 60);
    const { pool, config } = await office();

    const child = join(import.meta.dirname, 'move-child.ts');
    const batches = await new Promise<number>((resolve, reject) => {
      const proc = spawn(process.execPath, [child, file, JSON.stringify(config)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let seen = 0;
      let err = '';
      proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      proc.stdout.on('data', (chunk: Buffer) => {
        seen += chunk
          .toString()
          .split('\n')
          .filter((l) => l.startsWith('batch events')).length;
        // In the middle of the trail: requests and their files are in, part of the events too.
        if (seen >= 3) proc.kill('SIGKILL');
      });
      proc.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`the move was not killed: ${err}`)),
      );
    });
    expect(batches).toBeGreaterThanOrEqual(3);
    const partial = counts(await officeRows(pool, columnsOf(db)));
    expect(partial.events).toBeGreaterThan(0);
    expect(partial.events).toBeLessThan(localRows(db).events!.length);

    await moveIntoOffice(db, pool);
    expect(await officeRows(pool, columnsOf(db))).toEqual(localRows(db));
    const origins = await pool.query(
      'SELECT origin, count(*)::int AS n FROM events GROUP BY origin HAVING count(*) > 1',
    );
    expect(origins.rows).toEqual([]);
    db.close();
  });
});

describe('leaving the office', () => {
  it('keeps a local copy of the office register, once however often it runs', async () => {
    const { pool } = await office();
    const other = openDatabase(join(tempDir(), 'altro.sqlite'));
    await seedLog(other, 10, 'alt');
    await moveIntoOffice(other, pool);
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    await seedLog(db, 10);
    await moveIntoOffice(db, pool);
    // Work done in the office after the move: an event of the office's own.
    await pool.query(
      "INSERT INTO events (request_id, kind, at, operator, counter) VALUES ('alt-0001', 'opened', 1, 'bea', 'Sportello 1')",
    );

    await copyBackFromOffice(pool, db);
    const inOffice = await officeRows(pool, columnsOf(db));
    expect(localRows(db)).toEqual(inOffice);
    const again = await copyBackFromOffice(pool, db);
    for (const table of MOVED_TABLES) expect(again[table]!.written, table).toBe(0);
    expect(localRows(db)).toEqual(inOffice);

    // Joining again later moves back only what is new.
    const rejoin = await moveIntoOffice(db, pool);
    for (const table of MOVED_TABLES) expect(rejoin[table]!.written, table).toBe(0);
    other.close();
    db.close();
  });
});
