import { describe, expect, it } from 'vitest';
import type { AccountIssue } from '../../../common/requests.ts';
import type { AppError } from '../../../main/errors.ts';
import { sqliteOf, startApp, type TestApp } from '../../support/app.ts';
import { congedoDraft, RISCATTO, sendDraft } from '../../support/drafts.ts';
import { clientFor, pdfFileString } from '../../support/simulator.ts';

/*
 * Every remote request on the account, owned (issue 20; VISENGINE.md, "`state` vs the phase" and
 * "The account as the truth"). The documented field decides whether a request is open; whatever
 * the account holds that no request of the log owns is shown to the clerk, with its charge, until
 * the clerk decides — never assumed away.
 */

const error = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

/** What Home shows of the account once its requests and charges have been read. */
async function accountIssues(t: TestApp): Promise<AccountIssue[]> {
  await t.app.internals.account.run('prova');
  await t.app.internals.charges.run('prova');
  return (await t.app.handlers['requests.home']()).accountIssues;
}

/** Someone else on the account (another program, the console) makes a request: no request owns it. */
async function madeElsewhere(t: TestApp, state: 0 | 1 = 0) {
  return clientFor(t.simulator).createRequest({
    hash_visura: RISCATTO,
    json_visura: {
      $0: 'Anna',
      $1: 'Neri',
      $2: 'anna@example.it',
      $3: '3331234567',
      $4: 'RSSMRA85T10A562S',
      $5: pdfFileString('identita.pdf'),
      $6: pdfFileString('tessera.pdf'),
    },
    state,
  });
}

describe('an open request that already reads "In erogazione", charged at creation', () => {
  for (const state of ['present', 'absent'] as const) {
    it(`pays once per request when a reset loses the answer to a committed POST (state ${state})`, async () => {
      // The issue's report: the congedo and the riscatto leva shown as sent once each, the account
      // charged 3 times for 2 requests (500,00 → 438,52 €), and "Da controllare 0".
      const t = await startApp({
        wallet: 500,
        reading: { charge: 'open', openPhase: 'in-erogazione', echo: 'none', state },
      });
      const congedo = await congedoDraft(t.app);
      await sendDraft(t.app, congedo);
      t.clock.advance(60_000);
      const riscatto = await congedoDraft(t.app, { service: RISCATTO, fields: { $1: 'Verdi' } });
      // The two price checks pass; the POST is committed, then the connection is reset.
      t.simulator.faults.add({ kind: 'reset-after', method: 'POST', path: '/richiesta', skip: 2 });
      const sent = await sendDraft(t.app, riscatto);
      expect(sent.status).toBe('pending');

      expect(t.simulator.requests()).toHaveLength(2);
      expect(t.simulator.charges()).toHaveLength(2);
      // Both remote requests are closed (sent), each owned by its request.
      expect(t.simulator.requests().every((r) => r.state === 1)).toBe(true);
      const owned = [];
      for (const id of [congedo, riscatto])
        owned.push((await t.app.internals.store.requests.get(id))!.remoteId);
      expect(new Set(owned)).toEqual(new Set(t.simulator.requests().map((r) => r._id)));
      const spent = t.simulator.charges().reduce((n, c) => n + c.amount, 0);
      expect(Math.round((500 - t.simulator.wallet) * 100) / 100).toBe(Math.round(spent * 100) / 100);
      expect(await accountIssues(t)).toEqual([]);
    });
  }

  it('closes with the PUT a request it opened, whatever stato_richiesta says', async () => {
    const t = await startApp({ reading: { openPhase: 'in-erogazione', state: 'absent' } });
    const id = await congedoDraft(t.app);
    // The PUT's answer is lost twice and the request reads "In erogazione" meanwhile: without
    // `state`, only the PUT's "already closed" proves the close.
    t.simulator.faults.add({ kind: 'status', status: 503, method: 'PUT', times: 3 });
    expect(await error(sendDraft(t.app, id))).toMatchObject({ code: 'server_error' });
    const open = (await t.app.internals.store.requests.get(id))!;
    expect(open.status).toBe('open');
    expect(t.simulator.requests()[0]).toMatchObject({ state: 0 });
    const sent = await t.app.handlers['requests.retry'](id);
    expect(sent.status).toBe('pending');
    expect(t.simulator.requests()).toMatchObject([{ state: 1 }]);
    expect(t.simulator.charges()).toHaveLength(1);
  });
});

describe('a request of the account that no request owns', () => {
  it('is shown on Home with its service, price, time and state, and its charge too', async () => {
    const t = await startApp({ reading: { charge: 'open' } });
    await sendDraft(t.app, await congedoDraft(t.app));
    t.clock.advance(3_600_000);
    const elsewhere = await madeElsewhere(t);
    const issues = await accountIssues(t);
    expect(issues).toEqual([
      expect.objectContaining({
        kind: 'orphan_request',
        id: elsewhere.id,
        serviceName: expect.stringMatching(/leva militare/i) as unknown,
        amount: 21,
        at: t.clock.now() - (t.clock.now() % 1000),
        stato: 'In ricerca',
        transaction: 'open',
      }),
      expect.objectContaining({
        kind: 'orphan_charge',
        amount: 21,
        remoteId: elsewhere.id,
      }),
    ]);
    const verdicts = sqliteOf(t.app)
      .prepare('SELECT verdict, count(*) AS n FROM wallet_transactions GROUP BY verdict ORDER BY verdict')
      .all();
    expect(verdicts).toEqual([
      { verdict: 'matched', n: 1 },
      { verdict: 'orphan', n: 1 },
    ]);
  });

  it('leaves Home once linked to a request, its charge then matched, and the trail says who', async () => {
    const t = await startApp({ reading: { charge: 'open' } });
    const id = await congedoDraft(t.app);
    await sendDraft(t.app, id);
    t.clock.advance(600_000);
    const elsewhere = await madeElsewhere(t, 1);
    expect(await accountIssues(t)).toHaveLength(2);
    // A draft is no target: it has no request on the service.
    const draft = await congedoDraft(t.app, { fields: { $1: 'Gialli' } });
    expect(await error(t.app.handlers['account.link']('prova', elsewhere.id, draft))).toMatchObject({
      code: 'not_allowed',
      details: { reason: 'link_draft' },
    });
    await t.app.handlers['account.link']('prova', elsewhere.id, id);
    expect(await accountIssues(t)).toEqual([]);
    expect(await t.app.internals.store.ledger.get('prova', elsewhere.id)).toMatchObject({
      requestId: id,
      origin: 'adopted',
      fate: 'closed',
      price: 21,
    });
    const detail = await t.app.handlers['requests.get'](id);
    expect(detail.events.filter((e) => e.kind === 'account_linked')).toEqual([
      expect.objectContaining({ data: { remoteId: elsewhere.id, environment: 'prova' } }),
    ]);
    // Decided once: a second decision (another counter's, a double click) is refused.
    expect(await error(t.app.handlers['account.disown']('prova', elsewhere.id))).toMatchObject({
      code: 'not_allowed',
      details: { reason: 'orphan_decided' },
    });
  });

  it('leaves Home once said not to be the office’s; its charge is then explained', async () => {
    const t = await startApp({ reading: { charge: 'open' } });
    const elsewhere = await madeElsewhere(t);
    expect((await accountIssues(t)).map((i) => i.kind)).toEqual(['orphan_request', 'orphan_charge']);
    await t.app.handlers['account.disown']('prova', elsewhere.id);
    expect(await accountIssues(t)).toEqual([]);
    const verdicts = sqliteOf(t.app).prepare('SELECT verdict FROM wallet_transactions').all();
    expect(verdicts).toEqual([{ verdict: 'foreign' }]);
    const trail = sqliteOf(t.app)
      .prepare("SELECT request_id, data_json FROM events WHERE kind = 'account_foreign'")
      .all() as { request_id: string | null; data_json: string }[];
    expect(trail).toEqual([
      { request_id: null, data_json: JSON.stringify({ environment: 'prova', remoteId: elsewhere.id }) },
    ]);
  });

  it('can be cancelled from Home while open; a closed one cannot', async () => {
    const t = await startApp();
    const open = await madeElsewhere(t);
    const closed = await madeElsewhere(t, 1);
    await accountIssues(t);
    expect(await error(t.app.handlers['account.cancel']('prova', closed.id))).toMatchObject({
      code: 'not_allowed',
      details: { reason: 'orphan_closed' },
    });
    await t.app.handlers['account.cancel']('prova', open.id);
    expect(t.simulator.requests().find((r) => r._id === open.id)!.cancelledAt).not.toBeNull();
    // The closed one was paid (charged at the close): it stays, and so does its charge.
    expect((await accountIssues(t)).map((i) => [i.kind, i.remoteId])).toEqual([
      ['orphan_request', closed.id],
      ['orphan_charge', closed.id],
    ]);
  });

  it('stays on Home when the service will not cancel it (no DELETE), with the reason', async () => {
    const t = await startApp({ reading: { delete: 'absent' } });
    const open = await madeElsewhere(t);
    await accountIssues(t);
    expect(await error(t.app.handlers['account.cancel']('prova', open.id))).toMatchObject({
      code: 'not_found',
    });
    expect(await accountIssues(t)).toEqual([
      expect.objectContaining({ kind: 'orphan_request', id: open.id }),
    ]);
  });

  it('is not shown while an uncertain POST of the same service is being reconciled', async () => {
    const t = await startApp({ reading: { echo: 'none' }, config: { settleMs: 2_000 } });
    const id = await congedoDraft(t.app);
    const quote = await t.app.handlers['requests.quote'](id);
    // The POST is committed and its answer lost (the sending's own price check passes first); the
    // app waits for the server to settle.
    t.simulator.faults.add({ kind: 'reset-after', method: 'POST', path: '/richiesta', skip: 1 });
    const sending = t.app.handlers['requests.submit'](id, quote.total);
    await waitFor(async () => (await t.app.internals.store.requests.get(id))!.attemptEndedAt !== null);
    expect(t.simulator.requests()).toHaveLength(1);
    expect(await accountIssues(t)).toEqual([]);
    // Settled: the request the POST created is this one's, not an orphan.
    await sending;
    expect(await accountIssues(t)).toEqual([]);
    expect(t.simulator.requests()).toHaveLength(1);
    expect((await t.app.internals.store.requests.get(id))!.remoteId).toBe(t.simulator.requests()[0]!._id);
  });
});

describe('a price check that validates nothing', () => {
  it('shows the service’s refusal at the close on the field, and closes the same open request once corrected', async () => {
    const t = await startApp({ reading: { testCheck: 'none', charge: 'open' } });
    // A number the service refuses although it is well formed: only the server knows.
    t.simulator.refuseData({ field: '$3', pattern: '^\\+?3933312', message: 'cellulare non attivo' });
    const id = await congedoDraft(t.app);
    const refused = await error(sendDraft(t.app, id));
    expect(refused).toMatchObject({ code: 'validation_failed', ambiguous: false });
    const draft = await t.app.handlers['drafts.get'](id);
    expect(draft.lastError).toMatchObject({
      code: 'validation_failed',
      details: { fields: { $3: 'cellulare non attivo' } },
    });
    // Nothing is uncertain: the draft keeps its open (already paid) request, fields editable.
    expect(draft.remoteId).toBe(t.simulator.requests()[0]!._id);
    expect(t.simulator.requests()).toMatchObject([{ state: 0 }]);
    await t.app.handlers['drafts.update'](id, { fields: { $3: '347 765 4321' } });
    const sent = await sendDraft(t.app, id);
    expect(sent).toMatchObject({ status: 'pending', remoteId: draft.remoteId });
    expect(t.simulator.requests()).toMatchObject([
      { state: 1, json: expect.objectContaining({ $3: expect.stringMatching(/347/) as unknown }) as unknown },
    ]);
    expect(t.simulator.charges()).toHaveLength(1);
  });
});

async function waitFor(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
