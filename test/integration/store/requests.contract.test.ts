import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import { clerkStates } from '../../../common/request-states.ts';
import { requestStatuses, type RequestStatus } from '../../../common/requests.ts';
import { stateOf } from '../../../main/requests/views.ts';
import type { RequestsPort } from '../../../main/store/port.ts';
import type { RequestRow } from '../../../main/store/request-row.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The requests repository of the storage port, on both adapters: every method, the same rows in
 * the same order. What the SQLite repository (main/store/requests.ts) leaves unordered (stale
 * drafts, purgeable requests) is compared as a set.
 */
const adapters = useRegisters();

const T = Date.UTC(2025, 0, 15, 9);
const MIN = 60_000;
const DAY = 86_400_000;

/** A row created, updated and sent at `at` (T unless told). */
const row = (id: string, patch: Partial<RequestRow> = {}): RequestRow => {
  const at = patch.createdAt ?? T;
  return requestRow({ id, createdAt: at, updatedAt: at, submittedAt: at, operator: 'test', ...patch });
};

const ids = (rows: readonly RequestRow[]) => rows.map((r) => r.id);
const sorted = (rows: readonly RequestRow[]) => ids(rows).sort();

async function insertAll(requests: RequestsPort, rows: readonly RequestRow[]): Promise<void> {
  for (const r of rows) await requests.insert(r);
}

describe.each(adapters)('requests on $name', (adapter) => {
  /** A register whose clock reads `clock.now`. */
  const open = async () => {
    const clock = { now: T + DAY };
    const store = await adapter.open(() => clock.now);
    return { store, requests: store.requests, clock };
  };

  it('inserts a row and reads every property back', async () => {
    const { requests } = await open();
    const full = row('full', {
      environment: 'produzione',
      remoteId: '65a0c0de0000000000000001',
      clientNome: 'Anna',
      clientCognome: "D'Amico",
      clientCf: 'DMCNNA80A41F205X',
      clientEmail: null,
      clientPhone: null,
      fields: { $0: 'Anna', $1: "D'Amico", $2: 'àèìòù €' },
      options: ['opzione_0', 'opzione_2'],
      quote: {
        base: 12.5,
        ricerca: 1.2,
        options: [{ nome: 'opzione_0', tipo: 'pdf', prezzo: 0.8 }],
        total: 14.5,
        checkedAt: T - MIN,
      },
      quoteFingerprint: 'fp-1',
      confirmedPrice: 14.5,
      chargedPrice: 14.55,
      status: 'open',
      submitIntent: true,
      attemptStartedAt: T + 1,
      attemptEndedAt: T + 2,
      candidates: [
        { remoteId: 'r1', createdAt: T, state: 0, stato: 'In erogazione', prezzoVisura: 14.5, echo: 'match' },
        { remoteId: 'r2', createdAt: null, state: null, stato: '', prezzoVisura: null, echo: 'none' },
      ],
      allegati: ['visura.pdf', 'ricevuta.pdf'],
      remoteState: 'In ricerca',
      remoteEsito: { codice: '1', info: 'ok' },
      search: { idRicerca: 'ric-1', results: [{ indice: 0, label: 'ACME SRL', data: { piva: '0123' } }] },
      createdAt: T - DAY,
      updatedAt: T - 2 * MIN,
      submittedAt: null,
      completedAt: T,
      nextPollAt: T + MIN,
      pollCount: 7,
      documentsState: 'failed',
      archiveFolder: '/archivio/2025',
      lastError: { code: 'internal', message: 'boom', ambiguous: true, details: { n: 1 } },
      purgedAt: null,
      sendToClient: true,
      prefilled: { $3: 'Milano' },
    });
    await requests.insert(full);
    await requests.insert(row('plain'));

    expect(await requests.get('full')).toEqual(full);
    expect(await requests.get('plain')).toEqual(row('plain'));
    expect(await requests.get('missing')).toBeNull();
  });

  it('finds a request by its remote id in its environment', async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('sand', { environment: 'sandbox', remoteId: 'remote-1' }),
      row('prod', { environment: 'produzione', remoteId: 'remote-1' }),
      row('local', { remoteId: null }),
    ]);

    expect((await requests.findByRemoteId('sandbox', 'remote-1'))?.id).toBe('sand');
    expect((await requests.findByRemoteId('produzione', 'remote-1'))?.id).toBe('prod');
    expect(await requests.findByRemoteId('prova', 'remote-1')).toBeNull();
    expect(await requests.findByRemoteId('sandbox', 'remote-2')).toBeNull();
  });

  it('updates the given properties and updatedAt, and says when the row is gone', async () => {
    const { requests, clock } = await open();
    const before = row('a', {
      status: 'pending',
      pollCount: 1,
      lastError: { code: 'internal', message: 'x' },
    });
    await requests.insert(before);
    clock.now = T + 2 * DAY;

    expect(
      await requests.update('a', {
        remoteState: 'Visura evasa',
        pollCount: 2,
        lastError: null,
        allegati: ['a.pdf'],
        submitIntent: true,
      }),
    ).toBe(true);
    expect(await requests.get('a')).toEqual({
      ...before,
      remoteState: 'Visura evasa',
      pollCount: 2,
      lastError: null,
      allegati: ['a.pdf'],
      submitIntent: true,
      updatedAt: T + 2 * DAY,
    });
    expect(await requests.update('missing', { pollCount: 3 })).toBe(false);
    expect(await requests.get('missing')).toBeNull();
  });

  it('transitions only from the given statuses (compare-and-set)', async () => {
    const { requests, clock } = await open();
    const draft = row('a', { status: 'draft', submittedAt: null });
    await requests.insert(draft);
    clock.now = T + 3 * DAY;

    expect(
      await requests.transition('a', ['draft'], { status: 'sending', attemptStartedAt: clock.now }),
    ).toBe(true);
    const sending = {
      ...draft,
      status: 'sending' as const,
      attemptStartedAt: T + 3 * DAY,
      updatedAt: T + 3 * DAY,
    };
    expect(await requests.get('a')).toEqual(sending);

    // From the same status again: the row moved on, nothing changes.
    clock.now = T + 4 * DAY;
    expect(await requests.transition('a', ['draft'], { status: 'sending', remoteId: 'r-x' })).toBe(false);
    expect(await requests.get('a')).toEqual(sending);

    expect(await requests.transition('a', ['open', 'sending'], { status: 'open', remoteId: 'r-1' })).toBe(
      true,
    );
    expect(await requests.get('a')).toMatchObject({
      status: 'open',
      remoteId: 'r-1',
      updatedAt: T + 4 * DAY,
    });
    expect(await requests.transition('a', [], { status: 'done' })).toBe(false);
    expect(await requests.transition('missing', ['draft'], { status: 'sending' })).toBe(false);
  });

  it('lets exactly one of two concurrent transitions from the same status win', async () => {
    const { requests } = await open();
    const n = 10;
    for (let i = 0; i < n; i++) await requests.insert(row(`r${i}`, { status: 'draft' }));

    for (let i = 0; i < n; i++) {
      const outcomes = await Promise.all([
        requests.transition(`r${i}`, ['draft'], { status: 'sending', operator: 'first' }),
        requests.transition(`r${i}`, ['draft'], { status: 'sending', operator: 'second' }),
      ]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const winner = outcomes[0] ? 'first' : 'second';
      expect(await requests.get(`r${i}`)).toMatchObject({ status: 'sending', operator: winner });
    }
  });

  it('deletes only drafts that never reached the API', async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('draft', { status: 'draft' }),
      row('returned', { status: 'draft', remoteId: 'r-1' }),
      row('local-pending', { status: 'pending' }),
    ]);

    await requests.deleteDraft('draft');
    await requests.deleteDraft('returned');
    await requests.deleteDraft('local-pending');
    await requests.deleteDraft('missing');

    expect(await requests.get('draft')).toBeNull();
    expect((await requests.get('returned'))?.status).toBe('draft');
    expect((await requests.get('local-pending'))?.status).toBe('pending');
  });

  it('lists the unfinished submissions, oldest first', async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('sending', { status: 'sending', createdAt: T - MIN }),
      row('open-intent', { status: 'open', submitIntent: true, createdAt: T - 2 * MIN }),
      row('open', { status: 'open', submitIntent: false, createdAt: T - 3 * MIN }),
      row('draft-intent', { status: 'draft', submitIntent: true, createdAt: T - 4 * MIN }),
      row('pending-intent', { status: 'pending', submitIntent: true, createdAt: T - 5 * MIN }),
    ]);

    expect(ids(await requests.unfinishedSubmissions())).toEqual(['open-intent', 'sending']);
  });

  it("lists a client's requests but drafts, newest first, up to the limit", async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('p', { clientCf: 'A', status: 'pending', createdAt: T - 3 * DAY }),
      row('c', { clientCf: 'A', status: 'cancelled', createdAt: T - 2 * DAY }),
      row('d', { clientCf: 'A', status: 'done', createdAt: T - DAY }),
      row('draft', { clientCf: 'A', status: 'draft', createdAt: T }),
      row('other', { clientCf: 'B', status: 'done', createdAt: T }),
    ]);

    expect(ids(await requests.byClient('A'))).toEqual(['d', 'c', 'p']);
    expect(ids(await requests.byClient('A', 2))).toEqual(['d', 'c']);
    expect(await requests.byClient('C')).toEqual([]);
  });

  it("counts each client's requests but drafts, with the newest one's creation", async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('a1', { clientCf: 'A', status: 'done', createdAt: T - 3 * DAY }),
      row('a2', { clientCf: 'A', status: 'pending', createdAt: T - DAY }),
      row('a3', { clientCf: 'A', status: 'cancelled', createdAt: T - 2 * DAY }),
      row('a-draft', { clientCf: 'A', status: 'draft', createdAt: T }),
      row('b1', { clientCf: 'B', status: 'open', createdAt: T - 5 * DAY }),
      row('c-draft', { clientCf: 'C', status: 'draft', createdAt: T }),
      row('d1', { clientCf: 'D', status: 'done', createdAt: T }),
    ]);

    const stats = await requests.clientStats(['A', 'B', 'C', 'E']);
    expect(stats).toBeInstanceOf(Map);
    expect(stats).toEqual(
      new Map([
        ['A', { count: 3, lastAt: T - DAY }],
        ['B', { count: 1, lastAt: T - 5 * DAY }],
      ]),
    );
    expect(await requests.clientStats([])).toEqual(new Map());
  });

  it("finds the client's latest request still holding personal data", async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('old', { clientCf: 'A', status: 'done', createdAt: T - 3 * DAY }),
      row('latest', { clientCf: 'A', status: 'cancelled', createdAt: T - 2 * DAY }),
      row('purged', { clientCf: 'A', status: 'done', createdAt: T - DAY, purgedAt: T }),
      row('draft', { clientCf: 'A', status: 'draft', createdAt: T }),
      row('other', { clientCf: 'B', status: 'done', createdAt: T }),
    ]);

    expect((await requests.lastByClient('A'))?.id).toBe('latest');
    expect(await requests.lastByClient('C')).toBeNull();
  });

  it('finds sent requests of the same client and service since a time, but one', async () => {
    const { requests } = await open();
    const since = T - DAY;
    const same = { clientCf: 'A', serviceHash: 'h1', environment: 'sandbox' as const };
    await insertAll(requests, [
      row('sending', { ...same, status: 'sending', createdAt: since + 4 }),
      row('open', { ...same, status: 'open', createdAt: since + 3 }),
      row('pending', { ...same, status: 'pending', createdAt: since + 2 }),
      row('done-at-since', { ...same, status: 'done', createdAt: since }),
      row('self', { ...same, status: 'sending', createdAt: since + 5 }),
      row('draft', { ...same, status: 'draft', createdAt: since + 6 }),
      row('cancelled', { ...same, status: 'cancelled', createdAt: since + 7 }),
      row('before', { ...same, status: 'done', createdAt: since - 1 }),
      row('other-env', { ...same, environment: 'produzione', status: 'done', createdAt: since + 8 }),
      row('other-service', { ...same, serviceHash: 'h2', status: 'done', createdAt: since + 9 }),
      row('other-client', { ...same, clientCf: 'B', status: 'done', createdAt: since + 10 }),
    ]);

    expect(ids(await requests.sameClientAndService('sandbox', 'A', 'h1', since, 'self'))).toEqual([
      'sending',
      'open',
      'pending',
      'done-at-since',
    ]);
    expect(ids(await requests.sameClientAndService('produzione', 'A', 'h1', since, 'self'))).toEqual([
      'other-env',
    ]);
    expect(ids(await requests.sameClientAndService('sandbox', 'A', 'h1', since + 3, 'nobody'))).toEqual([
      'self',
      'sending',
      'open',
    ]);
  });

  it('lists requests by status, oldest first', async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('done', { status: 'done', createdAt: T - MIN }),
      row('open', { status: 'open', createdAt: T - 3 * MIN }),
      row('pending', { status: 'pending', createdAt: T - 2 * MIN }),
      row('open2', { status: 'open', createdAt: T }),
    ]);

    expect(ids(await requests.byStatus(['open', 'done']))).toEqual(['open', 'done', 'open2']);
    expect(ids(await requests.byStatus(['pending']))).toEqual(['pending']);
    expect(await requests.byStatus(['cancelled'])).toEqual([]);
    expect(await requests.byStatus([])).toEqual([]);
  });

  it('says what a counter was charged in an environment since a time, and what it is sending now', async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('early', { counter: 'Ufficio-1', submittedAt: T - MIN, chargedPrice: 21 }),
      row('first', { counter: 'Ufficio-1', submittedAt: T, chargedPrice: 14.7 }),
      row('second', { counter: 'Ufficio-1', submittedAt: T + MIN, chargedPrice: 18.7, status: 'done' }),
      row('refused', {
        counter: 'Ufficio-1',
        submittedAt: T + 2 * MIN,
        chargedPrice: 14.7,
        status: 'cancelled',
      }),
      row('unpaid', { counter: 'Ufficio-1', submittedAt: null, chargedPrice: null, status: 'open' }),
      row('sending', { counter: 'Ufficio-1', submittedAt: null, chargedPrice: null, status: 'sending' }),
      row('other-counter', { counter: 'Ufficio-2', submittedAt: T, chargedPrice: 14.7 }),
      row('other-counter-sending', { counter: 'Ufficio-2', submittedAt: null, status: 'sending' }),
      row('other-env', { counter: 'Ufficio-1', environment: 'produzione', submittedAt: T, chargedPrice: 9 }),
    ]);

    expect(await requests.spentAt('sandbox', 'Ufficio-1', T)).toEqual({
      charged: [14.7, 18.7, 14.7],
      sending: 1,
    });
    expect(await requests.spentAt('produzione', 'Ufficio-1', T)).toEqual({ charged: [9], sending: 0 });
    expect(await requests.spentAt('sandbox', 'Ufficio-2', T + MIN)).toEqual({ charged: [], sending: 1 });
    expect(await requests.spentAt('sandbox', 'Ufficio-3', 0)).toEqual({ charged: [], sending: 0 });
  });

  it('lists what needs attention, each condition, latest update first', async () => {
    const { requests } = await open();
    const search = { idRicerca: 'x', results: [] };
    const error = { code: 'internal' as const, message: 'failed' };
    const quiet = {
      documentsState: 'ready' as const,
      remoteState: 'In erogazione',
      lastError: null,
      search: null,
    };
    await insertAll(requests, [
      row('sending', { ...quiet, status: 'sending', updatedAt: T + 1 }),
      row('open', { ...quiet, status: 'open', updatedAt: T + 2 }),
      row('docs-failed', { ...quiet, status: 'done', documentsState: 'failed', updatedAt: T + 3 }),
      row('error', { ...quiet, status: 'cancelled', lastError: error, updatedAt: T + 4 }),
      row('searching', { ...quiet, status: 'pending', search, remoteState: 'In ricerca', updatedAt: T + 5 }),
      // Not needing attention:
      row('draft-error', { ...quiet, status: 'draft', lastError: error, updatedAt: T + 6 }),
      row('search-done', {
        ...quiet,
        status: 'pending',
        search,
        remoteState: 'In erogazione',
        updatedAt: T + 7,
      }),
      row('no-search', { ...quiet, status: 'pending', remoteState: 'In ricerca', updatedAt: T + 8 }),
      row('done-search', { ...quiet, status: 'done', search, remoteState: 'In ricerca', updatedAt: T + 9 }),
      row('done', { ...quiet, status: 'done', updatedAt: T + 10 }),
      row('docs-none', { ...quiet, status: 'done', documentsState: 'none', updatedAt: T + 11 }),
    ]);

    expect(ids(await requests.attention(50))).toEqual([
      'searching',
      'error',
      'docs-failed',
      'open',
      'sending',
    ]);
    expect(ids(await requests.attention(2))).toEqual(['searching', 'error']);
  });

  it('lists the done requests whose documents are due, oldest first', async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('none', { status: 'done', documentsState: 'none', createdAt: T - MIN }),
      row('failed', { status: 'done', documentsState: 'failed', createdAt: T - 2 * MIN }),
      row('ready', { status: 'done', documentsState: 'ready', createdAt: T - 3 * MIN }),
      row('purged', { status: 'done', documentsState: 'none', purgedAt: T, createdAt: T - 4 * MIN }),
      row('pending', { status: 'pending', documentsState: 'none', createdAt: T - 5 * MIN }),
    ]);

    expect(await requests.documentsDue()).toEqual(['failed', 'none']);
  });

  it('lists recent requests of a status, by creation or by completion since a time', async () => {
    const { requests } = await open();
    await insertAll(requests, [
      row('d1', { status: 'done', createdAt: T - 4 * DAY, completedAt: T - MIN }),
      row('d2', { status: 'done', createdAt: T - 3 * DAY, completedAt: T - 3 * MIN }),
      row('d3', { status: 'done', createdAt: T - 2 * DAY, completedAt: T - 2 * MIN }),
      row('d4', { status: 'done', createdAt: T - DAY, completedAt: T - 2 * DAY }),
      row('p', { status: 'pending', createdAt: T, completedAt: null }),
    ]);

    expect(ids(await requests.recent('done', 10))).toEqual(['d4', 'd3', 'd2', 'd1']);
    expect(ids(await requests.recent('done', 2))).toEqual(['d4', 'd3']);
    expect(ids(await requests.recent('done', 10, T - DAY))).toEqual(['d1', 'd3', 'd2']);
    expect(ids(await requests.recent('done', 2, T - DAY))).toEqual(['d1', 'd3']);
    expect(ids(await requests.recent('done', 10, T - 3 * MIN))).toEqual(['d1', 'd3', 'd2']);
    expect(ids(await requests.recent('pending', 10))).toEqual(['p']);
    expect(await requests.recent('cancelled', 10)).toEqual([]);
  });

  it('follows pending requests and done ones at "Dati disponibili": due polls, tracked, next poll', async () => {
    const { requests } = await open();
    expect(await requests.nextPollAt()).toBeNull();
    expect(await requests.tracked()).toEqual([]);
    await insertAll(requests, [
      row('never', { status: 'pending', nextPollAt: null, createdAt: T - 6 * MIN }),
      row('due-late', { status: 'pending', nextPollAt: T - MIN, createdAt: T - 5 * MIN }),
      row('due-early', { status: 'pending', nextPollAt: T - 2 * MIN, createdAt: T - 4 * MIN }),
      row('future', { status: 'pending', nextPollAt: T + MIN, createdAt: T - 3 * MIN }),
      row('partial', {
        status: 'done',
        remoteState: 'Dati disponibili',
        nextPollAt: T,
        createdAt: T - 2 * MIN,
      }),
      // Not followed:
      row('evasa', {
        status: 'done',
        remoteState: 'Visura evasa',
        nextPollAt: T - 3 * MIN,
        createdAt: T - MIN,
      }),
      row('open', { status: 'open', remoteState: 'Dati disponibili', nextPollAt: T - 3 * MIN, createdAt: T }),
    ]);

    expect(ids(await requests.duePolls(T))).toEqual(['never', 'due-early', 'due-late', 'partial']);
    expect(ids(await requests.duePolls(T - MIN))).toEqual(['never', 'due-early', 'due-late']);
    expect(ids(await requests.tracked())).toEqual(['never', 'due-late', 'due-early', 'future', 'partial']);
    expect(await requests.nextPollAt()).toBe(0);

    await requests.update('never', { nextPollAt: T + 2 * MIN });
    expect(await requests.nextPollAt()).toBe(T - 2 * MIN);
    await requests.update('due-early', { status: 'done', remoteState: 'Visura evasa' });
    await requests.update('due-late', { status: 'cancelled' });
    expect(await requests.nextPollAt()).toBe(T);
    expect(ids(await requests.duePolls(T))).toEqual(['partial']);
  });

  describe('search', () => {
    const seed = async () => {
      const opened = await open();
      await insertAll(opened.requests, [
        row('a', {
          clientCognome: 'Rossi',
          clientNome: 'Mario',
          clientCf: 'RSSMRA80A01H501U',
          serviceName: 'Visura catastale',
          status: 'done',
          chargedPrice: 10,
          createdAt: T - 5 * DAY,
        }),
        row('b', {
          clientCognome: 'Bianchi',
          clientNome: 'Luca',
          clientCf: 'BNCLCU75B02F205Z',
          serviceName: 'Visura camerale',
          status: 'pending',
          chargedPrice: 20,
          createdAt: T - 4 * DAY,
        }),
        row('c', {
          clientCognome: 'Rossi',
          clientNome: 'Anna',
          clientCf: 'RSSNNA90C43L219K',
          serviceName: 'Certificato di residenza',
          status: 'open',
          chargedPrice: null,
          confirmedPrice: 5,
          createdAt: T - 3 * DAY,
        }),
        row('d', {
          clientCognome: 'Verdi',
          clientNome: 'Paolo',
          clientCf: 'VRDPLA60D04A944Q',
          serviceName: 'visura catastale',
          status: 'cancelled',
          chargedPrice: null,
          confirmedPrice: null,
          remoteId: '65a0c0de00000000000000dd',
          createdAt: T - 2 * DAY,
        }),
        row('e', {
          clientCognome: 'Rossi',
          clientNome: 'Mario',
          clientCf: 'RSSMRA80A01H501U',
          serviceName: 'Visura catastale',
          status: 'draft',
          createdAt: T - DAY,
        }),
        row('f', {
          environment: 'produzione',
          clientCognome: 'Neri',
          clientNome: 'Giulia',
          clientCf: 'NREGLI85E45D612W',
          serviceName: 'Estratto conto',
          status: 'pending',
          chargedPrice: 7,
          createdAt: T,
        }),
      ]);
      return opened.requests;
    };

    it('lists every request, drafts too (a pratica not sent yet), newest first, with the total', async () => {
      const requests = await seed();
      const page = await requests.search({});
      expect(ids(page.rows)).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
      expect(page.total).toBe(6);
      expect(page.rows[0]).toEqual(await requests.get('f'));
    });

    it('finds words in name, codice fiscale, service and remote id, ignoring case', async () => {
      const requests = await seed();
      const found = async (text: string) => {
        const page = await requests.search({ text });
        return { ids: ids(page.rows), total: page.total };
      };
      expect(await found('ROSSI')).toEqual({ ids: ['e', 'c', 'a'], total: 3 });
      expect(await found('  rossi   VISURA ')).toEqual({ ids: ['e', 'a'], total: 2 });
      expect(await found('visura')).toEqual({ ids: ['e', 'd', 'b', 'a'], total: 4 });
      expect(await found('bnclcu75')).toEqual({ ids: ['b'], total: 1 });
      expect(await found('dd')).toEqual({ ids: ['d'], total: 1 });
      expect(await found('00000000dd')).toEqual({ ids: ['d'], total: 1 });
      expect(await found('an')).toEqual({ ids: ['c', 'b'], total: 2 });
      expect(await found('gialli')).toEqual({ ids: [], total: 0 });
      expect(await found('ross%')).toEqual({ ids: [], total: 0 });
    });

    it('finds a request by its pratica number, whole or in part', async () => {
      const requests = await seed();
      expect(await requests.assignNumber('b', 'RM1', 2025)).toBe('RM1-2025-000001');
      expect(await requests.assignNumber('d', 'RM1', 2025)).toBe('RM1-2025-000002');
      const found = async (text: string) => ids((await requests.search({ text })).rows);
      expect(await found('RM1-2025-000002')).toEqual(['d']);
      expect(await found('rm1-2025-000002')).toEqual(['d']);
      expect(await found('000001')).toEqual(['b']);
      expect(await found('rm1-2025')).toEqual(['d', 'b']);
      expect(await found('RM1-2025-000003')).toEqual([]);
    });

    it('filters by status, environment and creation range (inclusive)', async () => {
      const requests = await seed();
      expect(ids((await requests.search({ statuses: ['pending'] })).rows)).toEqual(['f', 'b']);
      expect(ids((await requests.search({ statuses: ['draft', 'done'] })).rows)).toEqual(['e', 'a']);
      expect(ids((await requests.search({ environment: 'produzione' })).rows)).toEqual(['f']);
      const range = await requests.search({ from: T - 4 * DAY, to: T - 2 * DAY });
      expect({ ids: ids(range.rows), total: range.total }).toEqual({ ids: ['d', 'c', 'b'], total: 3 });
      const words = await requests.search({ text: 'visura', from: T - 4 * DAY, to: T - 2 * DAY });
      expect({ ids: ids(words.rows), total: words.total }).toEqual({ ids: ['d', 'b'], total: 2 });
      const none = await requests.search({ text: 'visura', from: T + DAY });
      expect({ ids: ids(none.rows), total: none.total }).toEqual({ ids: [], total: 0 });
    });

    /** The seed's rows at counters and by operators of an office (e, a draft, at a third one). */
    const office = async () => {
      const requests = await seed();
      const at: [string, string, string][] = [
        ['a', 'Ufficio-1', 'Anna'],
        ['b', 'Ufficio-2', 'Anna'],
        ['c', 'Ufficio-2', 'Luca'],
        ['d', 'Ufficio-1', ''],
        ['e', 'Ufficio-3', 'Piero'],
        ['f', '', 'Luca'],
      ];
      for (const [id, counter, operator] of at) await requests.update(id, { counter, operator });
      return requests;
    };

    it('filters by counter and by operator, exactly, alone or with the other filters', async () => {
      const requests = await office();
      const found = async (filter: Parameters<RequestsPort['search']>[0]) => {
        const page = await requests.search(filter);
        return { ids: ids(page.rows), total: page.total };
      };
      expect(await found({ counter: 'Ufficio-2' })).toEqual({ ids: ['c', 'b'], total: 2 });
      expect(await found({ operator: 'Anna' })).toEqual({ ids: ['b', 'a'], total: 2 });
      expect(await found({ counter: 'Ufficio-2', operator: 'Anna' })).toEqual({ ids: ['b'], total: 1 });
      // Exact: no case folding, no pattern, no prefix; '' is the rows without one.
      expect(await found({ counter: 'ufficio-2' })).toEqual({ ids: [], total: 0 });
      expect(await found({ counter: 'Ufficio-%' })).toEqual({ ids: [], total: 0 });
      expect(await found({ operator: 'Ann' })).toEqual({ ids: [], total: 0 });
      expect(await found({ counter: '' })).toEqual({ ids: ['f'], total: 1 });
      expect(await found({ operator: '' })).toEqual({ ids: ['d'], total: 1 });
      // Drafts are pratiche too: listed as the others are.
      expect(await found({ counter: 'Ufficio-3' })).toEqual({ ids: ['e'], total: 1 });
      expect(await found({ counter: 'Ufficio-3', statuses: ['draft'] })).toEqual({ ids: ['e'], total: 1 });
      expect(await found({ operator: 'Anna', text: 'rossi' })).toEqual({ ids: ['a'], total: 1 });
      expect(await found({ operator: 'Luca', environment: 'produzione' })).toEqual({ ids: ['f'], total: 1 });
      expect(await found({ counter: 'Ufficio-1', from: T - 4 * DAY })).toEqual({ ids: ['d'], total: 1 });
      expect(await found({ operator: 'Anna', limit: 1, offset: 1 })).toEqual({ ids: ['a'], total: 2 });
    });

    it('lists the counters and operators of the log, each once, sorted, without empty ones', async () => {
      const requests = await office();
      expect(await requests.choices()).toEqual({
        counters: ['Ufficio-1', 'Ufficio-2', 'Ufficio-3'],
        operators: ['Anna', 'Luca', 'Piero'],
      });
    });

    it('has no counter nor operator to offer in an empty log', async () => {
      const { requests } = await open();
      expect(await requests.choices()).toEqual({ counters: [], operators: [] });
    });

    it('sorts by each column, ties by id', async () => {
      const requests = await seed();
      const order = async (
        sortBy: 'createdAt' | 'serviceName' | 'clientName' | 'status' | 'chargedPrice',
      ) => [
        ids((await requests.search({ sortBy, sortDir: 'asc' })).rows),
        ids((await requests.search({ sortBy, sortDir: 'desc' })).rows),
      ];
      expect(await order('createdAt')).toEqual([
        ['a', 'b', 'c', 'd', 'e', 'f'],
        ['f', 'e', 'd', 'c', 'b', 'a'],
      ]);
      // Case folded: "visura catastale" ties with "Visura catastale".
      expect(await order('serviceName')).toEqual([
        ['c', 'f', 'b', 'a', 'd', 'e'],
        ['a', 'd', 'e', 'b', 'f', 'c'],
      ]);
      expect(await order('clientName')).toEqual([
        ['b', 'f', 'c', 'a', 'e', 'd'],
        ['d', 'a', 'e', 'c', 'f', 'b'],
      ]);
      expect(await order('status')).toEqual([
        ['d', 'a', 'e', 'c', 'b', 'f'],
        ['b', 'f', 'c', 'e', 'a', 'd'],
      ]);
      // charged, else confirmed, else 0.
      expect(await order('chargedPrice')).toEqual([
        ['d', 'c', 'f', 'a', 'e', 'b'],
        ['b', 'e', 'a', 'f', 'c', 'd'],
      ]);
    });

    it('pages, with the total of all matches', async () => {
      const requests = await seed();
      const page = async (filter: Parameters<RequestsPort['search']>[0]) => {
        const p = await requests.search(filter);
        return { ids: ids(p.rows), total: p.total };
      };
      expect(await page({ limit: 2 })).toEqual({ ids: ['f', 'e'], total: 6 });
      expect(await page({ limit: 2, offset: 2 })).toEqual({ ids: ['d', 'c'], total: 6 });
      expect(await page({ limit: 2, offset: 4 })).toEqual({ ids: ['b', 'a'], total: 6 });
      expect(await page({ limit: 2, offset: 10 })).toEqual({ ids: [], total: 6 });
      expect(await page({ text: 'visura', limit: 1, offset: 1 })).toEqual({ ids: ['d'], total: 4 });
      expect(await page({ text: 'visura', limit: 1, offset: 5 })).toEqual({ ids: [], total: 4 });
    });
  });

  it('filters by the clerk’s states, each naming exactly the rows the screens show in it', async () => {
    const { requests } = await open();
    const rows = fc.sample(
      fc.record({
        status: fc.constantFrom<RequestStatus>(...requestStatuses),
        lastError: fc.option(fc.constant({ code: 'network' as const, message: 'x' }), { nil: null }),
        documentsState: fc.constantFrom('none' as const, 'ready' as const, 'failed' as const),
        search: fc.option(fc.record({ idRicerca: fc.constant('r_0'), results: fc.constant([] as never[]) }), {
          nil: null,
        }),
        remoteState: fc.option(
          fc.constantFrom('In ricerca', 'In erogazione', 'Dati disponibili', 'Visura evasa', 'Annullata'),
          { nil: null },
        ),
        remoteEsito: fc.option(
          fc.record({ codice: fc.constantFrom('0', '12', '1'), info: fc.constant('motivo') }),
          { nil: null },
        ),
      }),
      { numRuns: 200, seed: 20261201 },
    );
    // A request of every state at least, whatever the sample holds.
    rows.push(
      {
        status: 'done',
        lastError: null,
        documentsState: 'ready',
        search: null,
        remoteState: 'Dati disponibili',
        remoteEsito: null,
      },
      {
        status: 'done',
        lastError: null,
        documentsState: 'ready',
        search: null,
        remoteState: 'Visura evasa',
        remoteEsito: null,
      },
      {
        status: 'cancelled',
        lastError: null,
        documentsState: 'none',
        search: null,
        remoteState: 'Annullata',
        remoteEsito: { codice: '12', info: 'motivo' },
      },
    );
    for (const [i, r] of rows.entries()) await requests.insert(row(`s${String(i).padStart(3, '0')}`, r));
    const all = await Promise.all(rows.map((_, i) => requests.get(`s${String(i).padStart(3, '0')}`)));
    for (const state of clerkStates) {
      const expected = all.filter((r) => stateOf(r!) === state).map((r) => r!.id);
      const page = await requests.search({
        states: [state],
        limit: 1000,
        sortBy: 'createdAt',
        sortDir: 'asc',
      });
      expect(sorted(page.rows), state).toEqual(expected.sort());
      expect(page.total, state).toBe(expected.length);
      // Every state must have been met, or the comparison proves little.
      expect(expected.length, state).toBeGreaterThan(0);
    }
    const two = await requests.search({ states: ['pronta', 'completata'], limit: 1000 });
    expect(two.total).toBe(all.filter((r) => ['pronta', 'completata'].includes(stateOf(r!))).length);
  });

  it('gives each request one pratica number, never the same twice under concurrent sends, and keeps it', async () => {
    const { requests } = await open();
    const n = 30;
    for (let i = 0; i < n; i++) await requests.insert(row(`n${i}`, { status: 'draft' }));
    // All at once: on PostgreSQL each on its own connection, as counters sending together.
    const given = await Promise.all(
      Array.from({ length: n }, (_, i) => requests.assignNumber(`n${i}`, 'RM1', 2026)),
    );
    expect(new Set(given).size).toBe(n);
    expect([...given].sort()).toEqual(
      Array.from({ length: n }, (_, i) => `RM1-2026-${String(i + 1).padStart(6, '0')}`),
    );
    for (let i = 0; i < n; i++) expect((await requests.get(`n${i}`))?.number).toBe(given[i]);
    // Kept: asked again (a send resumed, a second window), the same number.
    expect(
      await Promise.all([requests.assignNumber('n0', 'RM1', 2026), requests.assignNumber('n0', 'RM1', 2026)]),
    ).toEqual([given[0], given[0]]);
    // Each prefix and year counts on its own; no prefix: the year first.
    await requests.insert(row('other', { status: 'draft' }));
    await requests.insert(row('next-year', { status: 'draft' }));
    await requests.insert(row('bare', { status: 'draft' }));
    expect(await requests.assignNumber('other', 'MI2', 2026)).toBe('MI2-2026-000001');
    expect(await requests.assignNumber('next-year', 'RM1', 2027)).toBe('RM1-2027-000001');
    expect(await requests.assignNumber('bare', '', 2026)).toBe('2026-000001');
    expect(await requests.assignNumber('missing', 'RM1', 2026)).toBeNull();
  });

  it('lists drafts sent back by the API and untouched since a time', async () => {
    const { requests } = await open();
    const before = T;
    await insertAll(requests, [
      row('stale', { status: 'draft', remoteId: 'r1', updatedAt: before - 1 }),
      row('stale2', { status: 'draft', remoteId: 'r2', updatedAt: before - DAY }),
      row('touched', { status: 'draft', remoteId: 'r3', updatedAt: before }),
      row('local', { status: 'draft', remoteId: null, updatedAt: before - DAY }),
      row('purged', { status: 'draft', remoteId: 'r4', updatedAt: before - DAY, purgedAt: before - DAY }),
      row('pending', { status: 'pending', remoteId: 'r5', updatedAt: before - DAY }),
    ]);

    expect(sorted(await requests.staleRemoteDrafts(before))).toEqual(['stale', 'stale2']);
  });

  it('lists finished requests older than a time that still hold personal data', async () => {
    const { requests } = await open();
    const before = T;
    await insertAll(requests, [
      row('done-old', { status: 'done', createdAt: before - 3 * DAY, completedAt: before - 2 * DAY }),
      row('cancelled-created-old', { status: 'cancelled', createdAt: before - DAY, completedAt: null }),
      row('done-recent', { status: 'done', createdAt: before - 3 * DAY, completedAt: before }),
      row('cancelled-new', { status: 'cancelled', createdAt: before, completedAt: null }),
      row('purged', {
        status: 'done',
        createdAt: before - 3 * DAY,
        completedAt: before - DAY,
        purgedAt: before,
      }),
      row('pending-old', { status: 'pending', createdAt: before - 3 * DAY }),
      row('draft-old', { status: 'draft', createdAt: before - 3 * DAY }),
    ]);

    expect(sorted(await requests.purgeable(before))).toEqual(['cancelled-created-old', 'done-old']);
    expect(sorted(await requests.purgeable(before + 1))).toEqual([
      'cancelled-created-old',
      'cancelled-new',
      'done-old',
      'done-recent',
    ]);
  });

  it('marks a request purged now, with its patch', async () => {
    const { requests, clock } = await open();
    const done = row('a', {
      clientCf: 'A',
      status: 'done',
      createdAt: T - 3 * DAY,
      completedAt: T - 2 * DAY,
    });
    await requests.insert(done);
    await requests.insert(
      row('b', { clientCf: 'A', status: 'done', createdAt: T - 4 * DAY, completedAt: T - 3 * DAY }),
    );
    clock.now = T + 5 * DAY;

    await requests.markPurged('a', { clientNome: null, clientEmail: null, fields: {} });

    expect(await requests.get('a')).toEqual({
      ...done,
      clientNome: null,
      clientEmail: null,
      fields: {},
      purgedAt: T + 5 * DAY,
      updatedAt: T + 5 * DAY,
    });
    expect((await requests.lastByClient('A'))?.id).toBe('b');
    expect(ids(await requests.purgeable(T))).toEqual(['b']);
    expect(await requests.documentsDue()).toEqual(['b']);
    await requests.markPurged('missing');
    expect(await requests.get('missing')).toBeNull();
  });
});
