import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPool } from '../../../main/db/postgres/connection.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { useOffice, type RegisterFactory } from '../../support/office.ts';
import { CLIENT, filledDraft, traces } from '../../support/personal-data.ts';

/*
 * The office's version of requests/personal-data.test.ts: a purge on the PostgreSQL register
 * leaves none of the client's data in the server's files — the database's heap and index files
 * (base/) and the WAL (pg_wal/) — read as bytes. The cluster writes WAL as an office's server does
 * (full-page images on) and, as README asks of the office, does not recycle old segments.
 */
const office = useOffice({ cluster: { settings: { full_page_writes: 'on', wal_recycle: 'off' } } });

const DAY = 86_400_000;
let made = 0;

/**
 * A register owned by a role of its own, no superuser, the counter connecting as that role; with
 * `grants`, the ones README's set-up gives it so that a purge can flush the WAL.
 */
async function ownedRegister(grants: boolean): Promise<{ database: string; register: RegisterFactory }> {
  const c = office.pg.cluster;
  const role = `registro_${process.pid}_${++made}`;
  const password = randomBytes(12).toString('hex');
  await c.sql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  const database = await c.createDatabase();
  await c.sql(`ALTER DATABASE ${database} OWNER TO ${role}`);
  if (grants) {
    await c.sql(`GRANT pg_checkpoint TO ${role}`);
    await c.sql(`GRANT EXECUTE ON FUNCTION pg_switch_wal() TO ${role}`, [], database);
  }
  const config = c.config(database, { user: role, password });
  await PgRegister.migrate(office.pg.pool(config, 1));
  return {
    database,
    register: (now, counter) => new PgRegister(openPool(config, { onIdleError: () => {} }), now, counter),
  };
}

/** Every file under `dir` whose bytes hold a trace of the client, with what it holds. */
function leaks(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...leaks(path));
    else {
      const hits = traces(readFileSync(path).toString('latin1'), { trigrams: false });
      if (hits.length) found.push(`${path}: ${hits.join(', ')}`);
    }
  }
  return found;
}

async function databaseDir(database: string): Promise<string> {
  const [row] = await office.pg.cluster.sql<{ oid: number }>(
    'SELECT oid FROM pg_database WHERE datname = $1',
    [database],
  );
  return join(office.pg.cluster.dataDir, 'base', String(row!.oid));
}

/** CLIENT's request, sent and cancelled with a reason that names them: ready for retention. */
async function cancelledRequest(t: TestApp): Promise<string> {
  const h = t.app.handlers;
  const id = await filledDraft(t);
  const quote = await h['requests.quote'](id);
  await h['requests.submit'](id, quote.total);
  await h['requests.cancel'](id, `${CLIENT.cognome} ha cambiato idea`);
  t.clock.advance(120_000);
  await t.app.internals.tracker.cycle();
  expect((await t.app.internals.store.requests.get(id))?.status).toBe('cancelled');
  return id;
}

/** What autovacuum does sooner or later, and the server's own flush: the data is on disk now. */
async function settle(database: string): Promise<void> {
  await office.pg.cluster.sql('ANALYZE', [], database);
  await office.pg.cluster.sql('CHECKPOINT');
}

async function purge(t: TestApp): Promise<void> {
  t.ports.dialogs.answer({ confirm: true });
  await t.app.handlers['settings.update']({ retentionDays: 30 });
  t.clock.advance(31 * DAY);
  expect((await t.app.internals.retention.run()).purged).toBe(1);
}

function logLines(t: TestApp): string {
  const dir = join(t.root, 'userData', 'logs');
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('');
}

describe('a purge on the office register', () => {
  it('leaves none of the client’s data in the database’s files or the WAL', async () => {
    const { database, register } = await ownedRegister(true);
    const t = office.keep(await startApp({ config: { register } }));
    const id = await cancelledRequest(t);
    await settle(database);
    const base = await databaseDir(database);
    expect(leaks(base).length).toBeGreaterThan(0);

    await purge(t);

    expect(leaks(base)).toEqual([]);
    expect(leaks(join(office.pg.cluster.dataDir, 'pg_wal'))).toEqual([]);
    const events = await t.app.internals.store.trail.of(id);
    expect(events.map((e) => e.kind)).toContain('purged');
    expect(JSON.stringify(events)).not.toContain(CLIENT.cognome);
    expect(logLines(t)).not.toContain('keeps old WAL segments');
  });

  it('rewrites the tables all the same without the WAL grants, and the log says what the server lacks', async () => {
    const { database, register } = await ownedRegister(false);
    const t = office.keep(await startApp({ config: { register } }));
    await cancelledRequest(t);
    await settle(database);

    await purge(t);

    expect(leaks(await databaseDir(database))).toEqual([]);
    const warning = logLines(t)
      .split('\n')
      .find((line) => line.includes('keeps old WAL segments'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 'warn', incomplete: ['switch_wal', 'checkpoint'] });
  });
});
