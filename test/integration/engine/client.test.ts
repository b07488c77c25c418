import { describe, expect, it } from 'vitest';
import { fromBuffer, type Entry } from 'yauzl';
import { AppError } from '../../../main/errors.ts';
import {
  AlreadyClosedError,
  BadResponseError,
  ConflictError,
  InsufficientCreditError,
  NetworkError,
  NotFoundError,
  NotYetAvailableError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  ValidationFailedError,
} from '../../../main/engine/errors.ts';
import { CONGEDO, RISCATTO, clientFor, seedJson, startSimulator } from '../../support/simulator.ts';

const MINUTE = 60_000;

function zipEntries(zip: Buffer): Promise<{ name: string; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('no zip'));
      const out: { name: string; data: Buffer }[] = [];
      file.on('entry', (entry: Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            file.readEntry();
          });
        });
      });
      file.on('end', () => resolve(out));
      file.readEntry();
    });
  });
}

describe('Visengine client against the simulator', () => {
  describe('catalog', () => {
    it('lists the 92 services of the spec, 55 of them Patronato', async () => {
      const { simulator } = await startSimulator();
      const services = await clientFor(simulator).listServices();
      expect(services).toHaveLength(92);
      expect(services.filter((s) => s.categoria === 'Patronato')).toHaveLength(55);
      expect(services.find((s) => s.hash === CONGEDO)?.nome).toBe('Indennità per congedo parentale');
    });

    it('reads a service detail in display order: Nome ($0, without ordine) first, as its number says', async () => {
      const { simulator } = await startSimulator();
      const detail = await clientFor(simulator).getService(CONGEDO);
      expect(detail.prezzo).toBe(14.7);
      expect(detail.fields.map((f) => f.key)).toEqual(['$0', '$1', '$4', '$3', '$2', '$5', '$6', '$7']);
      expect(detail.fields.find((f) => f.key === '$4')?.tipo).toBe('codice_fiscale_persona_fisica');
      expect(detail.opzioni).toEqual([
        { nome: 'opzione_0', tipo: 'urgenza', prezzo: 4 },
        { nome: 'opzione_1', tipo: 'assistenza_dedicata', prezzo: 10 },
      ]);
      expect(detail.validazione).toBe(
        '($0 && $1 && $2 && $3 && $4 && $5 && $6 && $7) || ($0 && $1 && $2 && $3 && $4 && $5 && $6)',
      );
    });

    it('decodes the base64 HTML instructions', async () => {
      const { simulator } = await startSimulator();
      const detail = await clientFor(simulator).getService(RISCATTO);
      expect(detail.prezzo).toBe(21);
      expect(detail.istruzioniHtml).toContain('<ul>');
    });

    it('maps a wrong hash (400/200) to NotFoundError', async () => {
      const { simulator } = await startSimulator();
      const error = await clientFor(simulator)
        .getService('f'.repeat(32))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 400, apiCode: 200 });
    });
  });

  describe('authentication', () => {
    it('maps a wrong token to UnauthorizedError (401)', async () => {
      const { simulator } = await startSimulator();
      const error = await clientFor(simulator, { token: () => 'not-the-token' })
        .listServices()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).status).toBe(401);
    });

    it('refuses to call without a key, sending nothing', async () => {
      const { simulator } = await startSimulator();
      const error = await clientFor(simulator, { token: () => null })
        .listServices()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('no_api_key');
      expect(simulator.calls.size).toBe(0);
    });
  });

  describe('requests', () => {
    it('creates an open request, closes it with PUT, and a repeated PUT answers already closed', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      const open = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 });
      expect(open.id).toMatch(/^[0-9a-f]{24}$/);
      expect(open.state).toBe(0);
      expect(simulator.wallet).toBe(500);

      const closed = await client.updateRequest(open.id, { state: 1 });
      expect(closed.state).toBe(1);
      expect(closed.stato).toBe('In erogazione');
      expect(simulator.wallet).toBe(485.3);

      const again = await client.updateRequest(open.id, { state: 1 }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(AlreadyClosedError);
      expect(again).toMatchObject({ status: 400, apiCode: 239 });
      expect(simulator.wallet).toBe(485.3);
    });

    it('prices a request with test:true, options included, without creating or charging', async () => {
      const { simulator } = await startSimulator();
      const price = await clientFor(simulator).checkPrice({
        hash_visura: CONGEDO,
        json_visura: seedJson(),
        opzioni: { opzione_0: true },
      });
      // The options' prices come from the catalog, never from the answer (which may list all or none).
      expect(price).toEqual({ prezzoVisura: 14.7, prezzoRicerca: 0, createdId: null, shape: 'request' });
      expect(simulator.requests()).toHaveLength(0);
      expect(simulator.wallet).toBe(500);
    });

    it('maps 402/211 to InsufficientCreditError with the balance parsed from the message', async () => {
      const { simulator } = await startSimulator({ wallet: 10.5 });
      const error = await clientFor(simulator)
        .createRequest({ hash_visura: CONGEDO, json_visura: seedJson() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InsufficientCreditError);
      expect((error as InsufficientCreditError).balance).toBe(10.5);
      expect(error).toMatchObject({ status: 402, apiCode: 211 });
      expect(simulator.requests()).toHaveLength(0);
    });

    it('maps missing data (412/250) to ValidationFailedError naming the missing fields', async () => {
      const { simulator } = await startSimulator();
      const json = seedJson();
      delete json.$4;
      const error = await clientFor(simulator)
        .createRequest({ hash_visura: CONGEDO, json_visura: json })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect(error).toMatchObject({ status: 412, apiCode: 250 });
      expect((error as Error).message).toContain('$4');
    });

    it('maps a wrong check letter to ValidationFailedError with per-field details from a JSON message', async () => {
      const { simulator } = await startSimulator();
      const error = await clientFor(simulator)
        .createRequest({ hash_visura: CONGEDO, json_visura: seedJson({ $4: 'RSSMRA85T10A562T' }) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationFailedError);
      const details = (error as ValidationFailedError).details as { fields: Record<string, string> };
      expect(Object.keys(details.fields)).toEqual(['$4']);
    });

    it('maps a bad email (400/209) to ValidationFailedError', async () => {
      const { simulator } = await startSimulator();
      const error = await clientFor(simulator)
        .createRequest({ hash_visura: CONGEDO, json_visura: seedJson({ $2: 'mario.rossi@' }) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect(error).toMatchObject({ status: 400, apiCode: 209 });
    });

    it('lists no requests as an empty list (404/203), then the requests made', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      expect(await client.listRequests()).toEqual([]);
      const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      const list = await client.listRequests();
      expect(list.map((r) => r.id)).toEqual([made.id]);
      expect(list[0]).toMatchObject({ hash: CONGEDO, state: 1, stato: 'In erogazione', prezzoVisura: 14.7 });
    });

    it('maps an invalid id (400/201) and an unknown id (404/202) to NotFoundError', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      await expect(client.getRequest('nope')).rejects.toMatchObject({
        code: 'not_found',
        status: 400,
        apiCode: 201,
      });
      await expect(client.getRequest('0'.repeat(24))).rejects.toMatchObject({
        code: 'not_found',
        status: 404,
        apiCode: 202,
      });
    });

    it('follows the lifecycle to Visura evasa and downloads a real zip of PDFs', async () => {
      const { simulator, clock } = await startSimulator();
      const client = clientFor(simulator);
      const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      await expect(client.getDocument(made.id)).rejects.toBeInstanceOf(NotYetAvailableError);

      clock.advance(MINUTE);
      expect((await client.getRequest(made.id)).stato).toBe('Dati disponibili');
      clock.advance(MINUTE);
      const done = await client.getRequest(made.id);
      expect(done.stato).toBe('Visura evasa');
      expect(done.allegati.length).toBeGreaterThan(0);
      expect(Object.keys(done.timestampStati)).toEqual(
        expect.arrayContaining(['in_erogazione', 'dati_disponibili', 'visura_evasa']),
      );

      const document = await client.getDocument(made.id);
      expect(document.nome).toBe(`${made.id}.zip`);
      const zip = Buffer.from(document.zip);
      expect(zip.length).toBe(document.dimensione);
      const entries = await zipEntries(zip);
      expect(entries.map((e) => e.name).sort()).toEqual([...done.allegati].sort());
      for (const entry of entries) expect(entry.data.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('ends a refused request as Annullata with the esito error', async () => {
      const { simulator, clock } = await startSimulator();
      simulator.queueOutcomes({ codice: 'E-CF', info: 'Codice fiscale non corrispondente' });
      const client = clientFor(simulator);
      const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      clock.advance(MINUTE);
      const ended = await client.getRequest(made.id);
      expect(ended.stato).toBe('Annullata');
      expect(ended.esito).toEqual({ codice: 'E-CF', info: 'Codice fiscale non corrispondente' });
    });

    it('cancels an open request with DELETE (best effort)', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 });
      await client.cancelRequest(made.id, 'errore di compilazione');
      expect((await client.getRequest(made.id)).stato).toBe('Annullata');
      expect(simulator.wallet).toBe(500);
    });
  });

  describe('search services', () => {
    it('searches, lets the clerk choose a result, then processes the request', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      const services = await client.listServices();
      const details = await Promise.all(services.map((s) => client.getService(s.hash)));
      const searchable = details.find((d) => d.ricerca);
      expect(searchable).toBeDefined();
      const nameField = searchable!.fields.find((f) => f.tipo === 'denominazione')!;

      const made = await client.createRequest({
        hash_visura: searchable!.hash,
        json_visura: { [nameField.key]: 'a' },
      });
      expect(made.stato).toBe('In ricerca');
      const ricerca = made.ricerche[0]!;
      expect(typeof ricerca.json_risultato).toBe('string');
      const results = JSON.parse(ricerca.json_risultato as string) as Record<string, unknown>;
      expect(Object.keys(results)[0]).toBe('indice_0');

      const again = await client.addSearch(made.id, { [nameField.key]: 'srl' });
      expect(again.ricerche).toHaveLength(2);

      const chosen = await client.chooseSearchResult(made.id, ricerca.id_ricerca, 0);
      expect(chosen.stato).toBe('In erogazione');
      expect(chosen.indiceRicerca).toBe(0);
    });

    it('maps a search on a service without one (409/222) to ConflictError', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      const error = await client.addSearch(made.id, { $0: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ status: 409, apiCode: 222 });
    });
  });

  describe('faults', () => {
    it('retries a GET after a 503 and succeeds', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'status', status: 503, method: 'GET', path: '/visure', times: 2 });
      const services = await clientFor(simulator).listServices();
      expect(services).toHaveLength(92);
      expect(simulator.calls.get('GET /visure')).toBe(3);
    });

    it('gives up on a GET after its attempts, with ServerError', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'status', status: 500, method: 'GET', times: 10 });
      const error = await clientFor(simulator, { retry: { attempts: 3 } })
        .listServices()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect(simulator.calls.get('GET /visure')).toBe(3);
    });

    it('retries a GET after a connection reset', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'reset-before', method: 'GET', path: '/visure' });
      expect(await clientFor(simulator).listServices()).toHaveLength(92);
    });

    it('never retries a POST: a 5xx is reported once, as ambiguous', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'status', status: 502, method: 'POST', path: '/richiesta' });
      const error = await clientFor(simulator)
        .createRequest({ hash_visura: CONGEDO, json_visura: seedJson() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect((error as ServerError).ambiguous).toBe(true);
      expect(simulator.calls.get('POST /richiesta')).toBe(1);
    });

    it('reads only 404/203 as "no requests": another 404 (wrong URL, a proxy) stays an error', async () => {
      const { simulator } = await startSimulator();
      expect(await clientFor(simulator).listRequests()).toEqual([]);
      simulator.faults.add({ kind: 'status', status: 404, method: 'GET', path: '^/richiesta$', times: 5 });
      const error = await clientFor(simulator)
        .listRequests()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('not_found');
    });

    it('retries a test:true price check like a read, and never calls its failure ambiguous', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'reset-before', method: 'POST', path: '/richiesta' });
      const price = await clientFor(simulator).checkPrice({ hash_visura: CONGEDO, json_visura: seedJson() });
      expect(price.prezzoVisura).toBe(14.7);
      expect(simulator.requests()).toHaveLength(0);

      simulator.faults.add({ kind: 'reset-before', method: 'POST', path: '/richiesta', times: 10 });
      const error = await clientFor(simulator)
        .checkPrice({ hash_visura: CONGEDO, json_visura: seedJson() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).ambiguous).toBe(false);
    });

    it('reports a reset after the server committed a POST as an ambiguous network error', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'reset-after', method: 'POST', path: '/richiesta' });
      const error = await clientFor(simulator)
        .createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).ambiguous).toBe(true);
      expect(simulator.requests()).toHaveLength(1);
    });

    it('reports a POST that committed but never answered as an ambiguous timeout', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'hang-after', method: 'POST', path: '/richiesta' });
      const error = await clientFor(simulator, { timeouts: { write: 300 } })
        .createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).ambiguous).toBe(true);
      expect(simulator.requests()).toHaveLength(1);
    });

    it('times out a slow GET and retries it', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'latency', ms: 400, method: 'GET', path: '/visure' });
      const services = await clientFor(simulator, { timeouts: { read: 150 } }).listServices();
      expect(services).toHaveLength(92);
    });

    it('maps a malformed body to BadResponseError, ambiguous for a PUT', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      const open = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 });
      simulator.faults.add({ kind: 'malformed', method: 'PUT' });
      const error = await client.updateRequest(open.id, { state: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadResponseError);
      expect((error as BadResponseError).ambiguous).toBe(true);
      expect(simulator.requests()[0]?.state).toBe(1);
    });

    it('treats a truncated body as a failure, retried for a GET', async () => {
      const { simulator } = await startSimulator();
      simulator.faults.add({ kind: 'truncated', method: 'GET', path: '/visure' });
      expect(await clientFor(simulator).listServices()).toHaveLength(92);
      expect(simulator.calls.get('GET /visure')).toBe(2);
    });

    it('knows a refused connection never reached the server: not ambiguous even for a POST', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      await simulator.stop();
      const error = await client
        .createRequest({ hash_visura: CONGEDO, json_visura: seedJson() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).ambiguous).toBe(false);
    });
  });
});
