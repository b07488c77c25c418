import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Logger } from '../main/ports.ts';
import type { RequestRow } from '../main/store/request-row.ts';

/** One line of the bench table: a figure, the baseline measured in the same run, and the target. */
export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number } | undefined;
  /** Human text of the target, and whether the figure meets it. */
  target?: { text: string; pass: boolean } | undefined;
}

export const silentLog: Logger = { info() {}, warn() {}, error() {} };

/** A clock whose timers never fire: the services under measurement stay still between calls. */
export const stillClock: Clock = {
  now: () => Date.now(),
  setTimeout: () => ({ cancel() {} }),
};

export function benchDir(prefix = 'sportello-bench-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

export const MB = 1024 * 1024;

/** A deterministic PRNG (mulberry32): the same seed gives the same workload on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A full request row with sensible defaults, for filling a log without going through the API. */
export function requestRow(patch: Partial<RequestRow> & Pick<RequestRow, 'id'>): RequestRow {
  const now = Date.now();
  return {
    environment: 'sandbox',
    remoteId: null,
    serviceHash: '8a7c8386fff43d28182cfa2ad24a3532',
    serviceName: 'Indennità per congedo parentale',
    clientNome: 'Mario',
    clientCognome: 'Rossi',
    clientCf: 'RSSMRA85T10A562S',
    clientEmail: 'mario.rossi@example.it',
    clientPhone: '+393331234567',
    fields: { $0: 'Mario', $1: 'Rossi' },
    options: [],
    quote: null,
    quoteFingerprint: null,
    confirmedPrice: 14.7,
    chargedPrice: 14.7,
    status: 'pending',
    submitIntent: false,
    attemptStartedAt: null,
    attemptEndedAt: null,
    candidates: null,
    allegati: null,
    remoteState: 'In erogazione',
    remoteEsito: { codice: '0', info: '' },
    search: null,
    createdAt: now,
    updatedAt: now,
    submittedAt: now,
    completedAt: null,
    nextPollAt: null,
    pollCount: 0,
    documentsState: 'none',
    archiveFolder: null,
    lastError: null,
    operator: 'bench',
    counter: '',
    claimOwner: null,
    claimUntil: null,
    purgedAt: null,
    sendToClient: false,
    prefilled: null,
    number: null,
    clientPrice: null,
    ...patch,
  };
}

/** A 24-hex remote id, unique per n. */
export const remoteIdOf = (n: number) => `65a0c0de${n.toString(16).padStart(16, '0')}`;

const fmt = (value: number, unit: string) => {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
};

/** The bench table, as text (also pasted into BENCHMARKS.md). */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['section', 'figure', 'value', 'baseline', 'ratio', 'target', ''];
  const rows = figures.map((f) => [
    f.section,
    f.name,
    Number.isFinite(f.value) ? fmt(f.value, f.unit) : 'n/a',
    f.baseline ? `${fmt(f.baseline.value, f.unit)} (${f.baseline.name})` : '—',
    f.baseline && f.baseline.value > 0 && Number.isFinite(f.value)
      ? `${(f.value / f.baseline.value).toFixed(2)}×`
      : '—',
    f.target?.text ?? '—',
    f.target ? (f.target.pass ? 'PASS' : 'MISS') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
