import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VisengineClient } from '../../../main/engine/visengine/client.ts';
import { AppError } from '../../../main/errors.ts';

/*
 * What a broken (or hostile) server can make the engine hold, and where its key can go: real HTTP
 * on 127.0.0.1, answers written by hand.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Writes `head`, then `unit` over and over without Content-Length, until the client hangs up. */
function endless(res: ServerResponse, head: string, unit: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(head);
  const chunk = unit.repeat(Math.ceil(16_384 / unit.length));
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  res.on('close', () => res.destroy());
  pump();
}

const client = (baseUrl: string, limits?: { answerBytes?: number; documentBytes?: number }) =>
  new VisengineClient({
    baseUrl,
    token: () => 'sk-test-segreto',
    http: (url, init) => fetch(url, init),
    sleep: async () => {},
    retry: { attempts: 1 },
    timeouts: { read: 10_000, document: 10_000 },
    ...(limits ? { limits } : {}),
  });

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('engine size limits', () => {
  it('refuses a document stream without Content-Length once it passes the limit, in Italian', async () => {
    const url = await serve((_req, res) =>
      endless(res, '{"data":{"nome":"x.zip","dimensione":1,"file":"', 'QUFB'),
    );
    const started = Date.now();
    const error = await failure(client(url, { documentBytes: 1024 * 1024 }).getDocument('abc'));
    expect(error.code).toBe('file_too_large');
    expect(error.message).toMatch(/supera 1 MB e non è stato scaricato/);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('reads an ordinary answer only up to its limit', async () => {
    const url = await serve((_req, res) => endless(res, '{"success":true,"data":[', '{"hash":"0000"},'));
    const error = await failure(client(url, { answerBytes: 256 * 1024 }).listServices());
    expect(error.code).toBe('bad_response');
    expect(error.message).toMatch(/risposta oltre/);
  });

  it('keeps an answer cut short by the limit of a POST uncertain: the server may have acted', async () => {
    const url = await serve((_req, res) => endless(res, '{"success":true,"data":{"_id":"', 'a'));
    const error = await failure(
      client(url, { answerBytes: 64 * 1024 }).createRequest({
        hash_visura: '8a7c8386fff43d28182cfa2ad24a3532',
        json_visura: {},
        state: 0,
        test: false,
      } as unknown as Parameters<VisengineClient['createRequest']>[0]),
    );
    expect(error.ambiguous).toBe(true);
  });

  it('never follows a redirect: the key would go along', async () => {
    const seen: (string | undefined)[] = [];
    const elsewhere = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":[]}');
    });
    const url = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere}/visure` }).end());
    const error = await failure(client(url).listServices());
    expect(error.code).toBe('network');
    expect(seen).toEqual([]);
  });
});
