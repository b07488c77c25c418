import type { Environment } from '../../common/environments.ts';
import type { ProbeReport } from '../../common/probe.ts';
import type { OAuthClient } from '../engine/oauth.ts';
import type { EngineProvider } from '../engine/provider.ts';
import type { EventHub } from '../events.ts';
import type { LedgerPort } from '../store/port.ts';
import type { Register } from '../store/port.ts';
import { AppError } from '../errors.ts';
import { runProbe } from './probe.ts';
import { paidTarget } from './produzione.ts';
import { ProbeTokens } from './tokens.ts';
import type { ServiceProfiles } from './profiles.ts';

/**
 * Impostazioni → "Verifica del servizio": the probe run with the environment's own credentials,
 * its steps pushed as they end, the profile saved, and the requests it created put on record so
 * the account's charges audit explains them.
 */
/** What the probe needs of the app's shared core (main/core.ts gives it). */
export interface ProbeCore {
  engines: Pick<EngineProvider, 'oauthAccess' | 'forEnvironment' | 'withToken' | 'baseUrl'>;
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
    const baseUrl = await core.engines.baseUrl(environment);
    const paid = paidTarget(environment, { visengine: baseUrl, oauth: access?.baseUrl ?? baseUrl });
    if (paid)
      throw new AppError('not_allowed', `La verifica crea due richieste, che in ${paid} sono addebitate`);
    // With the key, the spending is done with a token of the probe's own, capped at its planned cost.
    const tokens = access
      ? new ProbeTokens({
          oauth: core.oauth,
          access,
          host: new URL(baseUrl).host,
          engineWith: (token) => core.engines.withToken(environment, token),
        })
      : null;
    let report: ProbeReport;
    try {
      report = await runProbe({
        environment,
        engine: await core.engines.forEnvironment(environment),
        capped: tokens ? (cost) => tokens.capped(cost) : null,
        oauth: access ? { client: core.oauth, access } : null,
        now: core.now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        progress: (step) => core.events.emit('probeProgress', step),
      });
    } finally {
      await tokens?.discard();
    }
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
