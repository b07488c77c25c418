import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisengineClient } from '../../../main/engine/visengine/client.ts';
import { EngineError } from '../../../main/engine/errors.ts';
import {
  documentoSchema,
  envelopeSchema,
  priceCheckSchema,
  richiestaListSchema,
  richiestaSchema,
  serviceDetailWireSchema,
  serviceListSchema,
} from '../../../main/engine/visengine/schemas.ts';

const schemas = {
  envelopeSchema,
  serviceListSchema,
  serviceDetailWireSchema,
  richiestaSchema,
  richiestaListSchema,
  priceCheckSchema,
  documentoSchema,
};

/** JSON of the API's own shapes with hostile values in them: the near misses are the dangerous ones. */
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    '',
    '0',
    'NaN',
    '1e309',
    -1,
    Number.POSITIVE_INFINITY,
    '__proto__',
    '{"a":',
    '$0 && ',
    'ZmFrZQ==',
  ),
);
const nearRichiesta = fc.record(
  {
    _id: hostileValue,
    state: hostileValue,
    hash_visura: hostileValue,
    stato_richiesta: hostileValue,
    prezzo_visura: hostileValue,
    opzioni: hostileValue,
    esito: hostileValue,
    ricerche: fc.oneof(hostileValue, fc.array(fc.dictionary(fc.string(), hostileValue))),
    timestamp_creation: hostileValue,
    callback_data: hostileValue,
    allegati: hostileValue,
    json_struttura: hostileValue,
    file: hostileValue,
  },
  { requiredKeys: [] },
);
const anyJson = fc.oneof(fc.jsonValue(), nearRichiesta, fc.array(nearRichiesta, { maxLength: 5 }));

describe('response schemas under arbitrary JSON', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name} never throws: it parses or returns its issues`, () => {
      fc.assert(
        fc.property(anyJson, (value) => {
          const result = schema.safeParse(value);
          if (!result.success) expect(result.error.issues.length).toBeGreaterThan(0);
        }),
        { numRuns: 500, seed: 13 },
      );
    });
  }
});

describe('the engine client under arbitrary answers', () => {
  let body = '';
  let status = 200;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  });
  let client: VisengineClient;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new VisengineClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: () => 'hostile-token',
      http: (url, init) => fetch(url, init),
      sleep: async () => {},
      retry: { attempts: 1 },
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('turns any answer it cannot use into a typed engine error, never a crash', async () => {
    const envelope = fc.record({
      data: anyJson,
      success: hostileValue,
      message: hostileValue,
      error: hostileValue,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          envelope.map((e) => JSON.stringify(e)),
          fc.string({ maxLength: 100 }),
          anyJson.map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom(200, 200, 400, 404, 422, 500),
        fc.constantFrom('getRequest', 'listRequests', 'getDocument', 'getService', 'listServices'),
        async (text, code, call) => {
          body = text;
          status = code;
          const id = '5f2829ce065afc21cc60ad0e';
          const calls = {
            getRequest: () => client.getRequest(id),
            listRequests: () => client.listRequests(),
            getDocument: () => client.getDocument(id),
            getService: () => client.getService('8a7c8386fff43d28182cfa2ad24a3532'),
            listServices: () => client.listServices(),
          };
          try {
            await calls[call]();
          } catch (error) {
            expect(error).toBeInstanceOf(EngineError);
          }
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });
});
