/*
 * The office register at scale: a million requests on a real PostgreSQL (the throwaway cluster of
 * the tests, durable writes on), then the list's filtered search as a clerk types it — the same
 * workload as the SQLite section (bench/requestLog.ts), ten times the rows. The rows go in as a
 * local log moves into the office: COPY into the register's tables (schema version 1), then the
 * later migrations build the search indexes over them. They go in in creation order, as a
 * register grows: the heap then keeps a date range's rows close together.
 */
import type { RequestStatus } from '../common/requests.ts';
import type { RegisterFilter } from '../common/requests.ts';
import { copyRows } from '../main/db/postgres/bulk.ts';
import { openPool } from '../main/db/postgres/connection.ts';
import { migratePostgres } from '../main/db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../main/db/postgres/migrations.ts';
import { searchRequests } from '../main/db/postgres/search.ts';
import type { RequestRow } from '../main/store/request-row.ts';
import { startPostgres } from '../test/support/postgres-cluster.ts';
import { generateRows } from './requestLog.ts';
import { median, percentile, prng, type Figure } from './support.ts';

const DAY = 86_400_000;

/** A row as the repository stores it (the columns the raw-INSERT baseline of the SQLite section writes). */
function stored(r: RequestRow): Record<string, unknown> {
  return {
    id: r.id,
    environment: r.environment,
    remote_id: r.remoteId,
    service_hash: r.serviceHash,
    service_name: r.serviceName,
    client_nome: r.clientNome,
    client_cognome: r.clientCognome,
    client_cf: r.clientCf,
    client_email: r.clientEmail,
    client_phone: r.clientPhone,
    status: r.status,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    submitted_at: r.submittedAt,
    completed_at: r.completedAt,
    next_poll_at: r.nextPollAt,
    documents_state: r.documentsState,
    fields_json: JSON.stringify(r.fields),
    options_json: JSON.stringify(r.options),
    remote_state: r.remoteState,
    remote_esito: JSON.stringify(r.remoteEsito),
    charged_price: r.chargedPrice,
    confirmed_price: r.confirmedPrice,
    operator: r.operator,
  };
}

/**
 * `sqlite`: the SQLite section's figures from the same run (100k rows), printed as baselines so
 * that the two stores stand side by side.
 */
export async function benchRequestLogPostgres(
  sqlite: readonly Figure[] = [],
  count = 1_000_000,
  queries = 400,
): Promise<Figure[]> {
  const section = `office register (${count >= 1e6 ? `${count / 1e6}M` : `${count / 1000}k`} requests, PostgreSQL)`;
  const fromSqlite = (name: string, value: (f: Figure) => number | undefined = (f) => f.value) => {
    const f = sqlite.find((x) => x.name === name);
    const v = f && value(f);
    return f && v !== undefined
      ? { name: f.section.replace(/^request log \((.*)\)$/, '$1'), value: v }
      : undefined;
  };
  // What an office server gives its database: a GB of cache, room to build indexes.
  const cluster = await startPostgres({
    durable: true,
    settings: { shared_buffers: '1GB', maintenance_work_mem: '512MB', max_wal_size: '8GB', work_mem: '16MB' },
  });
  try {
    const name = await cluster.createDatabase({ name: 'register' });
    const pool = openPool(cluster.config(name), {
      max: 2,
      onIdleError: (error) => process.stderr.write(`bench: idle connection broke: ${error.message}\n`),
    });
    try {
      const now = Date.now();
      // The queries' samples are chosen before the rows exist: the rows stream by only once.
      const random = prng(11);
      const plan = Array.from({ length: queries }, () => ({
        index: Math.floor(random() * count),
        from: now - Math.floor(random() * 600 * DAY),
        days: 30 + random() * 120,
      }));
      const wanted = new Map(plan.map((p) => [p.index, null as RequestRow | null]));
      // makeRows' rows, in creation order (a million small objects: sorted, not kept beyond this).
      const rows = [...generateRows(count, now)];
      rows.forEach((row, i) => {
        if (wanted.has(i)) wanted.set(i, row);
      });
      rows.sort((a, b) => a.createdAt - b.createdAt);

      const loadStarted = performance.now();
      await migratePostgres(pool, PG_MIGRATIONS.slice(0, 1));
      const client = await pool.connect();
      try {
        await copyRows(
          client,
          'requests',
          Object.keys(stored(rows[0]!)),
          (function* () {
            for (const row of rows) yield stored(row);
          })(),
        );
      } finally {
        client.release();
      }
      rows.length = 0;
      const copySeconds = (performance.now() - loadStarted) / 1000;
      await migratePostgres(pool, PG_MIGRATIONS);
      // Autovacuum would get there; the bench does not wait for it.
      await pool.query('VACUUM ANALYZE requests');
      const loadSeconds = (performance.now() - loadStarted) / 1000;

      const filters: RegisterFilter[] = plan.map((p, i) => {
        const sample = wanted.get(p.index)!;
        const text =
          i % 3 === 0
            ? sample.clientCf!.slice(0, 6).toLowerCase()
            : i % 3 === 1
              ? sample.clientCognome!
              : `${sample.clientCognome} ${sample.clientNome}`;
        return {
          text,
          statuses: i % 2 ? (['done'] as RequestStatus[]) : (['pending', 'open'] as RequestStatus[]),
          from: p.from,
          to: p.from + Math.floor(p.days * DAY),
          limit: 50,
        };
      });
      for (const f of filters.slice(0, 20)) await searchRequests(pool, f); // warm the cache
      const times: number[] = [];
      for (const f of filters) {
        const started = performance.now();
        await searchRequests(pool, f);
        times.push(performance.now() - started);
      }
      const firstPage: number[] = [];
      for (let k = 0; k < Math.min(queries, 100); k++) {
        const started = performance.now();
        await searchRequests(pool, { limit: 50 });
        firstPage.push(performance.now() - started);
      }
      const size = await pool.query<{ bytes: number }>("SELECT pg_total_relation_size('requests') AS bytes");
      const p95 = percentile(times, 95);
      return [
        {
          section,
          name: 'load: COPY, then the migrations build the indexes, then VACUUM ANALYZE',
          value: loadSeconds,
          unit: 's',
          baseline: { name: 'COPY alone', value: copySeconds },
        },
        {
          section,
          name: 'filtered search (text+status+dates, 50 rows), p50',
          value: median(times),
          unit: 'ms',
          baseline: fromSqlite('filtered search (text+status+dates, 50 rows), p50'),
        },
        {
          section,
          name: 'filtered search, p95',
          value: p95,
          unit: 'ms',
          baseline: fromSqlite('filtered search, p95'),
          target: { text: '≤ 20 ms', pass: p95 <= 20 },
        },
        {
          section,
          name: 'unfiltered first page (its total counts every row), p50',
          value: median(firstPage),
          unit: 'ms',
          baseline: fromSqlite('filtered search (text+status+dates, 50 rows), p50', (f) => f.baseline?.value),
        },
        {
          section,
          name: 'table and indexes on disk',
          value: (size.rows[0]?.bytes ?? 0) / 1024 ** 2,
          unit: 'MB',
        },
      ];
    } finally {
      await pool.end();
    }
  } finally {
    await cluster.stop();
  }
}
