import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VisengineClient, type VisengineClientOptions } from '../../../main/engine/visengine/client.ts';
import {
  BadResponseError,
  NetworkError,
  NotFoundError,
  NotYetAvailableError,
  ServerError,
} from '../../../main/engine/errors.ts';
import { CONGEDO, clientFor, seedJson, startSimulator } from '../../support/simulator.ts';

const MINUTE = 60_000;
const ID = '5f2829ce065afc21cc60ad0e';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('GET /documento streamed from the simulator', () => {
  it('decodes the very bytes of the zip the simulator serves', async () => {
    const { simulator, clock } = await startSimulator();
    const client = clientFor(simulator);
    const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
    clock.advance(MINUTE);
    await client.getRequest(made.id);
    clock.advance(MINUTE);
    await client.getRequest(made.id);

    const document = await client.getDocument(made.id);
    const raw = await fetch(`${simulator.url}/documento/${made.id}`, {
      headers: { Authorization: `Bearer ${simulator.token}` },
    });
    const served = Buffer.from(((await raw.json()) as { data: { file: string } }).data.file, 'base64');
    expect(document.nome).toBe(`${made.id}.zip`);
    expect(document.dimensione).toBe(served.length);
    expect(document.zip.byteLength).toBe(served.length);
    expect(sha256(document.zip)).toBe(sha256(served));
  });

  it('retries a document cut short by the connection, then gets it whole', async () => {
    const { simulator, clock } = await startSimulator();
    const client = clientFor(simulator);
    const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
    clock.advance(2 * MINUTE);
    simulator.faults.add({ kind: 'truncated', method: 'GET', path: '/documento' });
    const document = await client.getDocument(made.id);
    expect(document.zip.byteLength).toBe(document.dimensione);
    expect(simulator.calls.get('GET /documento')).toBe(2);
  });

  it('reports a malformed document answer as BadResponseError, never ambiguous', async () => {
    const { simulator, clock } = await startSimulator();
    const client = clientFor(simulator, { retry: { attempts: 1 } });
    const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
    clock.advance(2 * MINUTE);
    simulator.faults.add({ kind: 'malformed', method: 'GET', path: '/documento' });
    const error = await client.getDocument(made.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).ambiguous).toBe(false);
  });
});

/** What the hand-written server answers next. */
interface Answer {
  status: number;
  type?: string | null;
  /** Sent one after the other, each flushed on its own. */
  parts: (string | Buffer)[];
  /** Declare the full length, then destroy the socket after the parts (a connection cut). */
  cut?: boolean;
}

describe('GET /documento against hand-written answers', () => {
  let answer: Answer = { status: 200, parts: [] };
  let served = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    served++;
    const headers: Record<string, string | number> = {};
    if (answer.type !== null) headers['Content-Type'] = answer.type ?? 'application/json';
    if (answer.cut) {
      headers['Content-Length'] = answer.parts.reduce((n, p) => n + Buffer.byteLength(p), 0) * 2;
    }
    res.writeHead(answer.status, headers);
    for (const part of answer.parts) res.write(part);
    if (answer.cut) setImmediate(() => req.socket.destroy());
    else res.end();
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    served = 0;
  });

  const client = (options: Partial<VisengineClientOptions> = {}) =>
    new VisengineClient({
      baseUrl: url,
      token: () => 'token',
      http: (u, init) => fetch(u, init),
      sleep: async () => {},
      ...options,
    });
  const once = () => client({ retry: { attempts: 1 } });

  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
  const base64 = bytes.toString('base64');
  const envelope = (data: string) => `{"data":${data},"success":true,"message":"","error":null}`;

  it('reads escaped slashes, as PHP json_encode writes them', async () => {
    expect(base64).toContain('/');
    answer = {
      status: 200,
      parts: [
        envelope(`{"nome":"doc.zip","dimensione":${bytes.length},"file":"${base64.replaceAll('/', '\\/')}"}`),
      ],
    };
    const document = await once().getDocument(ID);
    expect(Buffer.from(document.zip)).toEqual(bytes);
    expect(document).toMatchObject({ nome: 'doc.zip', dimensione: bytes.length });
  });

  it('takes whitespace around the colons and `file` before `dimensione`', async () => {
    answer = {
      status: 200,
      parts: [
        `{ "success" : true ,\n "data" :\t{ "file" : "${base64}" ,\r\n  "dimensione" : "${bytes.length}", "nome" : "a.zip" } , "message": "", "error": null }`,
      ],
    };
    const document = await once().getDocument(ID);
    expect(Buffer.from(document.zip)).toEqual(bytes);
    expect(document.dimensione).toBe(bytes.length);
  });

  it('skips the line breaks of a wrapped base64, escaped or as \\u000A', async () => {
    const lines = base64.match(/.{1,76}/g)!;
    const wrapped = lines.map((line, i) => line + (i % 2 ? '\\r\\n' : '\\u000A')).join('');
    answer = { status: 200, parts: [envelope(`{"nome":"a.zip","file":"${wrapped}"}`)] };
    const document = await once().getDocument(ID);
    expect(Buffer.from(document.zip)).toEqual(bytes);
    expect(document.dimensione).toBeNull();
  });

  it('decodes across parts split anywhere, escapes included', async () => {
    const body = envelope(`{"nome":"a.zip","file":"${base64.replaceAll('/', '\\u002F')}","dimensione":3000}`);
    answer = { status: 200, parts: body.match(/[\s\S]{1,7}/g)! };
    const document = await once().getDocument(ID);
    expect(Buffer.from(document.zip)).toEqual(bytes);
  });

  it.each([
    ['a character outside base64', `${base64.slice(0, 100)}*${base64.slice(101)}`],
    ['a URL-safe character', `${base64.slice(0, 100)}-${base64.slice(101)}`],
    ['a raw line break', `${base64.slice(0, 76)}\n${base64.slice(76)}`],
    ['another escape', `${base64.slice(0, 100)}\\"${base64.slice(100)}`],
    ['padding in the middle', `QUJD==${base64}`],
    ['data after the padding', `QQ==QUJD`],
    ['a lone last character', `QUJDR`],
    ['a padding too short', `QUJDQQ=`],
  ])('refuses %s as BadResponseError', async (_, file) => {
    answer = { status: 200, parts: [envelope(`{"nome":"a.zip","file":"${file}"}`)] };
    const error = await once()
      .getDocument(ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).ambiguous).toBe(false);
    expect((error as BadResponseError).status).toBe(200);
  });

  it('retries a body that ends in the middle of the base64, then says BadResponseError', async () => {
    answer = {
      status: 200,
      type: 'application/json',
      parts: [`{"data":{"nome":"a.zip","file":"${base64.slice(0, 1000)}`],
    };
    const error = await client({ retry: { attempts: 3 } })
      .getDocument(ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).message).toMatch(/troncata/);
    expect((error as BadResponseError).ambiguous).toBe(false);
    expect(served).toBe(3);
  });

  it('treats a connection cut in the middle of the base64 as a network error, retried', async () => {
    answer = { status: 200, parts: [`{"data":{"nome":"a.zip","file":"${base64.slice(0, 1000)}`], cut: true };
    const error = await client({ retry: { attempts: 2 } })
      .getDocument(ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).ambiguous).toBe(false);
    expect(served).toBe(2);
  });

  it('maps error envelopes as before: 404/202, 422/247, 500', async () => {
    answer = {
      status: 404,
      parts: ['{"data":null,"success":false,"message":"no requests matches this id","error":202}'],
    };
    await expect(once().getDocument(ID)).rejects.toMatchObject({ status: 404, apiCode: 202 });
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(NotFoundError);
    answer = {
      status: 422,
      parts: ['{"data":null,"success":false,"message":"document not yet available","error":247}'],
    };
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(NotYetAvailableError);
    answer = { status: 500, type: 'text/html', parts: ['<html>Internal Server Error</html>'] };
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(ServerError);
  });

  it('maps a 200 error envelope (success false) to its typed error', async () => {
    answer = { status: 200, parts: ['{"success":false,"message":"Invalid id","error":243,"data":null}'] };
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a 200 that is not JSON, and one without data.file', async () => {
    answer = { status: 200, type: 'text/html', parts: ['<html><body>Bad Gateway</body></html>'] };
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(BadResponseError);
    answer = { status: 200, parts: ['<html><body>Bad Gateway</body></html>'] };
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(BadResponseError);
    answer = { status: 200, parts: [envelope('{"nome":"a.zip","dimensione":3}')] };
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(BadResponseError);
    answer = { status: 200, parts: [envelope('{"nome":"a.zip","file":12}')] };
    await expect(once().getDocument(ID)).rejects.toBeInstanceOf(BadResponseError);
  });

  it('still decodes a document labelled as text, or with no content type', async () => {
    answer = {
      status: 200,
      type: 'text/html; charset=UTF-8',
      parts: [envelope(`{"nome":"a.zip","file":"${base64}"}`)],
    };
    expect(Buffer.from((await once().getDocument(ID)).zip)).toEqual(bytes);
    answer = { status: 200, type: null, parts: [envelope(`{"nome":"a.zip","file":"${base64}"}`)] };
    expect(Buffer.from((await once().getDocument(ID)).zip)).toEqual(bytes);
  });

  it('decodes any bytes, whatever slashes are escaped and however the answer is split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.infiniteStream(fc.constantFrom('/', '\\/', '\\u002F', '\\u002f')),
        fc.integer({ min: 1, max: 500 }),
        fc.boolean(),
        async (data, slashes, split, sizeFirst) => {
          const file = Buffer.from(data)
            .toString('base64')
            .replace(/\//g, () => slashes.next().value as string);
          const members = [`"nome":"x.zip"`, `"file":"${file}"`, `"dimensione":${data.length}`];
          if (sizeFirst) members.reverse();
          const body = envelope(`{${members.join(',')}}`);
          answer = { status: 200, parts: body.match(new RegExp(`[\\s\\S]{1,${split}}`, 'g')) ?? [''] };
          const document = await once().getDocument(ID);
          expect(Buffer.from(document.zip)).toEqual(Buffer.from(data));
          expect(document.dimensione).toBe(data.length);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});
