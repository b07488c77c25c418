import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisengineClient } from '../../../main/engine/visengine/client.ts';
import type { ErrorCode } from '../../../common/errors.ts';
import { specExamples } from '../../support/spec.ts';

/*
 * Replays every error answer of Openapi's spec over real HTTP and checks the typed error the
 * client raises: the mapping is proven against the vendor's own examples, not our simulator.
 */
const expected: Record<string, ErrorCode> = {
  'GET /visure/{hash_visura} 400': 'not_found',
  'GET /richiesta 404': 'not_found', // listRequests() turns this one into []
  'POST /richiesta 400': 'validation_failed',
  'POST /richiesta 402': 'insufficient_credit',
  'POST /richiesta 412': 'validation_failed',
  'POST /richiesta 428': 'validation_failed',
  'GET /richiesta/{_id} 400': 'not_found',
  'GET /richiesta/{_id} 404': 'not_found',
  'POST /richiesta/{_id} 400': 'not_found',
  'POST /richiesta/{_id} 402': 'insufficient_credit',
  'POST /richiesta/{_id} 404': 'not_found',
  'POST /richiesta/{_id} 409': 'conflict',
  'POST /richiesta/{_id} 412': 'validation_failed',
  'POST /richiesta/{_id} 428': 'validation_failed',
  'PUT /richiesta/{_id} 400': 'already_closed',
  'PUT /richiesta/{_id} 404': 'not_found',
  'PUT /richiesta/{_id} 412': 'validation_failed',
  'PUT /richiesta/{_id} 428': 'validation_failed',
  'PUT /richiesta/{_id}/ricerche 400': 'validation_failed',
  'PUT /richiesta/{_id}/ricerche 402': 'insufficient_credit',
  'PUT /richiesta/{_id}/ricerche 404': 'not_found',
  'PUT /richiesta/{_id}/ricerche 409': 'conflict',
  'PUT /richiesta/{_id}/ricerche 428': 'validation_failed',
  'GET /documento/{_id} 400': 'not_found',
  'GET /documento/{_id} 404': 'not_found',
  'GET /documento/{_id} 422': 'not_yet_available',
  'GET /documento/{_id} 428': 'validation_failed',
};

let server: Server;
let answer: { status: number; body: unknown } = { status: 200, body: {} };
let client: VisengineClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new VisengineClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: () => 'token',
    http: (url, init) => fetch(url, init),
    sleep: async () => {},
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ID = '5f2829ce065afc21cc60ad0e';
const calls: Record<string, () => Promise<unknown>> = {
  'GET /visure/{hash_visura}': () => client.getService('a'.repeat(32)),
  'POST /richiesta': () => client.createRequest({ hash_visura: 'h', json_visura: {} }),
  'GET /richiesta/{_id}': () => client.getRequest(ID),
  'POST /richiesta/{_id}': () => client.addSearch(ID, {}),
  'PUT /richiesta/{_id}': () => client.updateRequest(ID, { state: 1 }),
  'PUT /richiesta/{_id}/ricerche': () => client.chooseSearchResult(ID, `${ID}_0`, 1),
  'GET /documento/{_id}': () => client.getDocument(ID),
};

describe('error mapping of the spec examples', () => {
  const errors = specExamples().filter((e) => e.status !== 200);

  it('has an expectation for every error example', () => {
    expect(errors.map((e) => `${e.method} ${e.path} ${e.status}`).sort()).toEqual(
      Object.keys(expected).sort(),
    );
  });

  for (const example of errors) {
    const key = `${example.method} ${example.path} ${example.status}`;
    if (key === 'GET /richiesta 404') {
      it('turns GET /richiesta 404/203 into an empty list', async () => {
        answer = { status: 404, body: example.body };
        expect(await client.listRequests()).toEqual([]);
      });
      continue;
    }
    it(`maps ${key} (${String(example.body.error)}) to ${expected[key]}`, async () => {
      answer = { status: example.status, body: example.body };
      const error = await calls[`${example.method} ${example.path}`]!().catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: expected[key],
        status: example.status,
        apiCode: example.body.error,
      });
      if (expected[key] === 'insufficient_credit') expect(error).toMatchObject({ balance: 182.03 });
    });
  }
});
