import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../main/simulator/server.ts';
import {
  CONGEDO,
  RISCATTO,
  clientFor,
  pdfFileString,
  seedJson,
  startSimulator,
} from '../../support/simulator.ts';
import { tempDir } from '../../support/tmp.ts';

const MINUTE = 60_000;

async function raw(
  simulator: Simulator,
  method: string,
  path: string,
  body?: unknown,
  token = simulator.token,
) {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data: unknown; success: boolean; error: unknown; message: string },
  };
}

describe('the Visengine simulator', () => {
  describe('envelope and authentication', () => {
    it('wraps every answer in { data, success, message, error }', async () => {
      const { simulator } = await startSimulator();
      const ok = await raw(simulator, 'GET', '/visure');
      expect(ok.body).toMatchObject({ success: true, message: '', error: null });
      const ko = await raw(simulator, 'GET', '/richiesta/xyz');
      expect(ko).toMatchObject({
        status: 400,
        body: { success: false, data: null, error: 201, message: 'Invalid id' },
      });
    });

    it('answers 401 to a wrong or missing token on every endpoint', async () => {
      const { simulator } = await startSimulator();
      for (const [method, path] of [
        ['GET', '/visure'],
        ['POST', '/richiesta'],
        ['GET', '/documento/5f2829ce065afc21cc60ad0e'],
      ]) {
        expect(
          (await raw(simulator, method!, path!, method === 'POST' ? {} : undefined, 'wrong')).status,
        ).toBe(401);
      }
      const none = await fetch(`${simulator.url}/visure`);
      expect(none.status).toBe(401);
    });

    it('answers 428/204 when hash_visura is missing', async () => {
      const { simulator } = await startSimulator();
      expect(await raw(simulator, 'POST', '/richiesta', { json_visura: {} })).toMatchObject({
        status: 428,
        body: { error: 204, message: 'hash_visura required' },
      });
    });
  });

  describe('wallet', () => {
    it('charges at close only: nothing for an open request or a price check', async () => {
      const { simulator } = await startSimulator({ wallet: 100 });
      const client = clientFor(simulator);
      await client.checkPrice({ hash_visura: CONGEDO, json_visura: seedJson() });
      const open = await client.createRequest({
        hash_visura: CONGEDO,
        json_visura: seedJson(),
        state: 0,
        opzioni: { opzione_1: true },
      });
      expect(simulator.wallet).toBe(100);
      await client.updateRequest(open.id, { state: 1 });
      expect(simulator.wallet).toBe(75.3);
      expect(simulator.charges()).toMatchObject([{ requestId: open.id, amount: 24.7, what: 'visura' }]);
    });

    it('answers 402/211 with the balance when closing would overdraw, and leaves the request open', async () => {
      const { simulator } = await startSimulator({ wallet: 20 });
      const client = clientFor(simulator);
      const open = await client.createRequest({ hash_visura: RISCATTO, json_visura: seedJson(), state: 0 });
      const answer = await raw(simulator, 'PUT', `/richiesta/${open.id}`, { state: 1 });
      expect(answer).toMatchObject({
        status: 402,
        body: { error: 211, message: 'Insufficient Credit in Wallet: 20.00' },
      });
      expect(simulator.requests()[0]?.state).toBe(0);
      simulator.wallet = 50;
      expect((await client.updateRequest(open.id, { state: 1 })).state).toBe(1);
      expect(simulator.wallet).toBe(29);
    });
  });

  describe('tokens: limits and stats', () => {
    /** A token made with `POST /tokens` for the simulator's account, capped when told. */
    async function tokenOf(simulator: Simulator, limits?: Record<string, unknown>) {
      const host = new URL(simulator.url).host;
      const response = await fetch(`${simulator.url}/tokens`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${simulator.owner}:${simulator.apiKey}`).toString('base64')}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          scopes: ['GET', 'POST', 'PUT'].flatMap((m) => [`${m}:${host}/richiesta`]),
          ...(limits ? { limits } : {}),
        }),
      });
      return ((await response.json()) as { data: { token: string } }).data.token;
    }

    it('counts each charge in the stats of the token that paid, and refuses one past its walletAmount with 403, creating nothing', async () => {
      const { simulator } = await startSimulator({ wallet: 100 });
      const token = await tokenOf(simulator, { walletAmount: 30 });
      const client = clientFor(simulator, { token: () => token });
      await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      const third = await raw(
        simulator,
        'POST',
        '/richiesta',
        { hash_visura: CONGEDO, json_visura: seedJson() },
        token,
      );
      expect(third).toMatchObject({
        status: 403,
        body: {
          success: false,
          data: null,
          message: 'Token limit reached: walletAmount 29.40 of 30.00 spent',
        },
      });
      expect(simulator.requests()).toHaveLength(2);
      expect(simulator.wallet).toBe(70.6);
      const [made] = simulator.oauthTokens();
      expect(made).toMatchObject({
        limits: { walletAmount: 30 },
        stats: { walletAmount: 29.4, walletRequests: 2, totalRequests: 3, errorRequests: 1 },
      });
      // The built-in token is nobody's: it has no limit, and no token's stats count it.
      await clientFor(simulator).createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      expect(simulator.oauthTokens()[0]!.stats.walletAmount).toBe(29.4);
    });

    it('refuses the closing PUT past the cap when the charge is taken at the close, leaving the request open', async () => {
      const { simulator } = await startSimulator({ wallet: 100 });
      const token = await tokenOf(simulator, { walletAmount: 10, walletRequests: 5 });
      const client = clientFor(simulator, { token: () => token });
      const open = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 });
      const put = await raw(simulator, 'PUT', `/richiesta/${open.id}`, { state: 1 }, token);
      expect(put).toMatchObject({
        status: 403,
        body: { message: expect.stringContaining('walletAmount') as string },
      });
      expect(simulator.requests()[0]?.state).toBe(0);
      expect(simulator.charges()).toEqual([]);
    });

    it('is free of charge as a sandbox with "sandbox credit": nothing moves', async () => {
      const { simulator } = await startSimulator({ wallet: 100, free: true });
      const token = await tokenOf(simulator, { walletAmount: 1 });
      await clientFor(simulator, { token: () => token }).createRequest({
        hash_visura: CONGEDO,
        json_visura: seedJson(),
      });
      expect(simulator.wallet).toBe(100);
      expect(simulator.charges()).toEqual([]);
      expect(simulator.oauthTokens()[0]!.stats).toMatchObject({ walletAmount: 0, walletRequests: 0 });
    });
  });

  describe('validation', () => {
    it('accepts the seed services without the optional mandato, and with it', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      await expect(
        client.checkPrice({ hash_visura: CONGEDO, json_visura: seedJson() }),
      ).resolves.toBeTruthy();
      await expect(
        client.checkPrice({
          hash_visura: CONGEDO,
          json_visura: seedJson({ $7: pdfFileString('mandato.pdf') }),
        }),
      ).resolves.toBeTruthy();
    });

    it('refuses a file that is not `name|data:mime;base64,…`', async () => {
      const { simulator } = await startSimulator();
      const answer = await raw(simulator, 'POST', '/richiesta', {
        hash_visura: CONGEDO,
        json_visura: seedJson({ $5: 'documento.pdf' }),
      });
      expect(answer).toMatchObject({ status: 412, body: { error: 250 } });
      expect(JSON.parse(answer.body.message)).toHaveProperty('$5');
    });

    it('validates the closing PUT with 412/229', async () => {
      const { simulator } = await startSimulator();
      const open = await clientFor(simulator).createRequest({
        hash_visura: CONGEDO,
        json_visura: { $0: 'Mario' },
        state: 0,
      });
      const answer = await raw(simulator, 'PUT', `/richiesta/${open.id}`, { state: 1 });
      expect(answer).toMatchObject({ status: 412, body: { error: 229 } });
      expect(answer.body.message).toContain('$1');
    });

    it('lets an open request be completed field by field with "json_visura.$n"', async () => {
      const { simulator } = await startSimulator();
      const json = seedJson();
      const cf = json.$4!;
      delete json.$4;
      const client = clientFor(simulator);
      const open = await client.createRequest({ hash_visura: CONGEDO, json_visura: json, state: 0 });
      const closed = await client.updateRequest(open.id, { 'json_visura.$4': cf, state: 1 });
      expect(closed.state).toBe(1);
    });

    it('forgets scan contents once a request is closed, keeping names and sizes', async () => {
      const { simulator } = await startSimulator();
      await clientFor(simulator).createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      const stored = simulator.requests()[0]!;
      expect(stored.json.$5).toMatch(/^documento_identita\.pdf\|\d+ byte$/);
      expect(JSON.stringify(stored)).not.toContain('base64');
    });
  });

  describe('lifecycle', () => {
    it('moves In erogazione → Dati disponibili → Visura evasa on the injected clock', async () => {
      const { simulator, clock } = await startSimulator();
      const client = clientFor(simulator);
      const made = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      const seen = [made.stato];
      for (let i = 0; i < 3; i++) {
        clock.advance(MINUTE);
        seen.push((await client.getRequest(made.id)).stato);
      }
      expect(seen).toEqual(['In erogazione', 'Dati disponibili', 'Visura evasa', 'Visura evasa']);
    });

    it('ends a request as Annullata when the clerk uses the "+annulla" email convention', async () => {
      const { simulator, clock } = await startSimulator();
      const client = clientFor(simulator);
      const made = await client.createRequest({
        hash_visura: CONGEDO,
        json_visura: seedJson({ $2: 'mario+annulla@example.it' }),
      });
      clock.advance(MINUTE);
      const ended = await client.getRequest(made.id);
      expect(ended.stato).toBe('Annullata');
      expect(ended.esito.codice).not.toBe('0');
      expect(ended.motivoAnnullamento).toBe(ended.esito.info);
      await expect(client.getDocument(made.id)).rejects.toMatchObject({ code: 'not_yet_available' });
    });

    it('says why a request was cancelled with DELETE: its motivo, as motivo_annullamento', async () => {
      const { simulator } = await startSimulator();
      const client = clientFor(simulator);
      const open = await client.createRequest({ hash_visura: CONGEDO, json_visura: seedJson(), state: 0 });
      expect(open.motivoAnnullamento).toBeNull();
      await raw(simulator, 'DELETE', `/richiesta/${open.id}`, { motivo: 'Il cliente ha cambiato idea' });
      const read = await raw(simulator, 'GET', `/richiesta/${open.id}`);
      expect(read.body.data).toMatchObject({
        stato_richiesta: 'Annullata',
        motivo_annullamento: 'Il cliente ha cambiato idea',
      });
    });

    it('keeps its requests and wallet in a state file across restarts', async () => {
      const dir = tempDir();
      const stateFile = join(dir, 'sim.json');
      const first = new Simulator({ stateFile, wallet: 100 });
      await first.start();
      const made = await clientFor(first).createRequest({ hash_visura: CONGEDO, json_visura: seedJson() });
      await first.stop();

      const second = new Simulator({ stateFile, token: 'x'.repeat(20) });
      await second.start();
      try {
        expect(second.wallet).toBe(85.3);
        expect((await clientFor(second).getRequest(made.id)).hash).toBe(CONGEDO);
      } finally {
        await second.stop();
      }
    });
  });

  describe('admin controls', () => {
    it('arms faults and sets the wallet through /__sim with the admin token only', async () => {
      const { simulator } = await startSimulator();
      const admin = (path: string, body: unknown, token = simulator.adminToken) =>
        fetch(`${simulator.url}${path}`, {
          method: 'POST',
          headers: { 'X-Sim-Admin': token },
          body: JSON.stringify(body),
        });
      expect((await admin('/__sim/wallet', { credit: 3 }, 'nope')).status).toBe(401);
      expect((await admin('/__sim/wallet', { credit: 3 })).status).toBe(200);
      expect(simulator.wallet).toBe(3);
      await admin('/__sim/faults', { faults: [{ kind: 'status', status: 500, path: '/visure' }] });
      expect((await raw(simulator, 'GET', '/visure')).status).toBe(500);
      expect((await raw(simulator, 'GET', '/visure')).status).toBe(200);
    });
  });

  describe('npm run simulator', () => {
    it('prints its URL and token, and answers curl-style calls', async () => {
      const child = spawn(process.execPath, ['main/simulator/cli.ts', '--port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const out = await new Promise<string>((resolve, reject) => {
          let text = '';
          child.stdout.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('Ctrl+C')) resolve(text);
          });
          child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
        });
        const url = /in ascolto su (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        const token = /Token:\s+(\S+)/.exec(out)?.[1];
        expect(url).toBeDefined();
        const response = await fetch(`${url}/visure`, { headers: { Authorization: `Bearer ${token}` } });
        expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(92);
      } finally {
        child.kill('SIGTERM');
      }
    });
  });
});
