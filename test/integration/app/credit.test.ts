import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../main/simulator/server.ts';
import { startApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';

const walletCalls = (simulator: Simulator) => simulator.calls.get('GET /wallet') ?? 0;
const UNKNOWN = { credit: null, source: null, at: null };

describe('app.credit', () => {
  it('reads the Prova wallet from the simulator, caches it, and follows a charge', async () => {
    const t = await startApp();
    // These tests are about credentials: the clerk confirms every question of main.
    t.ports.dialogs.confirmEverything();
    const h = t.app.handlers;
    expect(await h['app.credit']()).toEqual({ credit: 500, source: 'wallet', at: t.clock.now() });
    expect(await h['app.credit']()).toMatchObject({ credit: 500 });
    expect(walletCalls(t.simulator)).toBe(1);

    const id = await congedoDraft(t.app);
    const quote = await h['requests.quote'](id);
    await h['requests.submit'](id, quote.total);
    expect(t.simulator.wallet).toBe(485.3);
    // A charge makes the cached answer stale at once, without waiting for the minute to pass.
    expect(await h['app.credit']()).toMatchObject({ credit: 485.3, source: 'wallet' });
    expect(walletCalls(t.simulator)).toBe(2);

    // Money moved outside the app: seen once the cached answer is a minute old.
    t.simulator.wallet = 200;
    expect(await h['app.credit']()).toMatchObject({ credit: 485.3 });
    t.clock.advance(61_000);
    expect(await h['app.credit']()).toMatchObject({ credit: 200, source: 'wallet' });
  });

  it('knows the balance from an insufficient-credit answer when the wallet cannot be read', async () => {
    const t = await startApp({ wallet: 10 });
    // These tests are about credentials: the clerk confirms every question of main.
    t.ports.dialogs.confirmEverything();
    const h = t.app.handlers;
    const id = await congedoDraft(t.app);
    const quote = await h['requests.quote'](id);
    await expect(h['requests.submit'](id, quote.total)).rejects.toMatchObject({
      code: 'insufficient_credit',
      details: { balance: 10 },
    });

    t.simulator.faults.add({ kind: 'status', method: 'GET', path: '/wallet', status: 503 });
    const at = t.clock.now();
    expect(await h['app.credit']()).toEqual({ credit: 10, source: 'error', at });
    expect(t.simulator.faults.pending()).toBe(0);

    // A network failure is no error for the caller either: the last known balance stays.
    t.clock.advance(61_000);
    t.simulator.faults.add({ kind: 'reset-before', method: 'GET', path: '/wallet' });
    expect(await h['app.credit']()).toEqual({ credit: 10, source: 'error', at });

    // Once the wallet answers again, its answer wins.
    t.clock.advance(61_000);
    t.simulator.wallet = 50;
    expect(await h['app.credit']()).toMatchObject({ credit: 50, source: 'wallet' });
  });

  it('asks nothing in Sandbox with a ready token only, and answers nulls', async () => {
    const t = await startApp();
    // These tests are about credentials: the clerk confirms every question of main.
    t.ports.dialogs.confirmEverything();
    const h = t.app.handlers;
    t.ports.dialogs.answer({ confirm: true });
    await h['settings.setToken']('sandbox', 'token-sandbox-123456');
    await h['settings.update']({ environment: 'sandbox' });
    expect(await h['app.credit']()).toEqual(UNKNOWN);
    expect(walletCalls(t.simulator)).toBe(0);

    const outcome = await t.app.dispatch('app.credit', []);
    expect(outcome).toEqual({ ok: true, value: UNKNOWN });
  });

  it('reads a real environment’s wallet with the account email and API key, never with the token', async () => {
    const remote = new Simulator({ owner: 'caf@example.it', apiKey: 'chiave-api-sandbox-abcdef' });
    await remote.start();
    try {
      const t = await startApp({ config: { baseUrlOverride: remote.url }, simulator: remote });
      // These tests are about credentials: the clerk confirms every question of main.
      t.ports.dialogs.confirmEverything();
      const h = t.app.handlers;
      // The built-in token (every scope) as a ready token: Visengine works, the wallet is not asked.
      t.ports.dialogs.answer({ confirm: true });
      await h['settings.setToken']('sandbox', remote.token);
      await h['settings.update']({ environment: 'sandbox' });
      expect(await h['app.credit']()).toEqual(UNKNOWN);
      expect(walletCalls(remote)).toBe(0);

      // Email and API key: used at once, not after the cached answer expires.
      await h['settings.setApiKey']('sandbox', 'caf@example.it', 'chiave-api-sandbox-abcdef');
      expect(await h['app.credit']()).toMatchObject({ credit: 500, source: 'wallet' });
      expect(walletCalls(remote)).toBe(1);
    } finally {
      await remote.stop();
    }
  });

  it('forgets the credit of an account whose credentials are cleared', async () => {
    const remote = new Simulator({ owner: 'caf@example.it', apiKey: 'chiave-api-sandbox-abcdef' });
    await remote.start();
    try {
      const t = await startApp({ config: { baseUrlOverride: remote.url }, simulator: remote });
      // These tests are about credentials: the clerk confirms every question of main.
      t.ports.dialogs.confirmEverything();
      const h = t.app.handlers;
      await h['settings.setApiKey']('sandbox', 'caf@example.it', 'chiave-api-sandbox-abcdef');
      await h['settings.update']({ environment: 'sandbox' });
      expect(await h['app.credit']()).toMatchObject({ credit: 500 });
      await h['settings.clearCredentials']('sandbox');
      expect(await h['app.credit']()).toEqual(UNKNOWN);
    } finally {
      await remote.stop();
    }
  });

  it('refuses an account email that is not one', async () => {
    const t = await startApp();
    // These tests are about credentials: the clerk confirms every question of main.
    t.ports.dialogs.confirmEverything();
    const outcome = await t.app.dispatch('settings.setApiKey', [
      'sandbox',
      'non-una-email',
      'chiave-api-123456',
    ]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });
});
