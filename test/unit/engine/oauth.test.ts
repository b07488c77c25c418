import { describe, expect, it } from 'vitest';
import { OAuthClient, tokenAnswerSchema, walletAnswerSchema } from '../../../main/engine/oauth.ts';
import { memoryLogger } from '../../support/logger.ts';

const access = { baseUrl: 'https://oauth.example/', email: 'caf@example.it', apiKey: 'chiave-123456' };

/** An Http port answering one fixed response, recording what it was asked. */
function answering(status: number, body: string) {
  const seen: { url: string; init: RequestInit }[] = [];
  const http = async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { http, seen };
}

describe('OAuth API answers', () => {
  it('reads the wallet example of oauthv2.openapi.json, and numeric strings', () => {
    const example = {
      data: { credit: 125.5, createdAt: '2025-01-15T10:00:00+00:00', updatedAt: '2026-02-12T08:30:00+00:00' },
    };
    expect(walletAnswerSchema.parse(example).data.credit).toBe(125.5);
    expect(walletAnswerSchema.parse({ data: { credit: '485,30' } }).data.credit).toBe(485.3);
    expect(walletAnswerSchema.parse({ success: true, data: { credit: ' 12.05' } }).data.credit).toBe(12.05);
    expect(walletAnswerSchema.safeParse({ data: { credit: 'molto' } }).success).toBe(false);
    expect(walletAnswerSchema.safeParse({ data: null }).success).toBe(false);
  });

  it('reads a TokenDetail bare (as the spec shows it) or inside `data`', () => {
    const detail = {
      token: '656d1e2f8b3c2a001f7e4a12',
      name: 'Service X API token',
      createdAt: '2025-11-19T10:00:00Z',
      expireAt: '2025-12-19T10:00:00Z',
      scopes: ['GET:api.openapi.com/resource'],
      limits: {},
    };
    const bare = tokenAnswerSchema.parse(detail);
    expect(bare).toMatchObject({ token: detail.token, expireAt: Date.parse('2025-12-19T10:00:00Z') });
    expect(tokenAnswerSchema.parse({ data: detail, success: true, message: '', error: null })).toEqual(bare);
    // Unix seconds, or no dates at all, are read too.
    expect(tokenAnswerSchema.parse({ token: 'abc', expireAt: 1_760_000_000 }).expireAt).toBe(
      1_760_000_000_000,
    );
    expect(tokenAnswerSchema.parse({ token: 'abc' })).toMatchObject({ createdAt: null, expireAt: null });
    expect(tokenAnswerSchema.safeParse({ data: { name: 'senza token' } }).success).toBe(false);
  });
});

describe('OAuthClient', () => {
  it('asks with Basic auth of the email and the API key, and logs no secret', async () => {
    const { http, seen } = answering(200, JSON.stringify({ data: { credit: 42 } }));
    const log = memoryLogger();
    expect(await new OAuthClient({ http, log }).credit(access)).toBe(42);
    expect(seen[0]!.url).toBe('https://oauth.example/wallet');
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe(`Basic ${btoa('caf@example.it:chiave-123456')}`);
    expect(JSON.stringify(log.lines)).not.toMatch(/chiave-123456|Basic/);
  });

  it('never puts the token in the log, though it is in the path', async () => {
    const { http, seen } = answering(200, JSON.stringify({ data: { token: 'segreto-0123456789' } }));
    const log = memoryLogger();
    await new OAuthClient({ http, log }).getToken(access, 'segreto-0123456789');
    expect(seen[0]!.url).toBe('https://oauth.example/tokens/segreto-0123456789');
    expect(log.lines).toEqual([
      {
        level: 'info',
        message: 'oauth',
        fields: expect.objectContaining({ path: 'GET /tokens/{token}', status: 200 }) as object,
      },
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('segreto');
  });

  it('reads transactions leniently: a bad entry is left out, amounts as numbers or strings', async () => {
    const body = {
      data: [
        { id: 'txn_1', amount: -15.5, createdAt: '2026-02-12T08:30:00+00:00', description: 'API usage - x' },
        { id: 2, amount: '100', createdAt: '2026-02-10T14:15:00+00:00' },
        { id: 'txn_3', amount: 'molto', createdAt: '2026-02-09T11:20:00+00:00' },
        { id: 'txn_4', amount: -1, createdAt: 'ieri' },
      ],
    };
    const log = memoryLogger();
    const client = new OAuthClient({ http: answering(200, JSON.stringify(body)).http, log });
    expect(await client.transactions(access)).toEqual([
      {
        id: 'txn_1',
        amount: -15.5,
        createdAt: Date.parse('2026-02-12T08:30:00Z'),
        description: 'API usage - x',
      },
      { id: '2', amount: 100, createdAt: Date.parse('2026-02-10T14:15:00Z'), description: '' },
    ]);
    expect(log.lines.some((l) => l.level === 'warn' && l.fields?.skipped === 2)).toBe(true);
  });

  it('throws typed errors', async () => {
    const client = (status: number, body: string) => new OAuthClient({ http: answering(status, body).http });
    await expect(client(401, '{"success":false}').credit(access)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(client(403, '').credit(access)).rejects.toMatchObject({ code: 'unauthorized', status: 403 });
    await expect(
      client(422, '{"success":false,"message":"invalid scopes format","error":80,"data":null}').createToken(
        access,
        {
          scopes: ['x'],
        },
      ),
    ).rejects.toMatchObject({ code: 'validation_failed', apiCode: 80 });
    await expect(client(404, '{"error":120}').getToken(access, 'abc')).rejects.toMatchObject({
      code: 'not_found',
      apiCode: 120,
    });
    await expect(client(503, '').credit(access)).rejects.toMatchObject({ code: 'server_error' });
    await expect(client(200, '<html>').credit(access)).rejects.toMatchObject({ code: 'bad_response' });
    await expect(client(200, '{"data":{}}').credit(access)).rejects.toMatchObject({ code: 'bad_response' });
    const offline = new OAuthClient({
      http: () => Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })),
    });
    await expect(offline.credit(access)).rejects.toMatchObject({ code: 'network', ambiguous: false });
    const silent = new OAuthClient({
      timeoutMs: 20,
      http: (_url, init) =>
        new Promise((_resolve, reject) =>
          init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    });
    await expect(silent.createToken(access, { scopes: ['x'] })).rejects.toMatchObject({ code: 'timeout' });
  });
});
