import { REMOTE_BASE_URLS, type Environment } from '../../common/environments.ts';
import type { Endpoints } from '../engine/endpoints.ts';
import { OAUTH_BASE_URLS } from '../engine/oauth.ts';

const hostname = (url: string) => new URL(url).hostname.toLowerCase().replace(/\.$/, '');

/** Production's hosts, Visengine's and the OAuth API's: where the probe's requests are paid for. */
const PAID_HOSTS = new Set([hostname(REMOTE_BASE_URLS.produzione), hostname(OAUTH_BASE_URLS.produzione)]);

/**
 * Why the probe would spend real money here, or null: Produzione by name, or any environment whose
 * Visengine or OAuth API is Produzione's host (`--base-url https://visengine2.altravia.com` with
 * `--env sandbox` is Produzione all the same).
 */
export function paidTarget(environment: Environment, endpoints: Endpoints): string | null {
  if (environment === 'produzione') return 'Produzione';
  const paid = [endpoints.visengine, endpoints.oauth].find((url) => PAID_HOSTS.has(hostname(url)));
  return paid ? `${hostname(paid)} (il servizio di Produzione)` : null;
}
