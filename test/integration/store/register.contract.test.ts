import { beforeEach, describe, expect, it } from 'vitest';
import { remoteIdOf, requestRow } from '../../../bench/support.ts';
import type { AttachmentRow } from '../../../main/store/attachments.ts';
import type { DocumentRow } from '../../../main/store/documents.ts';
import {
  type Decision,
  PERSONAL_DATA,
  REQUEST_TABLES,
  scrubTrail,
  TRAIL_KEYS,
} from '../../../main/store/personal-data.ts';
import type { Register } from '../../../main/store/port.ts';
import { COLUMNS, type RequestRow } from '../../../main/store/request-row.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The register's writes that span repositories, on both adapters: a draft deleted with its
 * attachments, a request purged column by column as personal-data.ts decides (the expectations
 * are derived from PERSONAL_DATA, so a new column is covered the day it is declared), and the
 * compaction after purges.
 */
const adapters = useRegisters();

const T0 = 1_700_000_000_000;

/** A request with every personal column filled, so that each erasure shows. */
const fullRow = (id: string, n: number): RequestRow =>
  requestRow({
    id,
    status: 'done',
    remoteId: remoteIdOf(n),
    fields: { $0: 'RSSMRA85T10A562S', $1: 'Rossi' },
    options: ['opzione_0'],
    quote: { base: 4, ricerca: 0, options: [], total: 4, checkedAt: T0 },
    quoteFingerprint: 'f'.repeat(64),
    candidates: [
      {
        remoteId: remoteIdOf(n + 100),
        createdAt: T0,
        state: 0,
        stato: 'In erogazione',
        prezzoVisura: 4,
        echo: 'none',
      },
    ],
    allegati: ['Visura ROSSI MARIO.pdf'],
    remoteState: 'Visura evasa',
    remoteEsito: { codice: '0', info: 'Rossi Mario: OK' },
    search: { idRicerca: 'x_0', results: [] },
    createdAt: T0,
    updatedAt: T0,
    submittedAt: T0,
    completedAt: T0,
    archiveFolder: '/archivio/Rossi Mario RSSMRA85T10A562S',
    lastError: { code: 'network', message: 'Rossi Mario: connessione interrotta' },
    operator: 'anna',
    prefilled: { $0: 'RSSMRA85T10A562S' },
  });

const attachment = (id: string, requestId: string, position: number): AttachmentRow => ({
  id,
  requestId,
  fieldKey: '$2',
  position,
  fileName: `carta identità Rossi ${position}.jpg`,
  sourceKind: 'jpeg',
  mime: 'image/jpeg',
  size: 1000 + position,
  pages: 1,
  sha256: id.padEnd(64, '0'),
  storedPath: `/scans/${requestId}/${id}.jpg`,
  createdAt: T0,
});

const document = (
  id: string,
  fileName: string,
): Omit<DocumentRow, 'requestId' | 'createdAt' | 'removedAt'> => ({
  id,
  fileName,
  path: `/archivio/Rossi Mario/${fileName}`,
  kind: 'pdf',
  size: 2000,
  sha256: id.padEnd(64, 'f'),
});

/** The event data the trail gets for each request: kept keys, personal ones, wrong types. */
const EVENTS: {
  kind: 'created' | 'cancel_requested' | 'error' | 'opened';
  data?: Record<string, unknown>;
}[] = [
  { kind: 'created', data: { service: 'Visura', total: 4, nome: 'Mario Rossi' } },
  { kind: 'cancel_requested', data: { reason: 'doppia', note: 'Rossi ha chiamato', confirmed: 'sì' } },
  { kind: 'error', data: { message: 'Rossi Mario non trovato' } },
  { kind: 'opened' },
];

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The property of a request row that holds `column`. */
const requestProp = (column: string): keyof RequestRow => {
  const found = (Object.keys(COLUMNS) as (keyof RequestRow)[]).find((p) => COLUMNS[p].column === column);
  if (!found) throw new Error(`requests.${column} has no property in request-row.ts`);
  return found;
};

/** What an erased column reads as: the literal of its SQL (decoded as the row's codec does), or a pattern. */
function erased(
  expression: string,
  decode: (v: unknown) => unknown = (v) => v,
): { exact: unknown } | { pattern: RegExp } {
  if (expression === 'NULL') return { exact: decode(null) };
  const literal = /^'([^']*)'$/.exec(expression);
  if (literal) return { exact: decode(literal[1]) };
  // '<text>' || (<expression of the row>): the text, then a number.
  const numbered = /^'([^']*)' \|\| \(.+\)$/.exec(expression);
  if (numbered)
    return { pattern: new RegExp(`^${numbered[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\d+$`) };
  throw new Error(`no expectation for the erasure ${expression}: teach this test`);
}

/**
 * What a row reads as after the purge, column by column from PERSONAL_DATA: kept columns as
 * before (but those the purge itself sets, in `set`), erased ones as their SQL says.
 */
function expectPurged(
  table: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prop: (column: string) => string,
  set: Record<string, unknown>,
  decode: (column: string) => (v: unknown) => unknown = () => (v) => v,
  unread: readonly string[] = [],
): void {
  const columns = (PERSONAL_DATA as Record<string, { columns: Record<string, Decision> }>)[table]!.columns;
  for (const [column, decision] of Object.entries(columns)) {
    if (unread.includes(column)) continue;
    const p = prop(column);
    expect(after, `${table}.${column} is read through the port`).toHaveProperty(p);
    const where = `${table}.${column}`;
    if ('keep' in decision || 'afterFiles' in decision) {
      expect(after[p], where).toEqual(p in set ? set[p] : before[p]);
    } else if ('erase' in decision) {
      const expected = erased(decision.erase, decode(column));
      if ('exact' in expected) {
        expect(before[p], `${where} is filled before the purge`).not.toEqual(expected.exact);
        expect(after[p], where).toEqual(expected.exact);
      } else {
        expect(before[p], `${where} is filled before the purge`).not.toMatch(expected.pattern);
        expect(after[p], where).toMatch(expected.pattern);
      }
    } else {
      expect(decision.scrub, where).toBe('trail');
      const kept = scrubTrail(before[p] === null ? null : JSON.stringify(before[p]));
      expect(after[p], where).toEqual(kept === null ? null : JSON.parse(kept));
      for (const key of Object.keys(after[p] ?? {})) expect(Object.keys(TRAIL_KEYS)).toContain(key);
    }
  }
}

async function seed(store: Register, id: string, n: number): Promise<void> {
  await store.requests.insert(fullRow(id, n));
  await store.attachments.insert(attachment(`${id}-a0`, id, 0));
  await store.attachments.insert(attachment(`${id}-a1`, id, 1));
  await store.documents.replace(id, [
    document(`${id}-d0`, 'Visura ROSSI MARIO.pdf'),
    document(`${id}-d1`, 'ricevuta.pdf'),
  ]);
  for (const e of EVENTS) await store.trail.add(id, e.kind, 'anna', e.data);
}

interface Snapshot {
  request: RequestRow | null;
  attachments: AttachmentRow[];
  documents: (DocumentRow | null)[];
  events: Awaited<ReturnType<Register['trail']['of']>>;
}

async function snapshot(store: Register, id: string): Promise<Snapshot> {
  return {
    request: await store.requests.get(id),
    attachments: await store.attachments.of(id),
    documents: [await store.documents.get(`${id}-d0`), await store.documents.get(`${id}-d1`)],
    events: await store.trail.of(id),
  };
}

describe.each(adapters)('the register’s spanning writes on $name', (adapter) => {
  let t = T0;
  const now = () => t;
  beforeEach(() => {
    t = T0;
  });

  describe('deleteDraft', () => {
    it('deletes a draft that never reached the API, with its attachments', async () => {
      const store = await adapter.open(now);
      await store.requests.insert(requestRow({ id: 'd1', status: 'draft', submittedAt: null }));
      await store.requests.insert(requestRow({ id: 'd2', status: 'draft', submittedAt: null }));
      await store.attachments.insert(attachment('a0', 'd1', 0));
      await store.attachments.insert(attachment('a1', 'd1', 1));
      await store.attachments.insert(attachment('b0', 'd2', 0));
      await store.trail.add('d1', 'created', 'anna');

      await store.deleteDraft('d1');

      expect(await store.requests.get('d1')).toBeNull();
      expect(await store.attachments.of('d1')).toEqual([]);
      // The other draft, and the trail (which outlives its rows), stay.
      expect((await store.requests.get('d2'))?.id).toBe('d2');
      expect((await store.attachments.of('d2')).map((a) => a.id)).toEqual(['b0']);
      expect((await store.trail.of('d1')).map((e) => e.kind)).toEqual(['created']);
    });

    it('keeps a draft that reached the API and a request that was sent', async () => {
      const store = await adapter.open(now);
      const remote = requestRow({ id: 'remote', status: 'draft', remoteId: remoteIdOf(1) });
      const sent = requestRow({ id: 'sent', status: 'pending' });
      await store.requests.insert(remote);
      await store.requests.insert(sent);

      await store.deleteDraft('remote');
      await store.deleteDraft('sent');
      await store.deleteDraft('nobody');

      expect(await store.requests.get('remote')).toEqual(remote);
      expect(await store.requests.get('sent')).toEqual(sent);
    });
  });

  describe('purge', () => {
    it('erases every personal column as personal-data.ts decides, and marks the request purged', async () => {
      const store = await adapter.open(now);
      await seed(store, 'r1', 1);
      await seed(store, 'r2', 2);
      const before = await snapshot(store, 'r1');
      const other = await snapshot(store, 'r2');
      t = T0 + 5000;

      await store.purge('r1', { pollCount: 9 });

      const after = await snapshot(store, 'r1');
      expectPurged(
        'requests',
        before.request as unknown as Record<string, unknown>,
        after.request as unknown as Record<string, unknown>,
        requestProp,
        { purgedAt: t, updatedAt: t, pollCount: 9 },
        (column) => {
          const c = COLUMNS[requestProp(column)];
          return (v) => (c.decode && v !== null ? (c.decode as (x: unknown) => unknown)(v) : v);
        },
      );
      expect(after.attachments.map((a) => a.id)).toEqual(['r1-a0', 'r1-a1']);
      after.attachments.forEach((a, i) =>
        expectPurged('attachments', before.attachments[i] as never, a as never, camel, {}),
      );
      after.documents.forEach((d, i) =>
        expectPurged('documents', before.documents[i] as never, d as never, camel, { removedAt: t }),
      );
      expect(after.events.map((e) => e.kind)).toEqual(EVENTS.map((e) => e.kind));
      after.events.forEach((e, i) =>
        expectPurged('events', toColumns(before.events[i]!), toColumns(e), (c) => c, {}, undefined, [
          'id',
          'request_id',
          // Kept, and only the move between registers reads it (store/move.ts, its own tests).
          'origin',
        ]),
      );
      // Every table that names a request is checked above, or keeps all its columns.
      for (const [table, decisions] of Object.entries(PERSONAL_DATA)) {
        if (!decisions.requestKey || ['requests', 'attachments', 'documents', 'events'].includes(table))
          continue;
        expect(
          Object.entries(decisions.columns as Record<string, Decision>).filter(([, d]) => !('keep' in d)),
          `${table}: a column to erase needs a check here`,
        ).toEqual([]);
      }

      // The same, spelled out: what a reader of the purged request finds.
      expect(after.request).toMatchObject({
        purgedAt: t,
        clientNome: null,
        clientCognome: null,
        clientCf: null,
        fields: {},
        remoteId: remoteIdOf(1),
        chargedPrice: 14.7,
      });
      expect(after.events.map((e) => e.data)).toEqual([
        { service: 'Visura', total: 4 },
        { reason: 'doppia' },
        null,
        null,
      ]);
      expect(await store.documents.of('r1')).toEqual([]);
      expect(after.documents.map((d) => d?.removedAt)).toEqual([t, t]);

      // The other request is untouched.
      expect(await snapshot(store, 'r2')).toEqual(other);
    });

    it('rolls the whole purge back with the transaction it is part of', async () => {
      const store = await adapter.open(now);
      await seed(store, 'r1', 1);
      const before = await snapshot(store, 'r1');

      await expect(
        store.transaction(async () => {
          await store.trail.add('r1', 'purged', 'anna', { retentionDays: 30 });
          await store.purge('r1');
          throw new Error('interrupted');
        }),
      ).rejects.toThrow(/^interrupted$/);

      expect(await snapshot(store, 'r1')).toEqual(before);
    });

    it('compacts after purges, and the data stays purged', async () => {
      const store = await adapter.open(now);
      await seed(store, 'r1', 1);
      await seed(store, 'r2', 2);
      await store.transaction(async () => {
        await store.trail.add('r1', 'purged', 'anna', { retentionDays: 30, nome: 'Mario' });
        await store.purge('r1');
      });
      const purged = await snapshot(store, 'r1');
      const other = await snapshot(store, 'r2');

      await store.compactAfterPurge(REQUEST_TABLES);
      await store.compactAfterPurge(REQUEST_TABLES);

      expect(await snapshot(store, 'r1')).toEqual(purged);
      expect(await snapshot(store, 'r2')).toEqual(other);
      expect(purged.request?.clientCognome).toBeNull();
      expect(purged.events.at(-1)).toEqual({
        kind: 'purged',
        at: T0,
        operator: 'anna',
        counter: 'Sportello 1',
        data: { retentionDays: 30 },
      });
    });
  });
});

/** An event as its columns (those the port reads). */
function toColumns(e: {
  kind: string;
  at: number;
  operator: string;
  counter: string;
  data: Record<string, unknown> | null;
}) {
  return { kind: e.kind, at: e.at, operator: e.operator, counter: e.counter, data_json: e.data };
}
