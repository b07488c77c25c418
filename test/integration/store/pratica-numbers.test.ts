import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import { openDatabase } from '../../../main/db/database.ts';
import { migrate } from '../../../main/db/migrate.ts';
import { MIGRATIONS } from '../../../main/db/migrations.ts';
import { migration012 } from '../../../main/db/migrations/012_pratica_numbers.ts';
import { migratePostgres } from '../../../main/db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../main/db/postgres/migrations.ts';
import { pgMigration011 } from '../../../main/db/postgres/migrations/011_pratica_numbers.ts';
import { moveIntoOffice } from '../../../main/store/move.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import { RequestRepository } from '../../../main/store/requests.ts';
import { SqliteRegister } from '../../../main/store/sqlite-register.ts';
import { usePostgres } from '../../support/postgres.ts';
import { tempDir } from '../../support/tmp.ts';

/*
 * The pratica numbers beyond the repository's contract (requests.contract.test.ts): those the
 * migrations give the requests already sent, two counters numbering on one office register, and a
 * counter's log moved into the office's.
 */
const pg = usePostgres();

/** Mid-year times: the year of a request is the same in every time zone the test may run in. */
const JUNE_2025 = Date.UTC(2025, 5, 15, 10);
const JUNE_2026 = Date.UTC(2026, 5, 15, 10);
const HOUR = 3_600_000;

/** A log as it was before the numbers: sent requests of two years, and a draft. */
const before = [
  { id: 'b-2025', status: 'done', createdAt: JUNE_2025 + HOUR },
  { id: 'a-2025', status: 'cancelled', createdAt: JUNE_2025 },
  { id: 'draft', status: 'draft', createdAt: JUNE_2025 + 2 * HOUR },
  { id: 'a-2026', status: 'pending', createdAt: JUNE_2026 },
] as const;

const insertOld = `INSERT INTO requests (id, environment, service_hash, service_name, client_cognome, status, created_at, updated_at)
  VALUES ($1, 'sandbox', 'h', 'Indennità per congedo parentale', 'Rossi', $2, $3, $3)`;

describe('pratica numbers given by the migration (SQLite 17)', () => {
  it('numbers the requests already sent per year, in creation order, leaves drafts alone, and numbering goes on from there', () => {
    const file = join(tempDir(), 'pratiche.sqlite');
    const old = new BetterSqlite3(file);
    migrate(old, MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration012)));
    for (const r of before)
      old.prepare(insertOld.replace(/\$\d/g, '?')).run(r.id, r.status, r.createdAt, r.createdAt);
    old.close();

    const db = openDatabase(file);
    const repo = new RequestRepository(db, () => 0);
    const number = (id: string) => repo.get(id)?.number;
    expect(number('a-2025')).toBe('2025-000001');
    expect(number('b-2025')).toBe('2025-000002');
    expect(number('a-2026')).toBe('2026-000001');
    expect(number('draft')).toBeNull();
    // Found by the list's search, as the client reads it.
    expect(repo.search({ text: '2025-000002' }).rows.map((r) => r.id)).toEqual(['b-2025']);
    // The draft, sent later that year, takes the next number: none repeats.
    expect(repo.assignNumber('draft', '', 2025)).toBe('2025-000003');
    db.close();
  });
});

describe('pratica numbers on the office register (PostgreSQL)', () => {
  it('the migration (16) numbers the requests already sent as SQLite’s does, and the search finds them', async () => {
    const { pool } = await pg.database();
    await migratePostgres(pool, PG_MIGRATIONS.slice(0, PG_MIGRATIONS.indexOf(pgMigration011)));
    for (const r of before) await pool.query(insertOld, [r.id, r.status, r.createdAt]);
    await migratePostgres(pool, PG_MIGRATIONS);

    const register = await PgRegister.open(pool, () => 0);
    const number = async (id: string) => (await register.requests.get(id))?.number;
    expect(await number('a-2025')).toBe('2025-000001');
    expect(await number('b-2025')).toBe('2025-000002');
    expect(await number('a-2026')).toBe('2026-000001');
    expect(await number('draft')).toBeNull();
    expect((await register.requests.search({ text: '2025-000002' })).rows.map((r) => r.id)).toEqual([
      'b-2025',
    ]);
    expect(await register.requests.assignNumber('draft', '', 2025)).toBe('2025-000003');
  });

  it('never gives the same number twice to two counters sending at once', async () => {
    const { pool, config } = await pg.database();
    await PgRegister.migrate(pool);
    const counters = [
      await PgRegister.open(pg.pool(config, 4), () => 0),
      await PgRegister.open(pg.pool(config, 4), () => 0),
    ];
    const n = 20;
    for (let i = 0; i < 2 * n; i++)
      await counters[0]!.requests.insert(requestRow({ id: `r${i}`, status: 'draft' }));
    // Each counter numbers its own requests, all at once, under the same prefix and year.
    const given = await Promise.all(
      Array.from({ length: 2 * n }, (_, i) => counters[i % 2]!.requests.assignNumber(`r${i}`, 'RM1', 2026)),
    );
    expect(new Set(given).size).toBe(2 * n);
    expect(given.every((g) => /^RM1-2026-0000[0-4]\d$/.test(g!))).toBe(true);
  });

  it('a counter’s log moved in keeps the numbers it printed, and the office numbers on past them', async () => {
    const { pool } = await pg.database();
    await PgRegister.migrate(pool);
    const office = await PgRegister.open(pool, () => 0);
    await office.requests.insert(requestRow({ id: 'office-1', status: 'draft' }));
    expect(await office.requests.assignNumber('office-1', 'RM1', 2026)).toBe('RM1-2026-000001');

    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    const local = new SqliteRegister(db, () => 0);
    for (let i = 1; i <= 5; i++) {
      await local.requests.insert(requestRow({ id: `local-${i}`, status: 'draft' }));
      await local.requests.assignNumber(`local-${i}`, 'RM1', 2026);
    }
    await moveIntoOffice(db, pool);
    await moveIntoOffice(db, pool);

    expect((await office.requests.get('local-5'))?.number).toBe('RM1-2026-000005');
    await office.requests.insert(requestRow({ id: 'office-2', status: 'draft' }));
    expect(await office.requests.assignNumber('office-2', 'RM1', 2026)).toBe('RM1-2026-000006');
    db.close();
  });
});
