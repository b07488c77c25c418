import { join } from 'node:path';
import fc from 'fast-check';
import type { PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import type { RegisterFilter, RequestStatus } from '../../../common/requests.ts';
import { clerkStates } from '../../../common/request-states.ts';
import { sortableColumns } from '../../../common/requests.ts';
import { openDatabase, type Database } from '../../../main/db/database.ts';
import { copyRows } from '../../../main/db/postgres/bulk.ts';
import type { Queryable } from '../../../main/db/postgres/connection.ts';
import { migratePostgres } from '../../../main/db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../main/db/postgres/migrations.ts';
import { searchRequests } from '../../../main/db/postgres/search.ts';
import { RequestRepository } from '../../../main/store/requests.ts';
import { Store } from '../../../main/store/store.ts';
import { makeRows } from '../../../bench/requestLog.ts';
import { requestRow } from '../../../bench/support.ts';
import { usePostgres } from '../../support/postgres.ts';
import { tempDir } from '../../support/tmp.ts';

const office = usePostgres();

// The pieces of the SQLite equivalence test (test/reliability/search-equivalence.test.ts): case,
// accents, LIKE's own characters, letters whose case folds outside ASCII.
const pieces = [
  'Rossi',
  'rossi',
  'ROSSI',
  'De Luca',
  'Dè',
  'À',
  'à',
  '%',
  '_',
  '\\',
  'ß',
  'x',
  'İ',
  ' ',
  'ab',
];
// And for PostgreSQL's index: a line break (regexps), U+0001 (its separator), ':' (its tags), a
// character beyond the BMP (two UTF-16 units, one code point).
const pgPieces = ['\n', '\u0001', 'a:1', '😀'];
const textArb = fc.array(fc.constantFrom(...pieces, ...pgPieces), { maxLength: 4 }).map((p) => p.join(''));
const statuses: RequestStatus[] = ['draft', 'sending', 'open', 'pending', 'done', 'cancelled'];
const environments = ['prova', 'sandbox', 'produzione'] as const;
const priceArb = fc.option(fc.constantFrom(0, 1.5, 14.7, 14.7, 30));
// Counters and operators as an office names them, and what an exact match must not fold or expand.
const counters = ['', 'Ufficio-1', 'ufficio-1', 'Ufficio-%', 'Sportello è'];
const operators = ['', 'Anna', 'anna', 'Anna ', 'Dè_Luca'];

const rowsArb = fc.array(
  fc.record({
    cognome: fc.option(textArb),
    nome: fc.option(textArb),
    cf: fc.option(textArb),
    service: textArb,
    remote: fc.option(fc.constantFrom('65a0c0de0000000000000001', '65a0c0de00000000000000ff')),
    status: fc.constantFrom(...statuses),
    environment: fc.constantFrom(...environments),
    createdAt: fc.integer({ min: 0, max: 20 }),
    charged: priceArb,
    confirmed: priceArb,
    documents: fc.array(fc.boolean(), { maxLength: 2 }),
    counter: fc.constantFrom(...counters),
    operator: fc.constantFrom(...operators),
    // What the clerk's states are read from, and the pratica's number the search looks into.
    number: fc.option(fc.constantFrom('RM1-2026-000001', 'rm1-2026-000002', '2025-000010', 'Rossi')),
    phase: fc.option(fc.constantFrom('In ricerca', 'Dati disponibili', 'Visura evasa')),
    esito: fc.option(fc.constantFrom('0', '12')),
    failed: fc.boolean(),
    error: fc.boolean(),
    search: fc.boolean(),
  }),
  { maxLength: 30 },
);

const filterArb: fc.Arbitrary<RegisterFilter> = fc.record(
  {
    text: fc.array(fc.constantFrom(...pieces, ...pgPieces, ' '), { maxLength: 5 }).map((p) => p.join('')),
    statuses: fc.subarray(statuses),
    states: fc.subarray([...clerkStates]),
    environment: fc.constantFrom(...environments),
    from: fc.integer({ min: 0, max: 20 }),
    to: fc.integer({ min: 0, max: 20 }),
    counter: fc.constantFrom(...counters, 'Ufficio-'),
    operator: fc.constantFrom(...operators, 'Ann', '\u0000'),
    sortBy: fc.constantFrom(...sortableColumns),
    sortDir: fc.constantFrom('asc' as const, 'desc' as const),
    offset: fc.integer({ min: 0, max: 5 }),
    limit: fc.integer({ min: 1, max: 10 }),
  },
  { requiredKeys: ['limit'] },
);

/** The same rows in both: SQLite's as the repository wrote them, copied raw, column by column. */
async function copyAll(sqlite: Database, pg: PoolClient): Promise<void> {
  await pg.query('DELETE FROM documents; DELETE FROM attachments; DELETE FROM requests');
  for (const table of ['requests', 'documents']) {
    const statement = sqlite.prepare(`SELECT * FROM ${table}`);
    const columns = statement.columns().map((c) => c.name);
    await copyRows(pg, table, columns, statement.iterate() as Iterable<Record<string, unknown>>);
  }
}

/** Both searches agree: ids in order, totals, document counts, and the rows' stored values. */
async function expectSame(sqlite: Database, repo: RequestRepository, pg: PoolClient, filter: RegisterFilter) {
  const expected = repo.search(filter);
  const got = await searchRequests(pg, filter);
  const ids = expected.rows.map((r) => r.id);
  expect(got.rows.map((r) => r.id)).toEqual(ids);
  expect(got.total).toBe(expected.total);
  expect(got.documentCounts).toEqual(new Store(sqlite, () => 0).documents.counts(ids));
  const stored = ids.map((id) => sqlite.prepare('SELECT * FROM requests WHERE id = ?').get(id));
  expect(got.rows).toEqual(stored);
}

describe('request list search on PostgreSQL', () => {
  it('indexes every trigram of a row’s text, tagged with its 30-day period', async () => {
    const { pool } = await office.database();
    await migratePostgres(pool, PG_MIGRATIONS);
    const chars = fc.constantFrom('a', 'B', 'è', ' ', '\n', '\u0001', ':', '\\', '%', '😀', 'ß', '1');
    await fc.assert(
      fc.asyncProperty(
        fc.array(chars, { maxLength: 12 }).map((c) => c.join('')),
        fc.integer({ min: -4e12, max: 4e12 }),
        async (body, createdAt) => {
          const result = await pool.query<{ tokens: string[] }>(
            'SELECT request_text_tokens($1, $2) AS tokens',
            [body, createdAt],
          );
          const code = [...body];
          const expected = new Set<string>();
          for (let i = 0; i + 3 <= code.length; i++) {
            const trigram = code.slice(i, i + 3).join('');
            if (!trigram.includes('\u0001'))
              expected.add(`${trigram}:${Math.trunc(createdAt / 2_592_000_000)}`);
          }
          const tokens = new Set(result.rows[0]!.tokens);
          // Every trigram the search may ask for is there; pieces of those around U+0001 may be
          // there too (never asked for, and harmless: the LIKE decides).
          for (const t of expected) expect(tokens).toContain(t);
          if (!body.includes('\u0001')) expect(tokens).toEqual(expected);
        },
      ),
      { numRuns: 300, seed: 20261126 },
    );
  });

  for (const icuLocale of [undefined, 'it-IT']) {
    it(`finds what SQLite finds, in the same order, on random rows and filters (database locale ${icuLocale ?? 'C'})`, async () => {
      const sqlite = openDatabase(join(tempDir(), 'pratiche.sqlite'));
      const repo = new RequestRepository(sqlite, () => 0);
      const { pool } = await office.database(icuLocale ? { icuLocale } : {});
      await migratePostgres(pool, PG_MIGRATIONS);
      const pg = await pool.connect();
      try {
        await fc.assert(
          fc.asyncProperty(rowsArb, filterArb, fc.boolean(), async (rows, filter, indexOnly) => {
            sqlite.exec('DELETE FROM documents; DELETE FROM requests');
            rows.forEach((r, i) => {
              const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
              repo.insert(
                requestRow({
                  id,
                  environment: r.environment,
                  clientCognome: r.cognome,
                  clientNome: r.nome,
                  clientCf: r.cf,
                  serviceName: r.service,
                  remoteId:
                    r.remote === null ? null : `${r.remote.slice(0, 20)}${String(i).padStart(4, '0')}`,
                  status: r.status,
                  createdAt: r.createdAt,
                  chargedPrice: r.charged,
                  confirmedPrice: r.confirmed,
                  counter: r.counter,
                  operator: r.operator,
                  number: r.number,
                  remoteState: r.phase,
                  remoteEsito: r.esito === null ? null : { codice: r.esito, info: 'motivo' },
                  documentsState: r.failed ? 'failed' : 'none',
                  lastError: r.error ? { code: 'network', message: 'x' } : null,
                  search: r.search ? { idRicerca: 'r_0', results: [] } : null,
                }),
              );
              r.documents.forEach((removed, k) =>
                sqlite
                  .prepare(
                    `INSERT INTO documents (id, request_id, file_name, path, kind, size, sha256, created_at, removed_at)
                     VALUES (?, ?, 'visura.pdf', '/a', 'pdf', 1, 'x', 0, ?)`,
                  )
                  .run(`${id}-${k}`, id, removed ? 1 : null),
              );
            });
            await copyAll(sqlite, pg);
            // Half the runs forbid the table scan: the trigram index's answer, rechecked, is the same.
            await pg.query(`SET enable_seqscan = ${indexOnly ? 'off' : 'on'}`);
            await expectSame(sqlite, repo, pg, filter);
          }),
          { numRuns: 300, seed: 20261124 },
        );
      } finally {
        pg.release();
        sqlite.close();
      }
    }, 120_000);
  }

  it('finds words the index cannot hold (U+0001) and words too short for it, as SQLite does', async () => {
    const sqlite = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    const repo = new RequestRepository(sqlite, () => 0);
    const { pool } = await office.database();
    await migratePostgres(pool, PG_MIGRATIONS);
    const pg = await pool.connect();
    try {
      ['Ro\u0001ssi', 'Rossi', 'Ro', 'Bianchi'].forEach((cognome, i) =>
        repo.insert(requestRow({ id: `r${i}`, clientCognome: cognome, createdAt: i * 40 * 86_400_000 })),
      );
      await copyAll(sqlite, pg);
      // The index is the only way in: a table scan would not show what the index misses.
      await pg.query('SET enable_seqscan = off');
      await pg.query('ALTER FUNCTION request_text_tokens COST 1000000');
      for (const text of ['o\u0001ss', 'ro\u0001ssi', 'ro', 'ssi', 'bianchi ro'])
        for (const range of [{}, { from: 0, to: 90 * 86_400_000 }]) {
          const filter = { text, ...range, limit: 10 };
          expect((await searchRequests(pg, filter)).rows.map((r) => r.id)).toEqual(
            repo.search(filter).rows.map((r) => r.id),
          );
        }
      expect((await searchRequests(pg, { text: 'ro\u0001ssi', limit: 10 })).rows.map((r) => r.id)).toEqual([
        'r0',
      ]);
    } finally {
      pg.release();
      sqlite.close();
    }
  });

  it('agrees with SQLite on a log of realistic rows, through the trigram index', async () => {
    const sqlite = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    const repo = new RequestRepository(sqlite, () => 0);
    const now = Date.UTC(2026, 0, 1);
    const rows = makeRows(3000, now);
    repo.transaction(() => rows.forEach((r) => repo.insert(r)));
    const { pool } = await office.database();
    await migratePostgres(pool, PG_MIGRATIONS);
    const pg = await pool.connect();
    try {
      await copyAll(sqlite, pg);
      await pg.query('ANALYZE requests');
      // The search's own query, explained: its text condition is the index's expression. On 3000
      // rows the planner may rightly prefer computing a few hundred rows' tokens to asking the
      // index; made dear, that path shows whether the index can serve the query at all.
      const seen: { sql: string; params: unknown[] }[] = [];
      const spy = {
        query: (sql: string, params: unknown[]) => {
          seen.push({ sql, params });
          return pg.query(sql, params);
        },
      } as unknown as Queryable;
      await pg.query('ALTER FUNCTION request_text_tokens COST 1000000');
      await searchRequests(spy, { text: 'Rossi', from: now - 90 * 86_400_000, to: now, limit: 50 });
      const pageQuery = seen.find((q) => q.sql.includes('OVER ()'))!;
      const plan = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${pageQuery.sql}`, pageQuery.params);
      const lines = plan.rows.map((r) => r['QUERY PLAN']);
      expect(lines.join('\n')).toMatch(/Bitmap Index Scan on requests_text/);
      expect(lines.filter((l) => /Filter:.*request_text_tokens/.test(l))).toEqual([]);
      await fc.assert(
        fc.asyncProperty(
          fc.nat(rows.length - 1),
          fc.constantFrom('cf', 'surname', 'both', 'service', 'remote'),
          fc.integer({ min: 0, max: 700 }),
          fc.integer({ min: 1, max: 200 }),
          fc.subarray(statuses),
          fc.constantFrom(...sortableColumns),
          fc.constantFrom('asc' as const, 'desc' as const),
          fc.integer({ min: 0, max: 60 }),
          fc.boolean(),
          async (pick, kind, daysAgo, days, chosen, sortBy, sortDir, offset, indexOnly) => {
            await pg.query(`SET enable_seqscan = ${indexOnly ? 'off' : 'on'}`);
            const sample = rows[pick]!;
            const text = {
              cf: sample.clientCf!.slice(0, 6).toLowerCase(),
              surname: sample.clientCognome!,
              both: `${sample.clientCognome} ${sample.clientNome}`,
              service: sample.serviceName.split(' ')[0]!,
              remote: sample.remoteId!.slice(-5),
            }[kind];
            const from = now - daysAgo * 86_400_000;
            await expectSame(sqlite, repo, pg, {
              text,
              statuses: chosen,
              from,
              to: from + days * 86_400_000,
              sortBy,
              sortDir,
              offset,
              limit: 50,
            });
          },
        ),
        { numRuns: 200, seed: 20261125 },
      );
    } finally {
      pg.release();
      sqlite.close();
    }
  }, 120_000);
});
