import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OAuthClient } from '../../../main/engine/oauth.ts';
import { checkConnection } from '../../../main/engine/scope-check.ts';

/*
 * Every call that carries a credential refuses a redirect instead of following it: a server
 * answering 302 towards another local server, which records whether anything reached it.
 * (Visengine's own client: engine/limits.test.ts.)
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that redirects everything to a recorder of what reached it. */
async function redirecting(): Promise<{ url: string; reached: IncomingMessage[] }> {
  const reached: IncomingMessage[] = [];
  const elsewhere = await serve((req, res) => {
    reached.push(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{"credit":5}}');
  });
  const url = await serve((req, res) =>
    res.writeHead(302, { location: `${elsewhere}${req.url ?? '/'}` }).end(),
  );
  return { url, reached };
}

const http = (url: string, init: RequestInit) => fetch(url, init);

describe('a redirect on a call with credentials', () => {
  it('is refused by the OAuth client: the email and API key go nowhere else', async () => {
    const { url, reached } = await redirecting();
    const oauth = new OAuthClient({ http });
    const access = { baseUrl: url, email: 'caf@example.it', apiKey: 'chiave-segreta-1234' };
    await expect(oauth.credit(access)).rejects.toMatchObject({ code: 'network' });
    await expect(oauth.createToken(access, { scopes: ['GET:x/visure'] })).rejects.toMatchObject({
      code: 'network',
    });
    expect(reached).toEqual([]);
  });

  it('is refused by the scope probe of Prova connessione: the token goes nowhere else', async () => {
    const { url, reached } = await redirecting();
    const check = checkConnection({
      environment: 'sandbox',
      baseUrl: url,
      token: 'token-segreto-1234',
      http,
      now: () => Date.now(),
      credentials: 'token',
      tokenScopes: null,
      tokenExpiresAt: null,
      wallet: null,
    });
    await expect(check).rejects.toMatchObject({ code: 'network' });
    expect(reached).toEqual([]);
  });
});
