import { describe, expect, it } from 'vitest';
import { it as italian } from '../../../renderer/i18n/it.ts';
import { congedoDraft, sendDraft } from '../../support/drafts.ts';
import { EMAIL, KEY, openapi, sandboxApp } from '../../support/openapi.ts';
import { CONGEDO, clientFor, seedJson } from '../../support/simulator.ts';

/*
 * Each counter makes its own token, capped at what the office chose for it (`limits.walletAmount`),
 * and its spending is compared with what its log says it was charged.
 */
describe('a counter’s spending cap', () => {
  it('makes the counter’s token with limits.walletAmount, anew when the cap changes', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    const first = remote.oauthTokens()[0]!.token;

    expect(await h['settings.setSpendingCap']('sandbox', 20)).toMatchObject({ kind: 'key', spendingCap: 20 });
    expect(remote.oauthTokens()).toEqual([
      expect.objectContaining({ name: 'Sportello – Ufficio-1 (sandbox)', limits: { walletAmount: 20 } }),
    ]);
    expect(remote.oauthTokens()[0]!.token).not.toBe(first);
    // Kept with the key, across a restart; removed, the next token has no cap.
    const again = await t.restart();
    again.ports.dialogs.confirmEverything();
    expect((await again.app.handlers['settings.credentials']())[1]).toMatchObject({ spendingCap: 20 });
    await again.app.handlers['settings.setSpendingCap']('sandbox', null);
    expect(remote.oauthTokens().map((x) => x.limits)).toEqual([{}]);
    // A ready token is the office's: no cap can be put on it from here.
    await again.app.handlers['settings.setToken']('sandbox', 'token-pronto-0123456789');
    await expect(again.app.handlers['settings.setSpendingCap']('sandbox', 10)).rejects.toMatchObject({
      code: 'not_allowed',
    });
  });

  it('a refusal at the POST (charged at creation) sends the request back to its draft, in Italian, nothing charged nor uncertain', async () => {
    const { remote, clock } = await openapi({ reading: { charge: 'open' } });
    const t = await sandboxApp(remote, clock);
    await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);
    await t.app.handlers['settings.setSpendingCap']('sandbox', 20);
    expect((await sendDraft(t.app, await congedoDraft(t.app))).status).toBe('pending');

    const second = await congedoDraft(t.app);
    const refusal = await sendDraft(t.app, second).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'spending_cap', ambiguous: false });
    expect(await t.app.handlers['drafts.get'](second)).toMatchObject({
      remoteId: null,
      lastError: { code: 'spending_cap' },
    });
    expect(remote.requests()).toHaveLength(1);
    expect(remote.charges()).toHaveLength(1);
    expect(italian.errors.spending_cap).toMatch(/^Tetto di spesa raggiunto per questo sportello/);
  });

  it('a refusal at the PUT (charged at the close) leaves the request open and unpaid with the reason; a higher cap lets it through', async () => {
    const { remote, clock } = await openapi({ reading: { charge: 'close' } });
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    await h['settings.setSpendingCap']('sandbox', 20);
    await sendDraft(t.app, await congedoDraft(t.app));

    const second = await congedoDraft(t.app);
    await expect(sendDraft(t.app, second)).rejects.toMatchObject({ code: 'spending_cap', ambiguous: false });
    const open = await h['requests.get'](second);
    expect(open).toMatchObject({
      status: 'open',
      chargedPrice: null,
      needsAttention: true,
      lastError: { code: 'spending_cap' },
    });
    expect(remote.requests().find((r) => r._id === open.remoteId)).toMatchObject({ state: 0, charged: 0 });
    expect(remote.charges()).toHaveLength(1);

    // A new token with a higher cap: "Riprova" closes the same open request, charged once.
    await h['settings.setSpendingCap']('sandbox', 50);
    expect(await h['requests.retry'](second)).toMatchObject({ status: 'pending', chargedPrice: 14.7 });
    expect(remote.requests()).toHaveLength(2);
    expect(remote.charges()).toHaveLength(2);
  });
});

describe('a counter’s spending beside its log', () => {
  it('agrees with the log, and shows a mismatch when the token spent what the log does not know', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    expect(await h['settings.spending']('prova')).toMatchObject({ status: 'unavailable' });
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    const since = clock.now();
    clock.advance(1_000);
    await sendDraft(t.app, await congedoDraft(t.app));

    expect(await h['settings.spending']()).toEqual({
      environment: 'sandbox',
      status: 'ok',
      counter: 'Ufficio-1',
      since,
      cap: null,
      token: { amount: 14.7, requests: 1 },
      log: { amount: 14.7, requests: 1 },
      error: null,
    });

    // Something else spent with this counter's token (another program, a copy of the key's token).
    const token = (await t.app.internals.credentials.bearer('sandbox'))!;
    await clientFor(remote, { token: () => token }).createRequest({
      hash_visura: CONGEDO,
      json_visura: seedJson(),
    });
    expect(await h['settings.spending']()).toMatchObject({
      status: 'mismatch',
      token: { amount: 29.4, requests: 2 },
      log: { amount: 14.7, requests: 1 },
    });
  });

  it('counts only this counter’s requests since its token, and has nothing to compare with a ready token', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock, 'Ufficio-1');
    const h = t.app.handlers;
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    await sendDraft(t.app, await congedoDraft(t.app));
    // Renamed: the counter gets a token of its own, and a new period begins with it.
    await h['settings.update']({ counterName: 'Ufficio-2' });
    clock.advance(1_000);
    await sendDraft(t.app, await congedoDraft(t.app));
    expect(await h['settings.spending']('sandbox')).toMatchObject({
      status: 'ok',
      counter: 'Ufficio-2',
      token: { amount: 14.7, requests: 1 },
      log: { amount: 14.7, requests: 1 },
    });

    await h['settings.setToken']('sandbox', (await t.app.internals.credentials.bearer('sandbox'))!);
    expect(await h['settings.spending']('sandbox')).toMatchObject({ status: 'unavailable', token: null });
  });
});
