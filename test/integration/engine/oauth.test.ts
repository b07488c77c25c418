import { describe, expect, it } from 'vitest';
import { scopeString, visengineScopes } from '../../../common/credentials.ts';
import { hostOf } from '../../../main/engine/endpoints.ts';
import { OAuthClient, type OAuthAccess } from '../../../main/engine/oauth.ts';
import type { Simulator } from '../../../main/simulator/server.ts';
import { memoryLogger } from '../../support/logger.ts';
import { CONGEDO, clientFor, seedJson, startSimulator } from '../../support/simulator.ts';

const http = (url: string, init: RequestInit) => fetch(url, init);
const DAY = 86_400_000;

function accessTo(simulator: Simulator, overrides: Partial<OAuthAccess> = {}): OAuthAccess {
  return { baseUrl: simulator.url, email: simulator.owner, apiKey: simulator.apiKey, ...overrides };
}

/** Every scope the app asks for, on the host the simulator is reached at. */
function allScopes(simulator: Simulator): string[] {
  return visengineScopes.map((s) => scopeString(s, hostOf(simulator.url)));
}

describe('the OAuth API client, against the simulator', () => {
  it('makes a token with exactly the scopes asked, and an expiry from the ttl on the simulator’s clock', async () => {
    const { simulator, clock } = await startSimulator({
      owner: 'caf@example.it',
      apiKey: 'chiave-api-1234567890',
    });
    const oauth = new OAuthClient({ http });
    const scopes = allScopes(simulator);
    const token = await oauth.createToken(accessTo(simulator), {
      scopes,
      name: 'Sportello (sandbox)',
      ttl: 3600,
    });
    expect(token.scopes).toEqual(scopes);
    expect(token.name).toBe('Sportello (sandbox)');
    expect(token.createdAt).toBe(clock.now());
    expect(token.expireAt).toBe(clock.now() + 3_600_000);
    expect(simulator.oauthTokens().map((t) => t.token)).toEqual([token.token]);

    const read = await oauth.getToken(accessTo(simulator), token.token);
    expect(read).toEqual(token);

    // 0 or less: the API's default (30 days in the simulator); above a year: a year.
    expect((await oauth.createToken(accessTo(simulator), { scopes, ttl: 0 })).expireAt).toBe(
      clock.now() + 30 * DAY,
    );
    expect((await oauth.createToken(accessTo(simulator), { scopes, ttl: 10 ** 9 })).expireAt).toBe(
      clock.now() + 365 * DAY,
    );
  });

  it('answers 422 with the spec’s codes 70, 80 and 90', async () => {
    const { simulator } = await startSimulator({ disabledScopes: ['DELETE /richiesta'] });
    const oauth = new OAuthClient({ http });
    const access = accessTo(simulator);
    await expect(oauth.createToken(access, { scopes: [] })).rejects.toMatchObject({
      code: 'validation_failed',
      apiCode: 70,
      status: 422,
    });
    await expect(oauth.createToken(access, { scopes: ['tutto'] })).rejects.toMatchObject({ apiCode: 80 });
    await expect(
      oauth.createToken(access, { scopes: ['GET:api.openapi.com/resource'] }),
    ).rejects.toMatchObject({
      apiCode: 90,
    });
    // An API not enabled on the account: its scope is listed, but not usable.
    await expect(oauth.createToken(access, { scopes: allScopes(simulator) })).rejects.toMatchObject({
      apiCode: 90,
    });
    const listed = await oauth.scopes(access);
    const host = hostOf(simulator.url);
    expect(listed).toContainEqual({ scope: `DELETE:${host}/richiesta`, enabled: false });
    expect(listed).toContainEqual({ scope: `PUT:${host}/richiesta`, enabled: true });
    expect(listed).toContainEqual({ scope: 'GET:test.visengine2.altravia.com/visure', enabled: true });
  });

  it('refuses a wrong email or API key with 401, and never the built-in token as a password', async () => {
    const { simulator } = await startSimulator();
    const oauth = new OAuthClient({ http });
    await expect(oauth.credit(accessTo(simulator, { apiKey: 'sbagliata-123456' }))).rejects.toMatchObject({
      code: 'unauthorized',
      status: 401,
    });
    await expect(oauth.credit(accessTo(simulator, { email: 'altro@example.it' }))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(oauth.credit(accessTo(simulator, { apiKey: simulator.token }))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(await oauth.credit(accessTo(simulator))).toBe(500);
  });

  it('deletes a token: Visengine then refuses it, and reading it is a 404', async () => {
    const { simulator } = await startSimulator();
    const oauth = new OAuthClient({ http });
    const { token } = await oauth.createToken(accessTo(simulator), { scopes: allScopes(simulator) });
    const visengine = clientFor(simulator, { token: () => token });
    expect((await visengine.listServices()).length).toBeGreaterThan(50);
    await oauth.deleteToken(accessTo(simulator), token);
    await expect(visengine.listServices()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    await expect(oauth.getToken(accessTo(simulator), token)).rejects.toMatchObject({
      code: 'not_found',
      apiCode: 120,
    });
    await expect(oauth.deleteToken(accessTo(simulator), token)).rejects.toMatchObject({ apiCode: 180 });
  });

  it('lets a token through Visengine only within its scopes, and not once expired', async () => {
    const { simulator, clock } = await startSimulator();
    const oauth = new OAuthClient({ http });
    const host = hostOf(simulator.url);
    const readOnly = await oauth.createToken(accessTo(simulator), {
      scopes: [`GET:${host}/visure`, `GET:${host}/richiesta`],
      ttl: 600,
    });
    const visengine = clientFor(simulator, { token: () => readOnly.token });
    await expect(visengine.listServices()).resolves.not.toHaveLength(0);
    await expect(visengine.listRequests()).resolves.toEqual([]);
    await expect(
      visengine.createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 }),
    ).rejects.toMatchObject({ code: 'unauthorized', status: 403 });
    expect(simulator.requests()).toHaveLength(0);

    // A scope names the host the call arrives at: `localhost` is not `127.0.0.1`.
    const elsewhere = clientFor(simulator, {
      token: () => readOnly.token,
      baseUrl: simulator.url.replace('127.0.0.1', 'localhost'),
    });
    await expect(elsewhere.listServices()).rejects.toMatchObject({ status: 403 });

    clock.advance(600_000);
    await expect(visengine.listServices()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    // The built-in token keeps every scope and never expires.
    await expect(clientFor(simulator).listServices()).resolves.not.toHaveLength(0);
  });

  it('lists the wallet’s charges as transactions: negative, newest first, paged by skip and limit', async () => {
    const { simulator, clock } = await startSimulator({ wallet: 5_000 });
    const visengine = clientFor(simulator);
    for (let n = 0; n < 130; n += 1) {
      clock.advance(60_000);
      await visengine.createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 1 });
    }
    const log = memoryLogger();
    const oauth = new OAuthClient({ http, log });
    const first = await oauth.transactions(accessTo(simulator));
    expect(first).toHaveLength(100);
    expect(first[0]).toEqual({
      id: expect.stringMatching(/^txn_/) as string,
      amount: -14.7,
      createdAt: clock.now(),
      description: `API usage - ${hostOf(simulator.url)}`,
    });
    expect(first[1]!.createdAt).toBe(clock.now() - 60_000);
    const second = await oauth.transactions(accessTo(simulator), { skip: 100, limit: 100 });
    expect(second).toHaveLength(30);
    expect(new Set([...first, ...second].map((t) => t.id)).size).toBe(130);
    // A limit above the spec's 100 is asked as 100.
    expect(await oauth.transactions(accessTo(simulator), { limit: 500 })).toHaveLength(100);

    const since = await oauth.transactionsSince(accessTo(simulator), clock.now() - 9 * 60_000);
    expect(since).toEqual({ transactions: first.slice(0, 10), complete: true });
    const all = await oauth.transactionsSince(accessTo(simulator), 0);
    expect(all.transactions).toHaveLength(130);
    expect(simulator.wallet).toBe(Math.round((5_000 - 130 * 14.7) * 100) / 100);
    // The log says which call and how it went; never the API key nor a token.
    expect(log.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.lines)).not.toContain(simulator.apiKey);
    expect(JSON.stringify(log.lines)).toContain('GET /wallet/transactions');
  });

  it('turns an API off for the account through /__sim/scopes, with the admin token only', async () => {
    const { simulator } = await startSimulator();
    const oauth = new OAuthClient({ http });
    const admin = (body: unknown, token = simulator.adminToken) =>
      fetch(`${simulator.url}/__sim/scopes`, {
        method: 'POST',
        headers: { 'X-Sim-Admin': token },
        body: JSON.stringify(body),
      });
    expect((await admin({ disabled: ['POST /richiesta'] }, 'nope')).status).toBe(401);
    expect((await admin({ disabled: ['POST /richiesta'] })).status).toBe(200);
    await expect(
      oauth.createToken(accessTo(simulator), { scopes: allScopes(simulator) }),
    ).rejects.toMatchObject({
      apiCode: 90,
    });
    await admin({ disabled: [] });
    await expect(
      oauth.createToken(accessTo(simulator), { scopes: allScopes(simulator) }),
    ).resolves.toMatchObject({
      scopes: allScopes(simulator),
    });
  });
});
