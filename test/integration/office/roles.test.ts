/*
 * Two roles on the office register (issue 21): its owner migrates it, once, in "Prepara il
 * database"; the counters work with a role that reads and writes rows and nothing else
 * (db/postgres/privileges.ts). Against the real PostgreSQL: what the counters' role may not do,
 * that every table has its privileges declared, and that a counter neither migrates nor works
 * with a role that could. (The office tests and the store's contract tests on PostgreSQL run
 * with the counters' role too: test/support/postgres.ts `register`.)
 */
import { describe, expect, it, vi } from 'vitest';
import type { OfficeLinkState } from '../../../common/office.ts';
import { checkConnection, type OfficeDbConfig } from '../../../main/db/postgres/connection.ts';
import { migratePostgres } from '../../../main/db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../main/db/postgres/migrations.ts';
import {
  COUNTER_PRIVILEGES,
  grantCounterRole,
  registerRelations,
} from '../../../main/db/postgres/privileges.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { createRegisterDatabase } from '../../support/office-roles.ts';
import { usePostgres } from '../../support/postgres.ts';

const pg = usePostgres();

/** The server's answer to `sql` on `config`'s connection: null when it ran, else its error code. */
async function refusal(config: OfficeDbConfig, sql: string): Promise<string | null> {
  const pool = pg.pool(config, 1);
  try {
    await pool.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  }
}

/** Everything a counter's app says about its office link, as it says it. */
function linkStates(t: TestApp): OfficeLinkState[] {
  const states: OfficeLinkState[] = [];
  t.app.events.subscribe((event, payload) => {
    if (event === 'officeLink') states.push(payload as OfficeLinkState);
  });
  return states;
}

describe('the counters’ role on the office register', () => {
  it('cannot change the schema, truncate, or delete or rewrite the trail', async () => {
    const { config, pool } = await pg.register();
    await pool.query(
      "INSERT INTO events (request_id, kind, at, operator, data_json) VALUES ('r1', 'created', 1, 'anna', '{\"a\":1}')",
    );
    // 42501: insufficient privilege, or not the owner.
    for (const sql of [
      'ALTER TABLE requests ADD COLUMN x integer',
      'ALTER TABLE events DISABLE TRIGGER ALL',
      'DROP TABLE events',
      'DROP TABLE requests',
      'TRUNCATE events',
      'TRUNCATE requests',
      'DELETE FROM events',
      "UPDATE events SET kind = 'altro'",
      'UPDATE events SET operator = NULL',
      'CREATE TABLE mine (x integer)',
      'CREATE SCHEMA mine',
      'CREATE INDEX mine ON requests (service_name)',
      'DROP FUNCTION events_append_only() CASCADE',
      'DELETE FROM schema_version',
      'UPDATE register_identity SET id = 1',
    ])
      expect(await refusal(config, sql), sql).toBe('42501');
    // The one column retention rewrites: only for a purged request (migration 2's trigger, P0001).
    expect(await refusal(config, "UPDATE events SET data_json = NULL WHERE request_id = 'r1'")).toBe('P0001');
    expect((await pool.query('SELECT count(*)::int AS n FROM events')).rows).toEqual([{ n: 1 }]);
  });

  it('has its privileges declared for every table of the register', async () => {
    const { owner } = await pg.register();
    const pool = pg.pool(owner, 1);
    expect(await registerRelations(pool)).toEqual(Object.keys(COUNTER_PRIVILEGES).sort());
    // A table nobody decided for stops the preparation: no counter gets rights by omission.
    await pool.query('CREATE TABLE undecided (x integer)');
    await expect(grantCounterRole(pool, 'sportello_counter')).rejects.toThrow(/undecided/);
  });
});

describe('a counter', () => {
  it('tells the IT person a role that could change the register, and works with the counters’ one', async () => {
    const { config, owner } = await pg.register();
    const superuser = pg.cluster.config(config.database);
    expect(await checkConnection(config, { counter: true })).toMatchObject({ ok: true });
    expect(await checkConnection(owner, { counter: true })).toMatchObject({
      ok: false,
      problem: 'role',
      message: expect.stringMatching(
        /^L’utente «sportello_owner» può modificare il registro dell’ufficio \(è il proprietario del database, può creare schemi, può creare tabelle, è il proprietario delle tabelle, può cancellare o riscrivere la traccia\)/,
      ) as unknown,
    });
    expect(await checkConnection(superuser, { counter: true })).toMatchObject({
      ok: false,
      problem: 'role',
      message: expect.stringContaining('è un superutente') as unknown,
    });
  });

  it('never migrates: it waits for a register behind it, says so, and starts once its owner prepared it', async () => {
    const roles = await pg.roles();
    const name = await createRegisterDatabase(pg.cluster, roles);
    const owner = pg.cluster.config(name, roles.owner);
    const counter = pg.cluster.config(name, roles.counter);
    // The register as the previous Sportello left it: one migration behind.
    const ownerPool = pg.pool(owner, 1);
    await migratePostgres(ownerPool, PG_MIGRATIONS.slice(0, -1));
    await grantCounterRole(ownerPool, roles.counter.user);

    const t = await startApp({ config: { office: counter } });
    const states = linkStates(t);
    let started = false;
    const starting = t.app.start().then(() => (started = true));
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('unreachable'), { timeout: 5_000 });
    expect(states.at(-1)?.message).toBe(
      `Il registro dell’ufficio è alla versione ${PG_MIGRATIONS.length - 1}, questa versione di Sportello ne vuole ${PG_MIGRATIONS.length}: il tecnico lo prepari da Impostazioni → Ufficio → «Prepara il database», con l’utente proprietario del database.`,
    );
    const version = await ownerPool.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_version');
    expect(version.rows).toEqual([{ v: PG_MIGRATIONS.length - 1 }]);

    // The IT person, at any counter: Impostazioni → Ufficio → «Prepara il database».
    const it = await startApp({ simulator: t.simulator, clock: t.clock });
    it.ports.dialogs.answer({ confirm: true });
    expect(
      await it.app.handlers['office.prepare']({
        host: counter.host,
        port: counter.port,
        database: name,
        user: roles.counter.user,
        tls: 'disable',
        owner: roles.owner.user,
        ownerPassword: roles.owner.password,
      }),
    ).toEqual({ applied: 1, version: PG_MIGRATIONS.length, counterUser: roles.counter.user });
    await vi.waitFor(
      () => {
        t.clock.advance(5_000);
        expect(started).toBe(true);
      },
      { timeout: 10_000, interval: 200 },
    );
    await starting;
    expect(states.at(-1)).toEqual({ state: 'ok', message: null, moved: true });
    await t.app.close();
  });

  it('does not work with the owner’s role: the banner says why', async () => {
    const { owner } = await pg.register();
    const t = await startApp({ config: { office: owner } });
    const states = linkStates(t);
    const starting = t.app.start().catch((error: unknown) => error);
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('unreachable'), { timeout: 5_000 });
    expect(states.at(-1)?.message).toMatch(/^L’utente «sportello_owner» può modificare il registro/);
    t.app.interrupt();
    expect(await starting).toBeInstanceOf(Error);
    await t.app.close();
  });
});

describe('Prepara il database', () => {
  const prepare = async (
    t: TestApp,
    config: OfficeDbConfig,
    user: string,
    owner: { user: string; password: string },
  ) =>
    t.app.handlers['office.prepare']({
      host: config.host,
      port: config.port,
      database: config.database,
      user,
      tls: 'disable',
      owner: owner.user,
      ownerPassword: owner.password,
    });

  it('refuses to give the counters the owner’s role, a role that does not exist, or a superuser', async () => {
    const { config } = await pg.register();
    const roles = await pg.roles();
    const t = await startApp();
    t.ports.dialogs.confirmEverything();
    const cases: [string, string][] = [
      [roles.owner.user, 'same_role'],
      ['nessuno', 'no_counter_role'],
      [pg.cluster.user, 'counter_superuser'],
    ];
    for (const [user, reason] of cases)
      await expect(prepare(t, config, user, roles.owner), user).rejects.toMatchObject({
        code: 'invalid_argument',
        details: { setting: 'office', reason },
      });
  });

  it('says in Italian when the owner’s password is wrong, and keeps it nowhere', async () => {
    const { config } = await pg.register();
    const roles = await pg.roles();
    const t = await startApp();
    t.ports.dialogs.confirmEverything();
    await expect(
      prepare(t, config, roles.counter.user, { user: roles.owner.user, password: 'sbagliata-del-tecnico' }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('«sportello_owner» o password non accettati') as unknown,
      details: { reason: 'auth' },
    });
    expect(await prepare(t, config, roles.counter.user, roles.owner)).toMatchObject({ applied: 0 });
    expect(JSON.stringify(t.ports.preferences.store)).not.toContain(roles.owner.password);
  });
});
