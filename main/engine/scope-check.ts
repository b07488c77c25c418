import {
  visengineScopes,
  type ConnectionCheck,
  type ScopeCheck,
  type VisengineScope,
} from '../../common/credentials.ts';
import type { Environment } from '../../common/environments.ts';
import type { ErrorCode } from '../../common/errors.ts';
import { AppError } from '../errors.ts';
import type { Http, Logger } from '../ports.ts';
import { NetworkError, TimeoutError, UnauthorizedError } from './errors.ts';
import type { RetryPolicy } from './visengine/client.ts';

/** An id no request can have (its creation second is 1970): every probe below finds nothing. */
const NOBODY = '000000000000000000000000';

/**
 * One harmless call per needed scope: none can create, change or charge anything. The gateway
 * checks the token's scope before the service sees the call, so 401/403 means "scope missing" and
 * any answer of the service itself (200, 404 not found, 428 hash required, …) means "allowed".
 */
const PROBES: Record<VisengineScope, { method: string; path: string; body?: unknown }> = {
  'GET /visure': { method: 'GET', path: '/visure' },
  'GET /richiesta': { method: 'GET', path: '/richiesta' },
  // No hash_visura: refused with 428/204 before anything is looked at; `test:true` besides.
  'POST /richiesta': { method: 'POST', path: '/richiesta', body: { test: true, state: 0 } },
  'PUT /richiesta': { method: 'PUT', path: `/richiesta/${NOBODY}`, body: {} },
  'DELETE /richiesta': {
    method: 'DELETE',
    path: `/richiesta/${NOBODY}`,
    body: { motivo: 'Sportello: verifica dei permessi' },
  },
  'GET /documento': { method: 'GET', path: `/documento/${NOBODY}` },
};

/** Statuses the service itself gives to these probes: the call got past the scope check. */
const SERVICE_ANSWERS = new Set([200, 204, 400, 404, 405, 409, 412, 422, 428]);

/** A proxy or gateway in between that could not reach the service this time: worth asking again. */
const TRANSIENT = new Set([502, 503, 504]);

/** As the engine retries a GET (visengine/client.ts DEFAULT_RETRY). */
const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 400, maxDelayMs: 8_000 };

export interface ConnectionCheckInput {
  environment: Environment;
  baseUrl: string;
  /** Null when the account grants no needed scope (no token could be made): every scope is missing. */
  token: string | null;
  http: Http;
  now: () => number;
  credentials: ConnectionCheck['credentials'];
  /** The token's own scope list (`GET /tokens/{token}`), when the API key lets the app read it. */
  tokenScopes: VisengineScope[] | null;
  tokenExpiresAt: number | null;
  /** Reads the credit with the account's Basic credentials; null with a ready token only. */
  wallet: (() => Promise<number>) | null;
  timeoutMs?: number;
  /** How a GET probe is asked again after a 502/503/504 or no answer (the catalog's policy). */
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
}

type ProbeResult =
  { kind: 'answer'; status: number; services: number | null } | { kind: 'failed'; error: AppError };

/** "Prova connessione": the catalog, each needed scope, and the wallet. */
export async function checkConnection(input: ConnectionCheckInput): Promise<ConnectionCheck> {
  const started = input.now();
  const { token } = input;
  if (token === null)
    return {
      environment: input.environment,
      services: null,
      latencyMs: 0,
      credentials: input.credentials,
      scopes: visengineScopes.map((scope) => ({ scope, status: 'missing' })),
      tokenExpiresAt: null,
      wallet: await readWallet(input),
    };
  const results = await Promise.all(
    visengineScopes.map(async (scope) => [scope, await probeAgain(input, token, scope)] as const),
  );
  const latencyMs = input.now() - started;
  const byScope = new Map(results);
  const catalog = byScope.get('GET /visure')!;
  // No answer at all from the catalog: the connection, not a scope, is the problem.
  if (catalog.kind === 'failed') throw catalog.error;
  const refused = results.every(([, r]) => r.kind === 'answer' && (r.status === 401 || r.status === 403));
  // Refused everywhere and nothing says the token exists: the token is wrong or expired.
  if (refused && input.tokenScopes === null)
    throw new UnauthorizedError('Prova connessione: Visengine rifiuta il token su ogni chiamata', {
      status: catalog.status,
    });

  const scopes: ScopeCheck[] = results.map(([scope, result]) => ({
    scope,
    status: decide(input, scope, result),
  }));
  input.log?.info('connection check', {
    environment: input.environment,
    missing: scopes.filter((s) => s.status === 'missing').map((s) => s.scope),
    unknown: scopes.filter((s) => s.status === 'unknown').map((s) => s.scope),
  });
  return {
    environment: input.environment,
    services: catalog.status === 200 ? catalog.services : null,
    latencyMs,
    credentials: input.credentials,
    scopes,
    tokenExpiresAt: input.tokenExpiresAt,
    wallet: await readWallet(input),
  };
}

function decide(
  input: ConnectionCheckInput,
  scope: VisengineScope,
  result: ProbeResult,
): ScopeCheck['status'] {
  if (result.kind === 'answer') {
    if (result.status === 401 || result.status === 403) return 'missing';
    if (SERVICE_ANSWERS.has(result.status)) return 'granted';
  }
  // The probe could not tell (network, 5xx, 429): the token's own list can.
  if (input.tokenScopes) return input.tokenScopes.includes(scope) ? 'granted' : 'missing';
  return 'unknown';
}

/**
 * A GET probe changes nothing: asked again, as the catalog is, after a 502/503/504 or no answer (one
 * proxy 502 must not read as "the catalog cannot be read"). The other probes are asked once.
 */
async function probeAgain(
  input: ConnectionCheckInput,
  token: string,
  scope: VisengineScope,
): Promise<ProbeResult> {
  const policy = { ...DEFAULT_RETRY, ...input.retry };
  const attempts = PROBES[scope].method === 'GET' ? Math.max(1, policy.attempts) : 1;
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let n = 1; ; n++) {
    const result = await probe(input, token, scope);
    const transient = result.kind === 'failed' || TRANSIENT.has(result.status);
    if (!transient || n >= attempts) return result;
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
    input.log?.warn('connection check: probe asked again', {
      environment: input.environment,
      scope,
      attempt: n,
      status: result.kind === 'answer' ? result.status : null,
    });
    await sleep(delay);
  }
}

async function probe(
  input: ConnectionCheckInput,
  token: string,
  scope: VisengineScope,
): Promise<ProbeResult> {
  const { method, path, body } = PROBES[scope];
  const timeoutMs = input.timeoutMs ?? 15_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await input.http(`${input.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: controller.signal,
      // A redirect would carry the token elsewhere: Visengine never redirects.
      redirect: 'error',
    });
    const text = await response.text();
    return {
      kind: 'answer',
      status: response.status,
      services: response.status === 200 ? countData(text) : null,
    };
  } catch (error) {
    const where = `Prova connessione, ${scope}`;
    return {
      kind: 'failed',
      error: controller.signal.aborted
        ? new TimeoutError(`${where}: nessuna risposta entro ${Math.round(timeoutMs / 1000)} s`, {
            cause: error,
          })
        : new NetworkError(`${where}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          }),
    };
  } finally {
    clearTimeout(timer);
  }
}

function countData(text: string): number | null {
  try {
    const json = JSON.parse(text) as { data?: unknown };
    return Array.isArray(json.data) ? json.data.length : null;
  } catch {
    return null;
  }
}

async function readWallet(input: ConnectionCheckInput): Promise<ConnectionCheck['wallet']> {
  if (!input.wallet) return { status: 'no_key', credit: null, error: null };
  try {
    return { status: 'ok', credit: await input.wallet(), error: null };
  } catch (error) {
    const code: ErrorCode = error instanceof AppError ? error.code : 'internal';
    input.log?.warn('connection check: wallet unavailable', { environment: input.environment, code });
    return { status: 'error', credit: null, error: code };
  }
}
