import { describe, expect, it } from 'vitest';
import { walletAnswerSchema, WalletClient } from '../../../main/engine/wallet.ts';

const access = { baseUrl: 'https://oauth.example/', email: 'caf@example.it', key: 'chiave-123456' };

/** An Http port answering one fixed response, recording what it was asked. */
function answering(status: number, body: string) {
  const seen: { url: string; init: RequestInit }[] = [];
  const http = async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { http, seen };
}

describe('wallet answer', () => {
  it('reads the example of oauthv2.openapi.json, and numeric strings', () => {
    const example = {
      data: { credit: 125.5, createdAt: '2025-01-15T10:00:00+00:00', updatedAt: '2026-02-12T08:30:00+00:00' },
    };
    expect(walletAnswerSchema.parse(example).data.credit).toBe(125.5);
    expect(walletAnswerSchema.parse({ data: { credit: '485,30' } }).data.credit).toBe(485.3);
    expect(walletAnswerSchema.parse({ success: true, data: { credit: ' 12.05' } }).data.credit).toBe(12.05);
    expect(walletAnswerSchema.safeParse({ data: { credit: 'molto' } }).success).toBe(false);
    expect(walletAnswerSchema.safeParse({ data: null }).success).toBe(false);
  });
});

describe('WalletClient', () => {
  it('asks GET /wallet with Basic auth of the email and the key', async () => {
    const { http, seen } = answering(200, JSON.stringify({ data: { credit: 42 } }));
    expect(await new WalletClient({ http }).credit(access)).toBe(42);
    expect(seen[0]!.url).toBe('https://oauth.example/wallet');
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe(`Basic ${btoa('caf@example.it:chiave-123456')}`);
  });

  it('throws typed errors', async () => {
    const client = (status: number, body: string) => new WalletClient({ http: answering(status, body).http });
    await expect(client(401, '{"success":false}').credit(access)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(client(503, '').credit(access)).rejects.toMatchObject({ code: 'server_error' });
    await expect(client(200, '<html>').credit(access)).rejects.toMatchObject({ code: 'bad_response' });
    await expect(client(200, '{"data":{}}').credit(access)).rejects.toMatchObject({ code: 'bad_response' });
    const offline = new WalletClient({
      http: () => Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })),
    });
    await expect(offline.credit(access)).rejects.toMatchObject({ code: 'network' });
  });
});
