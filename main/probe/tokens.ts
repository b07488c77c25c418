import { grantedScopes, scopeString, visengineScopes } from '../../common/credentials.ts';
import type { Engine } from '../engine/engine.ts';
import type { OAuthAccess, OAuthClient } from '../engine/oauth.ts';
import type { CappedEngine } from './probe.ts';

/** The probe's tokens live an hour: long enough to follow a request, short if one is left behind. */
const PROBE_TTL_S = 3600;

export interface ProbeTokensDeps {
  oauth: OAuthClient;
  access: OAuthAccess;
  /** The Visengine host the scopes name. */
  host: string;
  /** An engine on the environment's Visengine with this token. */
  engineWith: (token: string) => Engine | Promise<Engine>;
}

/**
 * The tokens the probe makes for itself with the account's key, and deletes when it ends: one that
 * can only read the catalog (it cannot spend), then one for the calls that may charge, capped at
 * what the probe plans to spend (`limits.walletAmount`), with the needed scopes the account has.
 */
export class ProbeTokens {
  private readonly d: ProbeTokensDeps;
  private readonly made: string[] = [];

  constructor(deps: ProbeTokensDeps) {
    this.d = deps;
  }

  /** A token with `GET /visure` only: the catalog, nothing that costs. */
  async reader(): Promise<Engine> {
    const token = await this.make('lettura', [scopeString('GET /visure', this.d.host)]);
    return this.d.engineWith(token);
  }

  /** The spending token, capped at `plannedCost` euro, and how to read what it spent. */
  async capped(plannedCost: number): Promise<CappedEngine> {
    const { oauth, access, host } = this.d;
    const granted = grantedScopes(await oauth.scopes(access), host) ?? [...visengineScopes];
    const token = await this.make(
      'spesa',
      granted.map((s) => scopeString(s, host)),
      plannedCost,
    );
    return {
      engine: await this.d.engineWith(token),
      spent: async () => (await oauth.getToken(access, token)).stats?.walletAmount ?? null,
    };
  }

  /** Deletes every token made here; a failure leaves one to expire within the hour. */
  async discard(): Promise<void> {
    for (const token of this.made.splice(0))
      await this.d.oauth.deleteToken(this.d.access, token).catch(() => undefined);
  }

  private async make(what: string, scopes: string[], walletAmount?: number): Promise<string> {
    const made = await this.d.oauth.createToken(this.d.access, {
      scopes,
      name: `Sportello - verifica del servizio (${what})`,
      ttl: PROBE_TTL_S,
      ...(walletAmount === undefined ? {} : { walletAmount }),
    });
    this.made.push(made.token);
    return made.token;
  }
}
