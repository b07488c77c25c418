import type pg from 'pg';
import { LOCKS, LOCK_NAMESPACE } from './locks.ts';

export interface PgMigration {
  /** 1, 2, 3…: applied in order, each exactly once, recorded in the table schema_version. */
  version: number;
  name: string;
  /** SQL, possibly several statements; run in one transaction with the version's record. */
  up: string;
}

/** The office database was migrated by a newer Sportello than this one: this one must not touch it. */
export class PostgresSchemaTooNew extends Error {
  readonly found: number;
  readonly latest: number;

  constructor(found: number, latest: number) {
    super(
      `the office database is newer (version ${found}) than this app (version ${latest}): update Sportello`,
    );
    this.name = 'PostgresSchemaTooNew';
    this.found = found;
    this.latest = latest;
  }
}

/**
 * The register is older than this app (0: never prepared): a counter does not migrate it, its
 * role may not (privileges.ts); the office's owner role does, once (prepare.ts).
 */
export class RegisterNotPrepared extends Error {
  readonly found: number;
  readonly latest: number;

  constructor(found: number, latest: number) {
    super(`the office database is at version ${found}, this app needs ${latest}: prepare it as its owner`);
    this.name = 'RegisterNotPrepared';
    this.found = found;
    this.latest = latest;
  }
}

/** The register's schema version: 0 for a database Sportello never migrated. */
export async function registerVersion(db: pg.ClientBase | pg.Pool): Promise<number> {
  const table = await db.query<{ t: string | null }>("SELECT to_regclass('schema_version')::text AS t");
  if (!table.rows[0]?.t) return 0;
  const result = await db.query<{ v: number }>(
    'SELECT coalesce(max(version), 0)::int AS v FROM schema_version',
  );
  return result.rows[0]?.v ?? 0;
}

/**
 * Applies the migrations newer than the database, each in its own transaction with its row in
 * schema_version; returns the versions applied. Several counters start at once in an office: an
 * advisory lock held for the whole run makes the others wait and then find nothing to do. A
 * database migrated by a newer app is refused, untouched.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly PgMigration[]): Promise<number[]> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migrations must be numbered 1..n without gaps (found ${m.version})`);
  });
  const latest = sorted.length;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // Session-level: if this counter dies mid-way, its session ends and the lock goes with it.
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.migrate]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_version (
           version    integer PRIMARY KEY,
           name       text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const current = await registerVersion(client);
      if (current > latest) throw new PostgresSchemaTooNew(current, latest);
      const applied: number[] = [];
      for (const migration of sorted.slice(current)) {
        await client.query('BEGIN');
        try {
          // Other counters keep working while one migrates: a change that needs a table they are
          // reading gives up after a while (and the app says so) rather than freezing the office.
          await client.query("SET LOCAL lock_timeout = '15s'");
          await client.query(migration.up);
          await client.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            // The connection is gone (and the transaction with it): report the migration's error,
            // and let the pool drop the connection below.
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          });
          throw error;
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LOCKS.migrate])
        .catch((error: unknown) => {
          // The session is unusable: dropping it (below) releases the lock on the server.
          broken = error instanceof Error ? error : new Error(String(error));
        });
    }
  } finally {
    client.release(broken);
  }
}
