import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { probeReportSchema, type ServiceProfile } from '../../../common/probe.ts';
import { OAuthClient } from '../../../main/engine/oauth.ts';
import { runProbe } from '../../../main/probe/probe.ts';
import {
  describeReading,
  LEAST_CONVENIENT,
  matrixReadings,
  type SpecReading,
} from '../../../main/simulator/reading.ts';
import { Simulator } from '../../../main/simulator/server.ts';
import { clientFor, engineFor, startSimulator } from '../../support/simulator.ts';
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
    transactionAmounts: 'net',
  };
}

const readings = [...matrixReadings(), LEAST_CONVENIENT];

describe('the service probe', () => {
  it.each(readings.map((r) => [describeReading(r), r] as const))(
    'reports the reading the service plays: %s',
    async (_name, reading) => {
      const { simulator, clock } = await startSimulator({ reading, wallet: 200 });
      const report = await runProbe({
        environment: 'sandbox',
        engine: engineFor(simulator, { now: clock.now }),
        oauth: {
          client: new OAuthClient({ http: (url, init) => fetch(url, init) }),
          access: { baseUrl: simulator.url, email: simulator.owner, apiKey: simulator.apiKey },
        },
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
    },
  );

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
      // The one-hour token it made for itself is gone.
      expect(simulator.oauthTokens().filter((t) => t.name?.includes('verifica'))).toEqual([]);
      await expect(clientFor(simulator).listRequests()).resolves.toHaveLength(2);
    } finally {
      await simulator.stop();
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
