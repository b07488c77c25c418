import { REMOTE_BASE_URLS, type Environment } from '../../common/environments.ts';
import { OAUTH_BASE_URLS } from './oauth.ts';

export type RemoteEnvironment = Exclude<Environment, 'prova'>;

/** Development only: another server for every real environment's calls (e.g. the simulator). */
export interface EndpointOverrides {
  /** Visengine's base URL. */
  baseUrl?: string | undefined;
  /** The OAuth API's base URL; when absent, `baseUrl` (the simulator serves both). */
  oauthBaseUrl?: string | undefined;
}

export interface Endpoints {
  visengine: string;
  oauth: string;
}

/** Where a real environment's Visengine and OAuth API are. */
export function endpointsFor(environment: RemoteEnvironment, overrides: EndpointOverrides = {}): Endpoints {
  return {
    visengine: overrides.baseUrl ?? REMOTE_BASE_URLS[environment],
    oauth: overrides.oauthBaseUrl ?? overrides.baseUrl ?? OAUTH_BASE_URLS[environment],
  };
}

/** The host a scope names: `test.visengine2.altravia.com`, or `127.0.0.1:4010` for a local server. */
export function hostOf(baseUrl: string): string {
  return new URL(baseUrl).host;
}
