/*
 * The IT person's set-up of the office register, as README.md writes it (section «Ruoli e
 * database»), run statement by statement against a real PostgreSQL: a README that drifts from
 * what the app needs fails here.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConnection, openPool, type OfficeDbConfig } from '../../../main/db/postgres/connection.ts';
import { migratePostgres } from '../../../main/db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../main/db/postgres/migrations.ts';
import { prepareRegister } from '../../../main/db/postgres/prepare.ts';
import { usePostgres } from '../../support/postgres.ts';

const pg = usePostgres();

/** The SQL blocks of README's «Ruoli e database», in order. */
function readmeBlocks(): string[] {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
  const from = readme.indexOf('**Ruoli e database**');
  const to = readme.indexOf('**Connessioni**', from);
  expect(from, 'README’s «Ruoli e database»').toBeGreaterThan(0);
  return [...readme.slice(from, to).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/**
 * Runs a README block as psql would, as the superuser: one statement a line, `\c` switching
 * database; each role's '…' becomes a password of its own, returned by role.
 */
async function runAsReadme(block: string): Promise<Record<string, string>> {
  const passwords: Record<string, string> = {};
  let database = 'postgres';
  for (const line of block.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('--')) continue;
    const connect = /^\\c (\w+)$/.exec(line);
    if (connect) {
      database = connect[1]!;
      continue;
    }
    const role = /^CREATE ROLE (\w+) .*PASSWORD '…'/.exec(line)?.[1];
    let sql = line;
    if (role) {
      passwords[role] = randomBytes(12).toString('base64url');
      sql = line.replace("'…'", `'${passwords[role]}'`);
    }
    expect(sql, 'one statement a line').toMatch(/;$/);
    await pg.cluster.sql(sql, [], database);
  }
  return passwords;
}

/** A pool of one connection, ended before the database is dropped. */
const poolOn = (config: OfficeDbConfig) => openPool(config, { max: 1, onIdleError: () => undefined });

async function cleanUp(): Promise<void> {
  await pg.cluster.sql('DROP DATABASE IF EXISTS sportello');
  await pg.cluster.sql('DROP ROLE IF EXISTS sportello');
  await pg.cluster.sql('DROP ROLE IF EXISTS sportello_admin');
}

describe('README’s set-up of the office register', () => {
  it('as written, gives a register the owner prepares and the counters work on, and nothing more', async () => {
    const [setUp] = readmeBlocks();
    try {
      const passwords = await runAsReadme(setUp!);
      expect(Object.keys(passwords).sort()).toEqual(['sportello', 'sportello_admin']);
      const counter = pg.cluster.config('sportello', { user: 'sportello', password: passwords.sportello! });
      // The counter may test its connection before the register exists: it says it needs preparing.
      expect(await checkConnection(counter, { counter: true })).toMatchObject({
        ok: true,
        register: { version: 0 },
      });
      const owner = pg.cluster.config('sportello', {
        user: 'sportello_admin',
        password: passwords.sportello_admin!,
      });
      expect(await prepareRegister(owner, 'sportello')).toMatchObject({ version: PG_MIGRATIONS.length });
      expect(await checkConnection(counter, { counter: true })).toMatchObject({
        ok: true,
        register: { version: PG_MIGRATIONS.length },
      });
      const pool = poolOn(counter);
      await expect(pool.query('DROP TABLE events')).rejects.toMatchObject({ code: '42501' });
      await pool.end();
    } finally {
      await cleanUp();
    }
  });

  it('moves an office of an older Sportello (one role owning everything) to the two roles, rows kept', async () => {
    const [, upgrade] = readmeBlocks();
    expect(upgrade, 'README’s block for an office of an older Sportello').toBeDefined();
    try {
      // As the previous README made it: one role, owner of the database, that the counters migrated.
      const old = randomBytes(12).toString('base64url');
      await pg.cluster.sql(
        `CREATE ROLE sportello LOGIN PASSWORD '${old}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`,
      );
      await pg.cluster.sql("CREATE DATABASE sportello OWNER sportello ENCODING 'UTF8' TEMPLATE template0");
      await pg.cluster.sql('REVOKE ALL ON DATABASE sportello FROM PUBLIC');
      const counter = pg.cluster.config('sportello', { user: 'sportello', password: old });
      const before = poolOn(counter);
      await migratePostgres(before, PG_MIGRATIONS);
      await before.query("INSERT INTO events (request_id, kind, at) VALUES ('r1', 'created', 1)");
      await before.end();
      expect(await checkConnection(counter, { counter: true })).toMatchObject({ ok: false, problem: 'role' });

      const passwords = await runAsReadme(`\\c sportello\n${upgrade!}`);
      const owner = pg.cluster.config('sportello', {
        user: 'sportello_admin',
        password: passwords.sportello_admin!,
      });
      expect(await prepareRegister(owner, 'sportello')).toMatchObject({ applied: [] });
      expect(await checkConnection(counter, { counter: true })).toMatchObject({ ok: true });
      const after = poolOn(counter);
      expect((await after.query('SELECT request_id FROM events')).rows).toEqual([{ request_id: 'r1' }]);
      await expect(after.query('DELETE FROM events')).rejects.toMatchObject({ code: '42501' });
      await after.end();
    } finally {
      await cleanUp();
    }
  });
});
