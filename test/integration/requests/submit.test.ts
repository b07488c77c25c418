import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../main/errors.ts';
import { clientFor, CONGEDO, seedJson, startSimulator } from '../../support/simulator.ts';
import { DEFAULT_READING, LEAST_CONVENIENT } from '../../../main/simulator/reading.ts';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import { startApp, startApp as startTestApp, type TestApp } from '../../support/app.ts';
import { ManualClock } from '../../support/clock.ts';
import { congedoDraft } from '../../support/drafts.ts';

async function quoteAndSubmit(t: TestApp, id: string) {
  const quote = await t.app.handlers['requests.quote'](id);
  return t.app.handlers['requests.submit'](id, quote.total);
}

/** The invariant every test ends on: one local row ↔ one remote request, paid once. */
async function expectChargedOnce(t: TestApp, localId: string, price = 14.7) {
  const row = (await t.app.internals.store.requests.get(localId))!;
  const closed = t.simulator.requests().filter((r) => r.state === 1);
  expect(closed).toHaveLength(1);
  expect(closed[0]!._id).toBe(row.remoteId);
  expect(t.simulator.charges()).toHaveLength(1);
  expect(t.simulator.charges()[0]).toMatchObject({ requestId: row.remoteId, amount: price });
  expect(row.status).toBe('pending');
  expect(row.chargedPrice).toBe(price);
}

const error = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

describe('two-phase submission', () => {
  it('prices the draft with test:true, then sends it once and forgets the scans', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    const quote = await t.app.handlers['requests.quote'](id);
    expect(quote).toMatchObject({ base: 14.7, options: [], total: 14.7 });
    expect(t.simulator.requests()).toHaveLength(0);

    const sent = await t.app.handlers['requests.submit'](id, 14.7);
    expect(sent).toMatchObject({
      status: 'pending',
      confirmedPrice: 14.7,
      chargedPrice: 14.7,
      clientCf: 'RSSMRA85T10A562S',
    });
    await expectChargedOnce(t, id);

    expect(existsSync(join(t.root, 'userData', 'drafts', id))).toBe(false);
    const detail = await t.app.handlers['requests.get'](id);
    expect(detail.attachments.every((a) => !a.available)).toBe(true);
    expect(detail.attachments.map((a) => a.sha256)).toHaveLength(3);
    expect(detail.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['created', 'validated', 'submitted', 'accepted', 'scans_deleted']),
    );
    // One rule on screen: the codice fiscale in full, as in the header (logs mask it).
    expect(detail.fields.find((f) => f.key === '$4')?.value).toBe('RSSMRA85T10A562S');
  });

  it('sends the normalised data: one PDF per document, mobile in E.164', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    await quoteAndSubmit(t, id);
    const stored = t.simulator.requests()[0]!;
    expect(stored.json.$3).toBe('+393331234567');
    expect(stored.json.$4).toBe('RSSMRA85T10A562S');
    for (const key of ['$5', '$6', '$7']) expect(stored.json[key]).toMatch(/\.pdf\|\d+ byte$/);
  });

  it('adds the chosen options to the price and to the charge', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    await t.app.handlers['drafts.update'](id, { options: ['opzione_0'] });
    const quote = await t.app.handlers['requests.quote'](id);
    expect(quote.total).toBe(18.7);
    await t.app.handlers['requests.submit'](id, 18.7);
    await expectChargedOnce(t, id, 18.7);
  });

  it('refuses a confirmation made before the data changed', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    await t.app.handlers['requests.quote'](id);
    await t.app.handlers['drafts.update'](id, { fields: { $0: 'Maria' } });
    const e = await error(t.app.handlers['requests.submit'](id, 14.7));
    expect(e).toMatchObject({ code: 'price_changed', details: { reason: 'data_changed' } });
    expect(t.simulator.requests()).toHaveLength(0);
  });

  it('refuses a confirmed price that is not the quoted one', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    await t.app.handlers['requests.quote'](id);
    const e = await error(t.app.handlers['requests.submit'](id, 10));
    expect(e).toMatchObject({ code: 'price_changed', details: { price: 14.7, confirmed: 10 } });
    expect(t.simulator.requests()).toHaveLength(0);
  });

  it('refuses a wrong check letter before any call that costs money', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app, { fields: { $4: 'RSSMRA85T10A562T' } });
    const e = await error(t.app.handlers['requests.quote'](id));
    expect(e).toMatchObject({
      code: 'validation_failed',
      details: { fields: { $4: { code: 'cf.check', params: { expected: 'S' } } } },
    });
    expect(t.simulator.calls.get('POST /richiesta')).toBeUndefined();
  });

  it('names the smallest set of missing fields', async () => {
    const t = await startApp();
    const draft = await t.app.handlers['drafts.create'](CONGEDO);
    await t.app.handlers['drafts.update'](draft.id, { fields: { $0: 'Mario', $1: 'Rossi' } });
    const e = await error(t.app.handlers['requests.quote'](draft.id));
    expect(e).toMatchObject({
      code: 'validation_failed',
      details: { missing: ['$2', '$3', '$4', '$5', '$6'] },
    });
  });

  it('lets only one of two simultaneous clicks through', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    const quote = await t.app.handlers['requests.quote'](id);
    const results = await Promise.allSettled([
      t.app.handlers['requests.submit'](id, quote.total),
      t.app.handlers['requests.submit'](id, quote.total),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await expectChargedOnce(t, id);
  });
});

describe.each([
  ['as the simulator always answered', DEFAULT_READING],
  ['charged at creation, nothing echoed, every option listed, no state', LEAST_CONVENIENT],
] as const)('exactly once under faults, %s', (_name, reading) => {
  const startApp = (options: Parameters<typeof startTestApp>[0] = {}) =>
    startTestApp({ reading, ...options });
  /** Charges taken while the request is still open: one where the service charges at creation. */
  const paidWhileOpen = reading.charge === 'open' ? 1 : 0;

  it('never charges twice when the POST times out after the server accepted it', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add({ kind: 'hang-after', method: 'POST', path: '/richiesta', skip: 2 });
    await quoteAndSubmit(t, id);
    expect(t.simulator.requests()).toHaveLength(1);
    await expectChargedOnce(t, id);
  });

  it('never charges twice when the connection resets after the server committed the POST', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add({ kind: 'reset-after', method: 'POST', path: '/richiesta', skip: 2 });
    await quoteAndSubmit(t, id);
    expect(t.simulator.requests()).toHaveLength(1);
    await expectChargedOnce(t, id);
  });

  it('sends again after an uncertain POST that never arrived, once the list shows nothing', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add({ kind: 'reset-before', method: 'POST', path: '/richiesta', skip: 2 });
    await quoteAndSubmit(t, id);
    expect(t.simulator.calls.get('GET /richiesta')).toBeGreaterThanOrEqual(1);
    expect(t.simulator.requests()).toHaveLength(1);
    await expectChargedOnce(t, id);
  });

  it('sends nothing more while it cannot check an uncertain POST, and finishes at the next start', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add(
      { kind: 'hang-after', method: 'POST', path: '/richiesta', skip: 2 },
      { kind: 'status', status: 503, method: 'GET', path: '/richiesta', times: 20 },
    );
    const e = await error(quoteAndSubmit(t, id));
    expect(e).toMatchObject({ ambiguous: true });
    expect(await t.app.internals.store.requests.get(id)).toMatchObject({ status: 'sending', remoteId: null });
    expect(t.simulator.requests()).toHaveLength(1);
    expect(t.simulator.charges()).toHaveLength(paidWhileOpen);

    t.simulator.faults.clear();
    const again = await t.restart();
    await again.app.start();
    expect(t.simulator.requests()).toHaveLength(1);
    await expectChargedOnce(again, id);
  });

  it('completes at the next start a request left between POST and PUT', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add({ kind: 'reset-before', method: 'PUT', times: 20 });
    const e = await error(quoteAndSubmit(t, id));
    expect(e).toMatchObject({ ambiguous: true });
    const left = (await t.app.internals.store.requests.get(id))!;
    expect(left).toMatchObject({ status: 'open', submitIntent: true });
    expect(left.remoteId).toMatch(/^[0-9a-f]{24}$/);
    expect(t.simulator.charges()).toHaveLength(paidWhileOpen);

    t.simulator.faults.clear();
    const again = await t.restart();
    await again.app.start();
    await expectChargedOnce(again, id);
  });

  it('checks before repeating a PUT that answered 5xx', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add({ kind: 'status', status: 502, method: 'PUT' });
    await quoteAndSubmit(t, id);
    await expectChargedOnce(t, id);
  });

  it('counts a PUT that committed but answered 5xx as done', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add({ kind: 'status-after', status: 504, method: 'PUT' });
    await quoteAndSubmit(t, id);
    await expectChargedOnce(t, id);
  });

  it('treats a repeated PUT answering "already closed" as success', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add(
      { kind: 'status-after', status: 504, method: 'PUT' },
      { kind: 'status', status: 503, method: 'GET', path: '^/richiesta/', times: 2 },
    );
    await quoteAndSubmit(t, id);
    expect(t.simulator.calls.get('PUT /richiesta')).toBe(2);
    await expectChargedOnce(t, id);
  });

  it('leaves a PUT it cannot confirm for "Riprova", which finishes it without paying twice', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    t.simulator.faults.add(
      { kind: 'hang-after', method: 'PUT', times: 3 },
      { kind: 'status', status: 503, method: 'GET', path: '^/richiesta/', times: 20 },
    );
    const e = await error(quoteAndSubmit(t, id));
    expect(e).toMatchObject({ ambiguous: true });
    expect(await t.app.internals.store.requests.get(id)).toMatchObject({ status: 'open' });
    t.simulator.faults.clear();
    await t.app.handlers['requests.retry'](id);
    await expectChargedOnce(t, id);
  });

  it('never adopts an open request of the same service that someone else opened a minute earlier', async () => {
    const t = await startApp();
    // One request sent normally first: its timestamp_creation teaches the app the service's clock.
    const first = await congedoDraft(t.app, { fields: { $1: 'Verdi' } });
    await quoteAndSubmit(t, first);
    const other = await clientFor(t.simulator).createRequest({
      hash_visura: CONGEDO,
      json_visura: seedJson({ $0: 'Giulia', $1: 'Bianchi', $4: 'RCCMNL83S18D969H' }),
      state: 0,
    });
    t.clock.advance(60_000);
    const id = await congedoDraft(t.app);
    t.simulator.faults.add({ kind: 'reset-before', method: 'POST', path: '/richiesta', skip: 2 });
    await quoteAndSubmit(t, id);
    const row = (await t.app.internals.store.requests.get(id))!;
    expect(row.remoteId).not.toBe(other.id);
    expect(row.status).toBe('pending');
    // The other request stays as its owner left it; only ours were paid.
    expect(t.simulator.requests().find((r) => r._id === other.id)?.state).toBe(0);
    const charged = t.simulator.charges().flatMap((c) => (c.requestId === other.id ? [] : [c.requestId]));
    expect(charged.sort()).toEqual(
      [(await t.app.internals.store.requests.get(first))!.remoteId, row.remoteId].sort(),
    );
  });

  it('asks the clerk when an uncertain POST cannot be told from another open request, and records the choice', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    // Someone else opens a request of the same service at the same moment our POST's answer is lost.
    const quote = await t.app.handlers['requests.quote'](id);
    const other = await clientFor(t.simulator).createRequest({
      hash_visura: CONGEDO,
      json_visura: seedJson({ $0: 'Giulia', $1: 'Bianchi', $4: 'RCCMNL83S18D969H' }),
      state: 0,
    });
    // The submission's price check passes; its POST commits and the connection drops.
    t.simulator.faults.add({ kind: 'reset-after', method: 'POST', path: '/richiesta', skip: 1 });
    const submitted = await error(t.app.handlers['requests.submit'](id, quote.total));
    const ours = t.simulator.requests().find((r) => r._id !== other.id)!;
    if (reading.echo === 'ricerche') {
      // The echo proves which one is ours: no question.
      expect(submitted).toBeNull();
      expect((await t.app.internals.store.requests.get(id))!.remoteId).toBe(ours._id);
    } else {
      expect(submitted).toMatchObject({ code: 'needs_decision' });
      const detail = await t.app.handlers['requests.get'](id);
      expect(detail.needsAttention).toBe(true);
      expect(detail.candidates.map((c) => c.remoteId).sort()).toEqual([ours._id, other.id].sort());
      // The clerk checks in the Openapi console and adopts ours.
      await t.app.handlers['requests.resolveSubmission'](id, { adopt: ours._id });
      const events = await t.app.internals.store.trail.of(id);
      expect(events.find((e) => e.kind === 'decided')?.data).toMatchObject({
        choice: 'adopt',
        remoteId: ours._id,
      });
    }
    expect(await t.app.internals.store.requests.get(id)).toMatchObject({
      status: 'pending',
      remoteId: ours._id,
    });
    expect(t.simulator.requests().find((r) => r._id === other.id)?.state).toBe(0);
    expect(t.simulator.requests().find((r) => r._id === ours._id)?.state).toBe(1);
    // Ours is paid once; the other only if the service charges at creation (its owner's charge).
    expect(t.simulator.charges().filter((c) => c.requestId === ours._id)).toHaveLength(1);
    expect(t.simulator.charges()).toHaveLength(1 + (reading.charge === 'open' ? 1 : 0));
  });

  it('keeps the open request unpaid when the wallet is short, and pays once after a top-up', async () => {
    const t = await startApp({ wallet: 5 });
    const id = await congedoDraft(t.app);
    const e = await error(quoteAndSubmit(t, id));
    expect(e).toMatchObject({ code: 'insufficient_credit', details: { balance: 5 } });
    // Charged at close: the open request waits, unpaid. Charged at creation: nothing was created.
    expect(await t.app.internals.store.requests.get(id)).toMatchObject({
      status: reading.charge === 'open' ? 'draft' : 'open',
      submitIntent: false,
    });
    expect(t.simulator.charges()).toHaveLength(0);

    const restarted = await t.restart();
    await restarted.app.start();
    expect(t.simulator.charges()).toHaveLength(0);

    t.simulator.wallet = 100;
    if (reading.charge === 'open') await quoteAndSubmit(restarted, id);
    else await restarted.app.handlers['requests.retry'](id);
    await expectChargedOnce(restarted, id);
  });

  it('goes back to the draft when the API refuses the data, and reuses the open request', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    await t.app.handlers['requests.quote'](id);
    // Visengine's own refusal (412/229, "error in the input data"): nothing was done.
    t.simulator.faults.add({ kind: 'status', status: 412, error: 229, method: 'PUT' });
    const e = await error(t.app.handlers['requests.submit'](id, 14.7));
    expect(e).toMatchObject({ code: 'validation_failed' });
    const draft = await t.app.handlers['drafts.get'](id);
    expect(draft.remoteId).not.toBeNull();
    await quoteAndSubmit(t, id);
    expect(t.simulator.requests()).toHaveLength(1);
    await expectChargedOnce(t, id);
  });
});

describe.each([
  ['none', 'set back'],
  ['ricerche', 'set back'],
  ['none', 'still ahead'],
] as const)('an uncertain POST on a clock that moved (echo: %s, at the restart: %s)', (echo, restart) => {
  it('never sends again blind: what it created is looked for whenever it was stamped', async () => {
    const DAY = 86_400_000;
    const serviceClock = new ManualClock();
    const { simulator } = await startSimulator({ now: serviceClock.now, reading: { charge: 'open', echo } });
    // One request sent first on a clock in step with the service's: the ledger learns the offset.
    const cipher = new AesCipher();
    const t = await startTestApp({ simulator, clock: new ManualClock(serviceClock.now()), cipher });
    await quoteAndSubmit(t, await congedoDraft(t.app, { fields: { $1: 'Verdi' } }));
    await t.app.close();

    // The same PC, its clock 400 days ahead: the POST commits, its answer is lost, the list unreadable.
    const ahead = await startTestApp({
      simulator,
      clock: new ManualClock(serviceClock.now() + 400 * DAY),
      cipher,
      root: t.root,
    });
    const id = await congedoDraft(ahead.app);
    simulator.faults.add(
      { kind: 'hang-after', method: 'POST', path: '/richiesta', skip: 2 },
      { kind: 'status', status: 503, method: 'GET', path: '/richiesta', times: 20 },
    );
    expect(await error(quoteAndSubmit(ahead, id))).toMatchObject({ ambiguous: true });
    expect(await ahead.app.internals.store.requests.get(id)).toMatchObject({ status: 'sending' });
    const created = simulator.requests().find((r) => r.state === 0)!;
    simulator.faults.clear();
    await ahead.app.close();

    // A minute later, the clock set right (the attempt is stamped in its future), or still ahead
    // (the offset the ledger learnt is not the one the service's answers tell).
    serviceClock.advance(60_000);
    const back = await startTestApp({
      simulator,
      clock: new ManualClock(serviceClock.now() + (restart === 'set back' ? 0 : 400 * DAY)),
      cipher,
      root: t.root,
    });
    await back.app.start();
    // Nothing sent again: the first request and the one the uncertain POST created.
    expect(simulator.requests()).toHaveLength(2);
    if (echo === 'none') {
      // No echo, and a span that cannot be placed: the clerk sees the request and chooses.
      const detail = await back.app.handlers['requests.get'](id);
      expect(detail.candidates.map((c) => c.remoteId)).toEqual([created._id]);
      await back.app.handlers['requests.resolveSubmission'](id, { adopt: created._id });
    }
    expect(await back.app.internals.store.requests.get(id)).toMatchObject({
      status: 'pending',
      remoteId: created._id,
    });
    expect(simulator.requests()).toHaveLength(2);
    expect(simulator.charges().filter((c) => c.requestId === created._id)).toHaveLength(1);
  });
});

describe('who sends it', () => {
  it('records the clerk named at the first send on a draft begun before they gave a name, and never overwrites a named one', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const unnamed = await congedoDraft(t.app);
    // The name given in the question at the first send, before the request leaves.
    await h['settings.update']({ operatorName: 'Laura Verdi' });
    await quoteAndSubmit(t, unnamed);
    expect((await h['requests.get'](unnamed)).operator).toBe('Laura Verdi');

    const named = await congedoDraft(t.app, {
      fields: { $0: 'Giulia', $1: 'Bianchi', $4: 'BNCGLI90A41H501E' },
    });
    await h['settings.update']({ operatorName: 'Luca' });
    await quoteAndSubmit(t, named);
    expect((await h['requests.get'](named)).operator).toBe('Laura Verdi');
  });
});
