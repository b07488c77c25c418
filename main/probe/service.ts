import type { Environment } from '../../common/environments.ts';
import type { ProbeReport } from '../../common/probe.ts';
import type { OAuthClient } from '../engine/oauth.ts';
import type { EngineProvider } from '../engine/provider.ts';
import type { EventHub } from '../events.ts';
import type { LedgerPort } from '../store/port.ts';
import type { Register } from '../store/port.ts';
import { runProbe } from './probe.ts';
import type { ServiceProfiles } from './profiles.ts';

/**
 * Impostazioni → "Verifica del servizio": the probe run with the environment's own credentials,
 * its steps pushed as they end, the profile saved, and the requests it created put on record so
 * the account's charges audit explains them.
 */
/** What the probe needs of the app's shared core (main/core.ts gives it). */
export interface ProbeCore {
  engines: Pick<EngineProvider, 'oauthAccess' | 'forEnvironment'>;
  oauth: OAuthClient;
  now: () => number;
  events: Pick<EventHub, 'emit'>;
  operator: () => string;
}

export class ProbeService {
  private readonly d: {
    core: ProbeCore;
    profiles: ServiceProfiles;
    ledger: LedgerPort;
    store: Register;
  };

  constructor(deps: ProbeService['d']) {
    this.d = deps;
  }

  async run(environment: Environment): Promise<ProbeReport> {
    const { core, profiles, ledger, store } = this.d;
    const access = await core.engines.oauthAccess(environment);
    const report = await runProbe({
      environment,
      engine: await core.engines.forEnvironment(environment),
      oauth: access ? { client: core.oauth, access } : null,
      now: core.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      progress: (step) => core.events.emit('probeProgress', step),
    });
    profiles.save(report);
    for (const remoteId of report.requests)
      await ledger.note({
        environment,
        remoteId,
        requestId: 'verifica-del-servizio',
        origin: 'created',
        fate: 'closed',
        price: report.requestPrice,
        createdAt: report.startedAt,
      });
    await store.trail.add(null, 'probed', core.operator(), { environment, requests: report.requests.length });
    return report;
  }
}
