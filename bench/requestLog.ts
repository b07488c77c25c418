import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { nodePorts } from '../main/adapters/node/node-ports.ts';
import { createApp } from '../main/app.ts';
import { openDatabase } from '../main/db/database.ts';
import type { RequestRow } from '../main/store/request-row.ts';
import { RequestRepository } from '../main/store/requests.ts';
import type { RequestStatus } from '../common/requests.ts';
import {
  benchDir,
  median,
  percentile,
  prng,
  remoteIdOf,
  requestRow,
  silentLog,
  stillClock,
  type Figure,
} from './support.ts';

const SURNAMES = [
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Romano',
  'Colombo',
  'Ricci',
  'Marino',
  'Greco',
  'Bruno',
  'Gallo',
  'Conti',
  'De Luca',
  'Mancini',
  'Costa',
  'Giordano',
  'Rizzo',
  'Lombardi',
  'Moretti',
];
const NAMES = ['Mario', 'Giulia', 'Luca', 'Anna', 'Marco', 'Chiara', 'Paolo', 'Sara', 'Andrea', 'Elena'];
const SERVICES = [
  'Indennità per congedo parentale',
  'Riscatto servizio militare',
  'ISEE ordinario',
  'NASPI',
  'Modello 730',
  'Assegno unico universale',
  'Dimissioni volontarie',
  'Invalidità civile',
];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DAY = 86_400_000;

/** 100 000 plausible requests over two years: mostly done, some pending, a few cancelled or open. */
export function makeRows(count: number, now: number): RequestRow[] {
  return [...generateRows(count, now)];
}

/** The rows of makeRows one at a time: a million of them need not be in memory at once. */
export function* generateRows(count: number, now: number): Generator<RequestRow> {
  const random = prng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < count; i++) {
    const createdAt = now - Math.floor(random() * 730 * DAY);
    const r = random();
    const status: RequestStatus = r < 0.85 ? 'done' : r < 0.93 ? 'pending' : r < 0.98 ? 'cancelled' : 'open';
    const cognome = pick(SURNAMES);
    const nome = pick(NAMES);
    let cf = `${cognome.replace(/ /g, '').slice(0, 3)}${nome.slice(0, 3)}`.toUpperCase();
    for (let k = 0; k < 10; k++) cf += k % 3 === 2 ? pick([...LETTERS]) : String(Math.floor(random() * 10));
    yield requestRow({
      id: crypto.randomUUID(),
      remoteId: remoteIdOf(i + 1),
      serviceName: pick(SERVICES),
      clientNome: nome,
      clientCognome: cognome,
      clientCf: cf,
      status,
      submitIntent: false,
      remoteState:
        status === 'done' ? 'Visura evasa' : status === 'cancelled' ? 'Annullata' : 'In erogazione',
      createdAt,
      updatedAt: createdAt,
      submittedAt: createdAt,
      completedAt: status === 'done' || status === 'cancelled' ? createdAt + DAY : null,
      // Pending rows are not due: start-up must not turn into a polling storm here.
      nextPollAt: status === 'pending' ? now + 365 * DAY : null,
      documentsState: status === 'done' ? 'ready' : 'none',
    });
  }
}

/** The columns as the repository writes them, for the raw-INSERT baseline. */
function rawInsert(db: ReturnType<typeof openDatabase>, rows: RequestRow[]): void {
  const insert = db.prepare(
    `INSERT INTO requests (id, environment, remote_id, service_hash, service_name, client_nome, client_cognome,
       client_cf, status, created_at, updated_at, submitted_at, completed_at, next_poll_at, documents_state,
       fields_json, options_json, remote_state, charged_price, confirmed_price)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows)
    insert.run(
      r.id,
      r.environment,
      r.remoteId,
      r.serviceHash,
      r.serviceName,
      r.clientNome,
      r.clientCognome,
      r.clientCf,
      r.status,
      r.createdAt,
      r.updatedAt,
      r.submittedAt,
      r.completedAt,
      r.nextPollAt,
      r.documentsState,
      JSON.stringify(r.fields),
      JSON.stringify(r.options),
      r.remoteState,
      r.chargedPrice,
      r.confirmedPrice,
    );
}

function insertAll(rows: RequestRow[], write: (batch: RequestRow[]) => void): number {
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) write(rows.slice(i, i + 1000));
  return rows.length / ((performance.now() - started) / 1000);
}

async function startUp(root: string): Promise<number> {
  const started = performance.now();
  const ports = nodePorts(root, { log: silentLog });
  ports.clock = stillClock;
  // A counter set to work in Sandbox (a switch there now needs credentials, confirmed in main).
  ports.preferences.set('preferences', { ...ports.preferences.store.preferences, environment: 'sandbox' });
  const app = createApp(ports, { version: 'bench', baseUrlOverride: 'http://127.0.0.1:9' });
  await app.start();
  await app.handlers['requests.home']();
  const ms = performance.now() - started;
  await app.close();
  return ms;
}

export async function benchRequestLog(count = 100_000, queries = 400): Promise<Figure[]> {
  const section = `request log (${(count / 1000).toFixed(0)}k requests, SQLite WAL)`;
  const now = Date.now();
  const rows = makeRows(count, now);
  const full = benchDir();
  const empty = benchDir();
  const raw = benchDir();
  try {
    const db = openDatabase(join(full, 'userData', 'pratiche.sqlite'));
    const repo = new RequestRepository(db, () => now);
    const insertRate = insertAll(rows, (batch) =>
      repo.transaction(() => batch.forEach((r) => repo.insert(r))),
    );
    const rawDb = openDatabase(join(raw, 'raw.sqlite'));
    const rawRate = insertAll(rows, (batch) => rawDb.transaction(() => rawInsert(rawDb, batch))());
    rawDb.close();
    db.pragma('optimize');

    // What a clerk types: a surname or a CF fragment, a status, a date range; one page of 50.
    const random = prng(11);
    const filters = Array.from({ length: queries }, (_, i) => {
      const sample = rows[Math.floor(random() * rows.length)]!;
      const from = now - Math.floor(random() * 600 * DAY);
      const text =
        i % 3 === 0
          ? sample.clientCf!.slice(0, 6).toLowerCase()
          : i % 3 === 1
            ? sample.clientCognome!
            : `${sample.clientCognome} ${sample.clientNome}`;
      return {
        text,
        statuses: i % 2 ? (['done'] as RequestStatus[]) : (['pending', 'open'] as RequestStatus[]),
        from,
        to: from + Math.floor((30 + random() * 120) * DAY),
        limit: 50,
      };
    });
    for (const f of filters.slice(0, 20)) repo.search(f); // warm the page cache and the statements
    const times: number[] = [];
    for (const f of filters) {
      const started = performance.now();
      repo.search(f);
      times.push(performance.now() - started);
    }
    const firstPage: number[] = [];
    for (let i = 0; i < queries; i++) {
      const started = performance.now();
      repo.search({ limit: 50 });
      firstPage.push(performance.now() - started);
    }
    db.close();

    const fullStart = median([await startUp(full), await startUp(full), await startUp(full)]);
    const emptyStart = median([await startUp(empty), await startUp(empty), await startUp(empty)]);
    const p95 = percentile(times, 95);
    return [
      {
        section,
        name: 'filtered search (text+status+dates, 50 rows), p50',
        value: median(times),
        unit: 'ms',
        baseline: { name: 'unfiltered first page', value: median(firstPage) },
      },
      {
        section,
        name: 'filtered search, p95',
        value: p95,
        unit: 'ms',
        baseline: { name: 'unfiltered first page', value: percentile(firstPage, 95) },
        target: { text: '≤ 5 ms', pass: p95 <= 5 },
      },
      {
        section,
        name: 'insert rate (repository, 1000/tx)',
        value: insertRate,
        unit: 'rows/s',
        baseline: { name: 'raw INSERT', value: rawRate },
      },
      {
        section,
        name: 'start-up: createApp + start + home, full log',
        value: fullStart,
        unit: 'ms',
        baseline: { name: 'empty log', value: emptyStart },
      },
    ];
  } finally {
    for (const dir of [full, empty, raw]) rmSync(dir, { recursive: true, force: true });
  }
}
