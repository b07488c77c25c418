/*
 * The storage port's two adapters for contract tests (test/integration/store/): the same test,
 * unchanged, runs on this counter's SQLite file and on the office's PostgreSQL. Call at a test
 * file's top level: it starts the file's PostgreSQL cluster (no skip: a cluster that cannot start
 * fails the file with the reason).
 */
import { afterEach } from 'vitest';
import { openDatabase } from '../../main/db/database.ts';
import { openPool } from '../../main/db/postgres/connection.ts';
import type { Register } from '../../main/store/port.ts';
import { PgRegister } from '../../main/store/postgres/register.ts';
import { SqliteRegister } from '../../main/store/sqlite-register.ts';
import { numbered } from '../../main/store/postgres/sql.ts';
import { runAsOwner, usePostgres } from './postgres.ts';
import { tempDir } from './tmp.ts';

export interface Adapter {
  name: 'sqlite' | 'postgres';
  /** A new, empty, migrated register, closed after the test; its trail records `counter` (default 'Sportello 1'). */
  open(now?: () => number, counter?: () => string): Promise<Register>;
}

/**
 * Runs `sql` (`?` placeholders) on a register as its owner: on PostgreSQL with the owner role's
 * connection (what the counters' role may not write, a version of before wrote), on SQLite on the file.
 */
export async function asOwner(register: Register, sql: string, params: unknown[] = []): Promise<void> {
  if (register instanceof SqliteRegister) register.db.prepare(sql).run(...params);
  else if (register instanceof PgRegister) {
    const database = (register.sql.pool as unknown as { options: { database?: string } }).options.database;
    if (!database) throw new Error('this PostgreSQL register names no database');
    await runAsOwner(database, numbered(sql), params);
  } else throw new Error(`no owner access to ${register.kind}`);
}

export function useRegisters(): Adapter[] {
  const pg = usePostgres();
  const opened: Register[] = [];
  // Registered after usePostgres's: runs before it (hooks unwind), so the databases are free to drop.
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((r) => r.close()));
  });
  const keep = (register: Register) => {
    opened.push(register);
    return register;
  };
  return [
    {
      name: 'sqlite',
      async open(now = Date.now, counter = () => 'Sportello 1') {
        const db = openDatabase(`${tempDir()}/pratiche.sqlite`);
        return keep(new SqliteRegister(db, now, counter));
      },
    },
    {
      name: 'postgres',
      async open(now = Date.now, counter = () => 'Sportello 1') {
        // As an office runs: prepared by its owner role, used with the counters' (db/postgres/privileges.ts).
        const { config } = await pg.register();
        const pool = openPool(config, { onIdleError: () => {} });
        return keep(new PgRegister(pool, now, counter));
      },
    },
  ];
}
