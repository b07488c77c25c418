import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scopeString, visengineScopes, type VisengineScope } from '../../../common/credentials.ts';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import { confPreferences } from '../../../main/adapters/node/conf-preferences.ts';
import { hostOf } from '../../../main/engine/endpoints.ts';
import { OAuthClient } from '../../../main/engine/oauth.ts';
import { CredentialsService } from '../../../main/settings/credentials.ts';
import type { Simulator } from '../../../main/simulator/server.ts';
import { it as italian } from '../../../renderer/i18n/it.ts';
import { startApp } from '../../support/app.ts';
import { ManualClock } from '../../support/clock.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { memoryLogger } from '../../support/logger.ts';
import { startSimulator } from '../../support/simulator.ts';
import { tempDir } from '../../support/tmp.ts';

const EMAIL = 'caf.centro@example.it';
const KEY = 'oa-key-7d1e9c3b5a2f4e6d8c0b1a3f5e7d9c2b';
const DAY = 86_400_000;
const http = (url: string, init: RequestInit) => fetch(url, init);

/** "Openapi": a simulator playing both Visengine and the OAuth API, for the office's account. */
async function openapi(options: { clock?: ManualClock; disabledScopes?: string[]; wallet?: number } = {}) {
  const clock = options.clock ?? new ManualClock();
  const { simulator } = await startSimulator({
    now: clock.now,
    owner: EMAIL,
    apiKey: KEY,
    durations: { toDatiDisponibili: 60_000, toEvasa: 60_000 },
    ...(options.disabledScopes ? { disabledScopes: options.disabledScopes } : {}),
    ...(options.wallet === undefined ? {} : { wallet: options.wallet }),
  });
  return { remote: simulator, clock };
}

/** The app with Sandbox pointed at `remote` for both Visengine and the OAuth API. */
async function sandboxApp(remote: Simulator, clock: ManualClock) {
  // A counter set to work in Sandbox before: switching there now would need credentials already.
  const t = await startApp({
    clock,
    simulator: remote,
    config: { baseUrlOverride: remote.url, oauthBaseUrlOverride: remote.url },
    preferences: { environment: 'sandbox' },
  });
  // These tests are about credentials: the clerk confirms every question of main.
  t.ports.dialogs.confirmEverything();
  return t;
}

const scopesOf = (remote: Simulator, scopes: readonly VisengineScope[] = visengineScopes) =>
  scopes.map((s) => scopeString(s, hostOf(remote.url)));

async function submitCongedo(t: Awaited<ReturnType<typeof startApp>>) {
  const id = await congedoDraft(t.app);
  const quote = await t.app.handlers['requests.quote'](id);
  return t.app.handlers['requests.submit'](id, quote.total);
}

describe('Openapi credentials: email and API key', () => {
  it('makes a token with exactly the scopes Visengine needs on the environment’s host, and shows only hints', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const status = await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);

    const [made] = remote.oauthTokens();
    expect(remote.oauthTokens()).toHaveLength(1);
    expect(made!.scopes).toEqual(scopesOf(remote));
    expect(made!.scopes).toContain(`POST:${hostOf(remote.url)}/richiesta`);
    expect(made!.name).toBe('Sportello (sandbox)');
    expect(status).toEqual({
      environment: 'sandbox',
      kind: 'key',
      email: EMAIL,
      keyHint: '••••9c2b',
      tokenHint: `••••${made!.token.slice(-4)}`,
      tokenExpiresAt: clock.now() + 30 * DAY,
      tokenScopes: [...visengineScopes],
      persisted: true,
      unreadable: false,
      wallet: true,
    });
    const config = readFileSync(t.ports.preferences.path, 'utf8');
    expect(config).not.toContain(KEY);
    expect(config).not.toContain(made!.token);
    expect(config).toContain(EMAIL);
  });

  it('sends a request in Sandbox with the token it made, and reads the wallet with email and API key', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);

    const sent = await submitCongedo(t);
    expect(sent).toMatchObject({ status: 'pending', chargedPrice: 14.7, environment: 'sandbox' });
    expect(remote.requests()).toHaveLength(1);
    expect(remote.calls.get('POST /tokens')).toBe(1);

    expect(await t.app.handlers['app.credit']()).toEqual({
      credit: 485.3,
      source: 'wallet',
      at: clock.now(),
    });
    const transactions = await t.app.internals.oauth.transactions(
      (await t.app.internals.credentials.oauthAccess('sandbox'))!,
    );
    expect(transactions).toEqual([
      {
        id: expect.any(String) as string,
        amount: -14.7,
        createdAt: clock.now(),
        description: `API usage - ${hostOf(remote.url)}`,
      },
    ]);
  });

  it('renews the token once less than a third of its life is left, and deletes the old one', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const credentials = t.app.internals.credentials;
    await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);
    const first = remote.oauthTokens()[0]!.token;

    clock.advance(19 * DAY);
    expect(await credentials.bearer('sandbox')).toBe(first);
    expect((await t.app.handlers['settings.testConnection']('sandbox')).services).toBeGreaterThan(50);
    expect(remote.calls.get('POST /tokens')).toBe(1);

    clock.advance(2 * DAY);
    const check = await t.app.handlers['settings.testConnection']('sandbox');
    const tokens = remote.oauthTokens();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.token).not.toBe(first);
    expect(tokens[0]!.scopes).toEqual(scopesOf(remote));
    expect(check.tokenExpiresAt).toBe(clock.now() + 30 * DAY);
    expect(check.scopes.every((s) => s.status === 'granted')).toBe(true);
    expect((await t.app.handlers['settings.credentials']())[1]).toMatchObject({
      tokenExpiresAt: clock.now() + 30 * DAY,
    });
    // The new token does the work.
    await submitCongedo(t);
    expect(remote.requests()).toHaveLength(1);
  });

  it('a token Visengine refuses as expired is renewed, and the same call goes through once', async () => {
    // Openapi's clock runs ahead of the office PC's: the app believes its token still valid.
    const { remote, clock: openapiClock } = await openapi();
    const pc = new ManualClock();
    const t = await sandboxApp(remote, pc);
    await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);
    const first = remote.oauthTokens()[0]!.token;
    openapiClock.advance(31 * DAY);
    pc.advance(5 * 60_000);

    const sent = await submitCongedo(t);
    expect(sent.status).toBe('pending');
    expect(remote.requests()).toHaveLength(1);
    expect(remote.charges()).toHaveLength(1);
    expect(remote.oauthTokens().map((x) => x.token)).not.toContain(first);
    expect(remote.oauthTokens()).toHaveLength(1);
    expect(remote.calls.get('POST /tokens')).toBe(2);
  });

  it('uses a still-valid token when renewal fails, and tries again only later', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);
    const first = remote.oauthTokens()[0]!.token;
    clock.advance(25 * DAY);
    remote.faults.add({ kind: 'status', method: 'POST', path: '/tokens', status: 503 });
    expect(await t.app.internals.credentials.bearer('sandbox')).toBe(first);
    expect(await t.app.internals.credentials.bearer('sandbox')).toBe(first);
    expect(remote.calls.get('POST /tokens')).toBe(2);
    clock.advance(11 * 60_000);
    expect(await t.app.internals.credentials.bearer('sandbox')).not.toBe(first);
  });

  it('refuses a wrong email or API key when they are set, and keeps nothing', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    await expect(
      t.app.handlers['settings.setApiKey']('sandbox', 'altro@example.it', KEY),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(
      t.app.handlers['settings.setApiKey']('sandbox', EMAIL, 'oa-key-sbagliata-000000'),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    expect((await t.app.handlers['settings.credentials']())[1]).toMatchObject({ kind: 'none' });
    expect(remote.oauthTokens()).toHaveLength(0);
  });

  it('with an API not enabled on the account, makes the token with the rest and says what is missing', async () => {
    const { remote, clock } = await openapi({ disabledScopes: ['DELETE /richiesta', 'GET /documento'] });
    const t = await sandboxApp(remote, clock);
    const status = await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);
    expect(status.tokenScopes).toEqual([
      'GET /visure',
      'GET /richiesta',
      'POST /richiesta',
      'PUT /richiesta',
    ]);
    expect(remote.oauthTokens()[0]!.scopes).toEqual(
      scopesOf(remote, ['GET /visure', 'GET /richiesta', 'POST /richiesta', 'PUT /richiesta']),
    );

    const check = await t.app.handlers['settings.testConnection']();
    expect(check).toMatchObject({
      environment: 'sandbox',
      credentials: 'key',
      wallet: { status: 'ok', credit: 500 },
    });
    expect(check.scopes.filter((s) => s.status === 'missing').map((s) => s.scope)).toEqual([
      'DELETE /richiesta',
      'GET /documento',
    ]);
    expect(check.scopes.filter((s) => s.status === 'granted')).toHaveLength(4);

    // Once the office turns the APIs on, "Prova connessione" gets a token with every scope.
    remote.setDisabledScopes([]);
    const after = await t.app.handlers['settings.testConnection']();
    expect(after.scopes.every((s) => s.status === 'granted')).toBe(true);
    expect(remote.oauthTokens()).toHaveLength(1);
    expect(remote.oauthTokens()[0]!.scopes).toEqual(scopesOf(remote));
    expect((await t.app.handlers['settings.credentials']())[1]!.tokenScopes).toEqual([...visengineScopes]);

    // An account with no Visengine scope at all: said plainly, nothing stored.
    remote.setDisabledScopes(visengineScopes);
    await expect(t.app.handlers['settings.setApiKey']('produzione', EMAIL, KEY)).rejects.toMatchObject({
      code: 'scopes_unavailable',
    });
    expect((await t.app.handlers['settings.credentials']())[2]).toMatchObject({ kind: 'none' });
  });

  it('deletes the token it made when the key is replaced by a ready token, or cleared', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    const ready = await new OAuthClient({ http }).createToken(
      { baseUrl: remote.url, email: EMAIL, apiKey: KEY },
      { scopes: scopesOf(remote) },
    );
    expect(remote.oauthTokens()).toHaveLength(2);
    const status = await h['settings.setToken']('sandbox', ready.token);
    expect(status).toMatchObject({
      kind: 'token',
      email: EMAIL,
      keyHint: null,
      wallet: false,
      tokenExpiresAt: null,
    });
    expect(remote.oauthTokens().map((x) => x.token)).toEqual([ready.token]);

    // The office's own token is theirs: clearing forgets it here, never deletes it at Openapi.
    await h['settings.clearCredentials']('sandbox');
    expect(remote.oauthTokens().map((x) => x.token)).toEqual([ready.token]);
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    expect(remote.oauthTokens()).toHaveLength(2);
    expect(await h['settings.clearCredentials']('sandbox')).toMatchObject({ kind: 'none', email: null });
    expect(remote.oauthTokens().map((x) => x.token)).toEqual([ready.token]);
    await expect(submitCongedo(t)).rejects.toMatchObject({ code: 'no_api_key' });
  });
});

describe('Openapi credentials: a ready token', () => {
  it('works for Visengine; a missing scope gets a 403 and "Prova connessione" says what it blocks', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    const withoutPost = visengineScopes.filter((s) => s !== 'POST /richiesta' && s !== 'PUT /richiesta');
    const ready = await new OAuthClient({ http }).createToken(
      { baseUrl: remote.url, email: EMAIL, apiKey: KEY },
      { scopes: scopesOf(remote, withoutPost) },
    );
    await h['settings.setToken']('sandbox', ready.token);

    await expect(submitCongedo(t)).rejects.toMatchObject({ code: 'unauthorized', details: { status: 403 } });
    expect(remote.requests()).toHaveLength(0);

    const check = await h['settings.testConnection']('sandbox');
    expect(check).toMatchObject({
      environment: 'sandbox',
      credentials: 'token',
      tokenExpiresAt: null,
      wallet: { status: 'no_key', credit: null, error: null },
    });
    expect(check.services).toBeGreaterThan(50);
    const missing = check.scopes.filter((s) => s.status === 'missing').map((s) => s.scope);
    expect(missing).toEqual(['POST /richiesta', 'PUT /richiesta']);
    expect(missing.map((s) => italian.settings.scopeBlocks[s])).toEqual([
      'senza POST /richiesta non si possono inviare pratiche',
      'senza PUT /richiesta non si possono chiudere (pagare) le pratiche aperte',
    ]);
    // Without the key the wallet cannot be read: the credit is unknown, not an error.
    expect(await h['app.credit']()).toEqual({ credit: null, source: null, at: null });
    expect(remote.calls.get('GET /wallet')).toBeUndefined();
  });

  it('names each missing scope by what it blocks, from probes alone', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const oauth = new OAuthClient({ http });
    const account = { baseUrl: remote.url, email: EMAIL, apiKey: KEY };
    for (const scope of visengineScopes) {
      const token = await oauth.createToken(account, {
        scopes: scopesOf(
          remote,
          visengineScopes.filter((s) => s !== scope),
        ),
      });
      await t.app.handlers['settings.setToken']('sandbox', token.token);
      const check = await t.app.handlers['settings.testConnection']('sandbox');
      expect(
        check.scopes.filter((s) => s.status !== 'granted'),
        scope,
      ).toEqual([{ scope, status: 'missing' }]);
      expect(check.services === null, scope).toBe(scope === 'GET /visure');
    }
    // The probes created, changed and charged nothing.
    expect(remote.requests()).toHaveLength(0);
    expect(remote.charges()).toHaveLength(0);
    expect(remote.wallet).toBe(500);
  });

  it('an expired ready token is refused, and not renewed', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const ready = await new OAuthClient({ http }).createToken(
      { baseUrl: remote.url, email: EMAIL, apiKey: KEY },
      { scopes: scopesOf(remote), ttl: 60 },
    );
    await t.app.handlers['settings.setToken']('sandbox', ready.token);
    clock.advance(120_000);
    await expect(t.app.handlers['settings.testConnection']('sandbox')).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(submitCongedo(t)).rejects.toMatchObject({ code: 'unauthorized', details: { status: 401 } });
    expect(remote.calls.get('POST /tokens')).toBe(1);
  });
});

describe('Openapi credentials: at rest', () => {
  it('keeps key and token for the session only when the keystore cannot protect them, and says so', async () => {
    const { remote, clock } = await openapi();
    const dir = tempDir();
    const log = memoryLogger();
    const make = () =>
      new CredentialsService({
        store: confPreferences(dir),
        cipher: new AesCipher({ backend: 'basic_text' }),
        oauth: new OAuthClient({ http, log }),
        http,
        now: clock.now,
        log,
        overrides: { baseUrl: remote.url },
      });
    const credentials = make();
    expect(await credentials.setKey('sandbox', EMAIL, KEY)).toMatchObject({ kind: 'key', persisted: false });
    expect(await credentials.bearer('sandbox')).toBe(remote.oauthTokens()[0]!.token);
    const store = confPreferences(dir);
    expect(store.store.secrets ?? {}).toEqual({});
    // After a restart nothing is left but the email, to fill the form again.
    const again = make();
    expect(await again.status('sandbox')).toMatchObject({ kind: 'none', email: EMAIL });
    expect(await again.bearer('sandbox')).toBeNull();
    expect(JSON.stringify(log.lines)).not.toContain(KEY);
  });

  it('keeps the single key of earlier versions as a ready token, with the account email of the old settings', async () => {
    const dir = tempDir();
    const cipher = new AesCipher();
    const store = confPreferences(dir);
    store.set('keys', {
      produzione: Buffer.from(await cipher.encrypt('vecchio-token-123456')).toString('base64'),
    });
    store.set('preferences', { accountEmail: EMAIL } as never);
    const credentials = new CredentialsService({
      store,
      cipher,
      oauth: new OAuthClient({ http }),
      http,
      now: Date.now,
      log: memoryLogger(),
    });
    expect(await credentials.status('produzione')).toMatchObject({
      kind: 'token',
      email: EMAIL,
      tokenHint: '••••3456',
      wallet: false,
    });
    expect(await credentials.bearer('produzione')).toBe('vecchio-token-123456');
    expect(store.store.keys).toEqual({});
    expect(readFileSync(store.path, 'utf8')).not.toContain('vecchio-token-123456');
  });

  it('says when the saved credentials cannot be decrypted any more', async () => {
    const { remote, clock } = await openapi();
    const dir = tempDir();
    const make = (cipher: AesCipher) =>
      new CredentialsService({
        store: confPreferences(dir),
        cipher,
        oauth: new OAuthClient({ http }),
        http,
        now: clock.now,
        log: memoryLogger(),
        overrides: { baseUrl: remote.url },
      });
    await make(new AesCipher()).setKey('sandbox', EMAIL, KEY);
    const other = make(new AesCipher());
    expect(await other.status('sandbox')).toMatchObject({
      kind: 'key',
      unreadable: true,
      keyHint: null,
      wallet: false,
    });
    await expect(other.bearer('sandbox')).rejects.toMatchObject({ code: 'vault_unavailable' });
  });
});

describe('Prova', () => {
  it('uses the built-in token, reads the wallet with the simulator’s owner and API key, and has every scope', async () => {
    const t = await startApp();
    // These tests are about credentials: the clerk confirms every question of main.
    t.ports.dialogs.confirmEverything();
    const check = await t.app.handlers['settings.testConnection']();
    expect(check).toMatchObject({
      environment: 'prova',
      credentials: 'builtin',
      wallet: { status: 'ok', credit: 500 },
    });
    expect(check.scopes.every((s) => s.status === 'granted')).toBe(true);
    expect(await t.app.internals.credentials.status('prova')).toMatchObject({ kind: 'builtin' });
    await expect(t.app.handlers['settings.setApiKey']('prova', EMAIL, KEY)).rejects.toMatchObject({
      code: 'not_allowed',
    });
  });
});
