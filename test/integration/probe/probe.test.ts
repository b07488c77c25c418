import { execFile, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { probeReportSchema, type ServiceProfile } from '../../../common/probe.ts';
import { OAuthClient } from '../../../main/engine/oauth.ts';
import { runProbe } from '../../../main/probe/probe.ts';
import { ProbeTokens } from '../../../main/probe/tokens.ts';
import {
  DEFAULT_READING,
  describeReading,
  LEAST_CONVENIENT,
  matrixReadings,
  parseReading,
  type SpecReading,
} from '../../../main/simulator/reading.ts';
import { Simulator } from '../../../main/simulator/server.ts';
import { clientFor, engineFor, seedJson, startSimulator } from '../../support/simulator.ts';
import { tempDir } from '../../support/tmp.ts';

/*
 * The probe (main/probe/probe.ts) is proven the only way it can be here: run against the simulator
 * in each reading of the spec, it must report that reading.
 */

/** What the probe must find, for the simulator playing `reading`. */
function expectedProfile(reading: SpecReading): Omit<ServiceProfile, 'transactionDescription'> {
  return {
    charge: reading.charge,
    echo: reading.echo,
    opzioni: reading.opzioni,
    priceCheck: reading.priceCheck,
    state: reading.state,
    // Without DELETE the probe cannot cancel an open request to see what a PUT on it answers.
    cancelledPut: reading.delete === 'supported' ? reading.cancelledPut : 'unknown',
    dimensione: reading.dimensione,
    delete: reading.delete,
    openPhase: reading.openPhase,
    testCheck: reading.testCheck,
    transactionAmounts: 'net',
  };
}

const readings = [...matrixReadings(), LEAST_CONVENIENT];
const http = (url: string, init: RequestInit) => fetch(url, init);

/** The probe as `npm run probe` runs it with the account's key: its own tokens, the spending one capped. */
function probeTokens(simulator: Simulator, clock: { now: () => number }) {
  const oauth = new OAuthClient({ http });
  const access = { baseUrl: simulator.url, email: simulator.owner, apiKey: simulator.apiKey };
  const tokens = new ProbeTokens({
    oauth,
    access,
    host: new URL(simulator.url).host,
    engineWith: (token) => engineFor(simulator, { now: clock.now, token: () => token }),
  });
  return { oauth, access, tokens };
}

describe('the service probe', () => {
  it.each(readings.map((r) => [describeReading(r), r] as const))(
    'reports the reading the service plays: %s',
    async (_name, reading) => {
      const { simulator, clock } = await startSimulator({ reading, wallet: 200 });
      const { oauth, access, tokens } = probeTokens(simulator, clock);
      const report = await runProbe({
        environment: 'sandbox',
        engine: await tokens.reader(),
        capped: (cost) => tokens.capped(cost),
        oauth: { client: oauth, access },
        now: clock.now,
        // Time passes on the simulator's clock while the probe follows the request.
        sleep: async (ms) => clock.advance(ms),
        waitMs: 600_000,
        pollMs: 30_000,
      });
      const { transactionDescription, ...profile } = report.profile;
      expect(profile).toEqual(expectedProfile(reading));
      expect(transactionDescription).toBe(`API usage - ${new URL(simulator.url).host}`);
      expect(report.steps.filter((s) => !s.ok).map((s) => s.step)).toEqual(
        reading.delete === 'absent' ? ['Annullamento (DELETE /richiesta/{id})'] : [],
      );
      expect(report.requests).toHaveLength(2);
      expect(report.requestPrice).toBe(18.7);
      // Its spending token was capped at its planned cost: two requests, IVA included.
      expect(simulator.oauthTokens().find((x) => x.name.includes('spesa'))?.limits).toEqual({
        walletAmount: 45.62,
      });
      // What it found replays as the simulator's reading (where it could tell).
      const replayed = parseReading(report.reading);
      const played = { ...reading, outputs: DEFAULT_READING.outputs };
      if (reading.delete === 'absent') played.cancelledPut = DEFAULT_READING.cancelledPut;
      expect(replayed).toEqual(played);
      await tokens.discard();
      expect(simulator.oauthTokens()).toEqual([]);
    },
  );

  it('says "non determinato" when nothing moved at the open nor at the close: a free Sandbox', async () => {
    const { simulator, clock } = await startSimulator({ reading: { charge: 'open' }, free: true });
    const { oauth, access, tokens } = probeTokens(simulator, clock);
    const report = await runProbe({
      environment: 'sandbox',
      engine: await tokens.reader(),
      capped: (cost) => tokens.capped(cost),
      oauth: { client: oauth, access },
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
    });
    expect(report.profile.charge).toBe('unknown');
    expect(report.steps.find((s) => s.step.startsWith('Chiusura (PUT'))?.detail).toContain('non determinato');
    expect(report.reading).not.toContain('charge=');
    // The rest is still found out.
    expect(report.profile).toMatchObject({ echo: 'ricerche', state: 'present', delete: 'supported' });
  });

  it('decides from the token’s own spending when another counter moves the account meanwhile', async () => {
    const { simulator, clock } = await startSimulator({ reading: { charge: 'close' }, wallet: 500 });
    const { oauth, access, tokens } = probeTokens(simulator, clock);
    const someoneElse = clientFor(simulator);
    const report = await runProbe({
      environment: 'sandbox',
      engine: await tokens.reader(),
      capped: async (cost) => {
        const capped = await tokens.capped(cost);
        // Another counter sends a request (closed: charged) just as the probe opens its own.
        const open = capped.engine.open.bind(capped.engine);
        capped.engine.open = async (submission) => {
          await someoneElse.createRequest({ hash_visura: submission.service, json_visura: seedJson() });
          return open(submission);
        };
        return capped;
      },
      oauth: { client: oauth, access },
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
    });
    expect(report.profile.charge).toBe('close');
  });

  it('says what it cannot know with only a token, and never fails for it', async () => {
    const { simulator, clock } = await startSimulator();
    const report = await runProbe({
      environment: 'sandbox',
      engine: engineFor(simulator, { now: clock.now }),
      oauth: null,
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
    });
    expect(report.profile).toMatchObject({
      charge: 'unknown',
      transactionAmounts: 'unknown',
      echo: 'ricerche',
    });
    expect(report.steps.at(-1)).toMatchObject({ step: 'Credito e movimenti', ok: false });
  });

  it('runs as `npm run probe` with the account’s email and key, prints the profile and saves the report', async () => {
    const simulator = new Simulator({
      reading: { charge: 'open', echo: 'none' },
      durations: { toDatiDisponibili: 200, toEvasa: 200 },
      owner: 'caf@example.it',
      apiKey: 'chiave-sandbox-di-prova-123456',
    });
    await simulator.start();
    try {
      const out = join(tempDir(), 'profilo.json');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          join(import.meta.dirname, '../../../main/probe/cli.ts'),
          '--env',
          'sandbox',
          '--base-url',
          simulator.url,
          '--email',
          'caf@example.it',
          '--key',
          'chiave-sandbox-di-prova-123456',
          '--wait',
          '10',
          '--out',
          out,
        ],
        { timeout: 60_000 },
      );
      expect(stdout).toMatch(/open\s+Addebito alla creazione/);
      expect(stdout).toMatch(/none\s+Eco dei dati/);
      const report = probeReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
      expect(report.profile).toMatchObject({ charge: 'open', echo: 'none', dimensione: 'bytes' });
      expect(stdout).toContain(`Lettura per il simulatore: ${report.reading}`);
      // The one-hour tokens it made for itself (reading, spending) are gone.
      expect(simulator.calls.get('POST /tokens')).toBe(2);
      expect(simulator.oauthTokens()).toEqual([]);

      // The report replays: the simulator reads its reading from it.
      const replay = spawn(process.execPath, [
        join(import.meta.dirname, '../../../main/simulator/cli.ts'),
        '--reading-from',
        out,
      ]);
      try {
        const banner = await firstLines(replay.stdout, 'Lettura:');
        expect(banner).toContain('charge=open,echo=none');
      } finally {
        replay.kill();
      }
      await expect(clientFor(simulator).listRequests()).resolves.toHaveLength(2);
    } finally {
      await simulator.stop();
    }
  });

  it('refuses Produzione named through --base-url or --oauth-url under another environment', async () => {
    for (const flags of [
      ['--base-url', 'https://visengine2.altravia.com'],
      ['--oauth-url', 'https://oauth.openapi.com/'],
    ]) {
      const run = promisify(execFile)(process.execPath, [
        join(import.meta.dirname, '../../../main/probe/cli.ts'),
        '--env',
        'sandbox',
        ...flags,
        '--token',
        'x'.repeat(20),
      ]);
      const failure = (await run.then(
        () => null,
        (e: unknown) => e,
      )) as { code: number; stderr: string } | null;
      expect(failure?.code, flags.join(' ')).toBe(2);
      expect(failure?.stderr).toContain('Produzione');
      expect(failure?.stderr).toContain('--produzione-a-pagamento');
    }
  });

  it('refuses Produzione unless told it will be charged', async () => {
    const run = promisify(execFile)(process.execPath, [
      join(import.meta.dirname, '../../../main/probe/cli.ts'),
      '--env',
      'produzione',
      '--token',
      'x'.repeat(20),
    ]);
    const failure = (await run.then(
      () => null,
      (e: unknown) => e,
    )) as { code: number; stderr: string } | null;
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('addebitate');
  });
});

/** What a child process printed up to the line containing `marker`. */
function firstLines(stream: Readable, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      const line = text.split('\n').find((l) => l.includes(marker));
      if (line) resolve(line);
    });
    stream.on('end', () => reject(new Error(`no «${marker}» in: ${text}`)));
  });
}
