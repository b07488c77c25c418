import type { ConnectionCheck, VisengineScope } from '../../common/credentials.ts';
import type { Environment } from '../../common/environments.ts';
import { AppError } from '../errors.ts';
import type { Http, Logger } from '../ports.ts';
import { endpointsFor, type RemoteEnvironment } from './endpoints.ts';
import type { Engine } from './engine.ts';
import type { OAuthAccess, OAuthClient } from './oauth.ts';
import { checkConnection } from './scope-check.ts';
import { gateScopes } from './scope-gate.ts';
import { VisengineEngine } from './visengine/adapter.ts';
import {
  VisengineClient,
  type RetryPolicy,
  type Timeouts,
  type VisengineClientOptions,
} from './visengine/client.ts';

/** The Engine on a Visengine at `options.baseUrl` (the provider's, and the probe CLI's). */
export function visengineAt(options: VisengineClientOptions): Engine {
  return new VisengineEngine(new VisengineClient(options));
}

/**
 * Where Prova is: a Visengine at `baseUrl` taking `token`, whose OAuth API (same base URL) knows
 * the account `owner` with `apiKey`. The composition root decides what serves it (the built-in
 * simulator, started on first use: main/simulator/prova.ts) and stops it.
 */
export interface ProvaAccess {
  baseUrl: string;
  token: string;
  owner: string;
  apiKey: string;
}

/**
 * The office's credentials for Sandbox and Produzione, as the provider needs them (settings'
 * CredentialsService is the one the app gives; the engine does not know where they are kept).
 */
export interface EngineCredentials {
  /** The bearer token for Visengine, null when the office has none. */
  bearer(environment: RemoteEnvironment): Promise<string | null>;
  /** Visengine refused `token`: a renewed one, or null when none can be had. */
  rejected(environment: RemoteEnvironment, token: string): Promise<string | null>;
  /** Basic credentials for the OAuth API (wallet, transactions), null without an API key. */
  oauthAccess(environment: RemoteEnvironment): Promise<OAuthAccess | null>;
  /** "Prova connessione" for a real environment. */
  check(environment: RemoteEnvironment): Promise<ConnectionCheck>;
  /** The needed scopes the environment's credentials lack: what needs one is not tried. */
  missingScopes(environment: RemoteEnvironment): readonly VisengineScope[];
}

export interface EngineProviderOptions {
  http: Http;
  credentials: EngineCredentials;
  /** Reads Prova's wallet in "Prova connessione", as for a real environment. */
  oauth: OAuthClient;
  log: Logger;
  /** The app's clock: token expiry, and what the services' clocks are measured against. */
  now: () => number;
  version: string;
  /** Development only: send Sandbox's and Produzione's Visengine calls to this base URL. */
  baseUrlOverride?: string | undefined;
  /** Prova, reached on first use; without it, Prova cannot be used. */
  prova?: (() => Promise<ProvaAccess>) | undefined;
  timeouts?: Partial<Timeouts> | undefined;
  retry?: Partial<RetryPolicy> | undefined;
}

/** One engine per environment (Visengine's, for now); Prova's is reached through `prova` on first use. */
export class EngineProvider {
  private readonly options: EngineProviderOptions;
  private readonly engines = new Map<Environment, Engine>();
  private provaAccess: Promise<ProvaAccess> | null = null;

  constructor(options: EngineProviderOptions) {
    this.options = options;
  }

  async forEnvironment(environment: Environment): Promise<Engine> {
    const known = this.engines.get(environment);
    if (known) return known;
    const { credentials, log, version } = this.options;
    let baseUrl: string;
    let token: () => Promise<string | null> | string | null;
    let http = this.options.http;
    if (environment === 'prova') {
      const prova = await this.prova();
      baseUrl = prova.baseUrl;
      token = () => prova.token;
    } else {
      baseUrl = endpointsFor(environment, { baseUrl: this.options.baseUrlOverride }).visengine;
      token = () => credentials.bearer(environment);
      http = this.renewingOn401(environment);
    }
    const visengine = visengineAt({
      baseUrl,
      token,
      http,
      log,
      userAgent: `Sportello/${version}`,
      now: this.options.now,
      ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
    // Prova's built-in token holds every scope; a real environment's may lack some.
    const engine =
      environment === 'prova'
        ? visengine
        : gateScopes(environment, visengine, () => credentials.missingScopes(environment));
    this.engines.set(environment, engine);
    return engine;
  }

  /**
   * An engine on the environment's Visengine with a token of the caller's (the probe's own): no
   * renewal, no scope gate — what the token holds is what it can do.
   */
  async withToken(environment: Environment, token: string): Promise<Engine> {
    return visengineAt({
      baseUrl: await this.baseUrl(environment),
      token: () => token,
      http: this.options.http,
      log: this.options.log,
      userAgent: `Sportello/${this.options.version}`,
      now: this.options.now,
      ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
  }

  /** The environment's Visengine base URL (Prova's reached if needed). */
  async baseUrl(environment: Environment): Promise<string> {
    return (await this.forEnvironment(environment)).baseUrl;
  }

  /**
   * Basic credentials for the OAuth API (wallet, transactions): Prova's are its own account (owner
   * and API key); a real environment's need its email and API key. Null without them.
   */
  async oauthAccess(environment: Environment): Promise<OAuthAccess | null> {
    if (environment !== 'prova') return this.options.credentials.oauthAccess(environment);
    const prova = await this.prova();
    return { baseUrl: prova.baseUrl, email: prova.owner, apiKey: prova.apiKey };
  }

  /** "Prova connessione" for any environment; Prova's uses its built-in token. */
  async check(environment: Environment): Promise<ConnectionCheck> {
    if (environment !== 'prova') return this.options.credentials.check(environment);
    const access = await this.oauthAccess('prova');
    const prova = await this.prova();
    return checkConnection({
      environment,
      baseUrl: prova.baseUrl,
      token: prova.token,
      http: this.options.http,
      now: this.options.now,
      credentials: 'builtin',
      tokenScopes: null,
      tokenExpiresAt: null,
      wallet: access ? () => this.options.oauth.credit(access) : null,
      log: this.options.log,
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
  }

  /**
   * The Http port for a real environment's Visengine: a 401 asks the credentials for a renewed
   * token and sends the same call once more with it. Safe for every method: a 401 means the call
   * was refused before the service acted on it.
   */
  private renewingOn401(environment: RemoteEnvironment): Http {
    const { http, credentials, log } = this.options;
    return async (url, init) => {
      const response = await http(url, init);
      if (response.status !== 401) return response;
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const used = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
      if (!used) return response;
      const fresh = await credentials.rejected(environment, used);
      if (!fresh || fresh === used) return response;
      await response.body?.cancel().catch(() => {});
      log.info('visengine 401: sent again with a renewed token', { environment });
      return http(url, { ...init, headers: { ...headers, authorization: `Bearer ${fresh}` } });
    };
  }

  /** Prova's access, asked once (again after a failure: a start that failed may succeed later). */
  private prova(): Promise<ProvaAccess> {
    const factory = this.options.prova;
    if (!factory) return Promise.reject(new AppError('internal', 'Ambiente Prova non disponibile'));
    this.provaAccess ??= factory().catch((error: unknown) => {
      this.provaAccess = null;
      throw error;
    });
    return this.provaAccess;
  }
}
