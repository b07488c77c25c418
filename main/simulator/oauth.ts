import { randomBytes } from 'node:crypto';
import type { Answer, Payer } from './handlers.ts';
import type { SimStore } from './store.ts';

/*
 * The part of Openapi's OAuth API v2 (oauthv2.openapi.json) the app uses, as specified: tokens
 * with scopes, expiry, limits and stats, the scopes the account may use, the wallet's transactions.
 * Every call takes Basic auth of the account's email (`owner`) and API key. Visengine calls made
 * with one of these tokens pass only with the scope `METHOD:<host>/<first path segment>`, and a
 * charge passes only within the token's `limits` (`walletAmount`, `walletRequests`); each is
 * counted in its `stats`.
 */

/** The first path segments of the OAuth API. */
export const OAUTH_ROOTS = new Set(['tokens', 'scopes', 'wallet']);

const VISENGINE_SEGMENTS = ['visure', 'richiesta', 'documento'] as const;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
const REAL_HOSTS = ['visengine2.altravia.com', 'test.visengine2.altravia.com'];
const SCOPE_FORMAT = /^(GET|POST|PUT|PATCH|DELETE|\*):[A-Za-z0-9.-]+(?::\d+)?\/[A-Za-z0-9_*-]+$/;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{1,128}$/;
/** The spec: "If a negative value or 0 is provided, the value is automatically clamped to the default TTL". */
const DEFAULT_TTL_S = 30 * 86_400;
const MAX_TTL_S = 365 * 86_400;

/** TokenLimits as the simulator enforces them: only what was given with a valid value. */
export interface SimLimits {
  walletAmount?: number;
  walletRequests?: number;
  totalRequests?: number;
  ip?: string[];
}

/** TokenStats: what the token's calls did, as the spec names it. */
export interface SimStats {
  totalRequests: number;
  walletRequests: number;
  errorRequests: number;
  walletAmount: number;
}

export interface SimToken {
  token: string;
  name: string;
  scopes: string[];
  createdAt: number;
  expireAt: number;
  updatedAt: number;
  refreshToken: string;
  limits: SimLimits;
  stats: SimStats;
}

export interface SimOAuthOptions {
  store: SimStore;
  owner: string;
  apiKey: string;
  now: () => number;
  /** Scopes the account may not use, as `METHOD /segment` (e.g. `DELETE /richiesta`): API not enabled. */
  disabledScopes?: readonly string[];
}

const ok = (data: unknown, message = ''): Answer => ({
  status: 200,
  body: { data, success: true, message, error: null },
});
const fail = (status: number, error: number, message: string): Answer => ({
  status,
  body: { data: null, success: false, message, error },
});

export class SimOAuth {
  readonly tokens = new Map<string, SimToken>();
  private readonly opts: SimOAuthOptions;
  private disabled: Set<string>;

  constructor(options: SimOAuthOptions) {
    this.opts = options;
    this.disabled = new Set(options.disabledScopes ?? []);
  }

  get apiKey(): string {
    return this.opts.apiKey;
  }

  setDisabledScopes(scopes: readonly string[]): void {
    this.disabled = new Set(scopes);
  }

  /** `Basic base64(owner:apiKey)` (scheme case-insensitive). */
  basic(header: string): boolean {
    const m = /^basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!m?.[1]) return false;
    return Buffer.from(m[1], 'base64').toString('utf8') === `${this.opts.owner}:${this.opts.apiKey}`;
  }

  /**
   * May this Bearer token make this Visengine call? 401 for a token that does not exist or has
   * expired, 403 for one without the call's scope.
   */
  authorize(token: string, method: string, segment: string, host: string): 200 | 401 | 403 {
    const known = this.tokens.get(token);
    if (!known || known.expireAt <= this.opts.now()) return 401;
    return known.scopes.includes(`${method}:${host}/${segment}`) ? 200 : 403;
  }

  /** A call made with `token` got `status`: counted in its stats (unknown tokens are not). */
  counted(token: string, status: number): void {
    const known = this.tokens.get(token);
    if (!known) return;
    known.stats.totalRequests += 1;
    if (status >= 400) known.stats.errorRequests += 1;
  }

  /** The payer of the calls made with `token`; null for a token this API did not make. */
  payer(token: string): Payer | null {
    const known = this.tokens.get(token);
    if (!known) return null;
    return {
      refusal: (amount) => {
        const { limits, stats } = known;
        if (
          limits.walletAmount !== undefined &&
          Math.round((stats.walletAmount + amount) * 100) > Math.round(limits.walletAmount * 100)
        )
          return `Token limit reached: walletAmount ${stats.walletAmount.toFixed(2)} of ${limits.walletAmount.toFixed(2)} spent`;
        if (limits.walletRequests !== undefined && stats.walletRequests + 1 > limits.walletRequests)
          return `Token limit reached: walletRequests ${stats.walletRequests} of ${limits.walletRequests}`;
        return null;
      },
      paid: (amount) => {
        known.stats.walletRequests += 1;
        known.stats.walletAmount = Math.round((known.stats.walletAmount + amount) * 100) / 100;
      },
    };
  }

  route(method: string, parts: string[], query: URLSearchParams, body: unknown, host: string): Answer | null {
    const [root, id] = parts;
    if (root === 'tokens') {
      if (parts.length === 1 && method === 'POST') return this.create(body, host);
      if (parts.length === 1 && method === 'GET') return this.list(query);
      if (parts.length === 2 && method === 'GET') return this.read(id!);
      if (parts.length === 2 && method === 'DELETE') return this.remove(id!);
    }
    if (root === 'scopes' && parts.length === 1 && method === 'GET') return ok(this.available(host));
    if (root === 'wallet' && parts[1] === 'transactions' && parts.length === 2 && method === 'GET')
      return this.transactions(query, host);
    return null;
  }

  private create(body: unknown, host: string): Answer {
    if (!isObject(body) || !Array.isArray(body.scopes) || body.scopes.length === 0)
      return fail(422, 70, 'missing scopes array');
    const scopes: unknown[] = body.scopes;
    if (!scopes.every((s): s is string => typeof s === 'string' && SCOPE_FORMAT.test(s)))
      return fail(422, 80, 'invalid scopes format');
    const usable = new Set(
      this.available(host)
        .filter((s) => s.enabled)
        .map((s) => s.scope),
    );
    if (!scopes.every((s) => usable.has(s)))
      return fail(422, 90, 'Invalid scopes specified or API not enabled');
    const asked = typeof body.ttl === 'number' && Number.isInteger(body.ttl) ? body.ttl : 0;
    const ttl = asked <= 0 ? DEFAULT_TTL_S : Math.min(asked, MAX_TTL_S);
    const now = this.opts.now();
    const token: SimToken = {
      token: randomBytes(12).toString('hex'),
      name: typeof body.name === 'string' && body.name ? body.name : 'token',
      scopes: [...new Set(scopes)],
      createdAt: now,
      expireAt: now + ttl * 1000,
      updatedAt: now,
      refreshToken: randomBytes(12).toString('hex'),
      limits: readLimits(body.limits),
      stats: { totalRequests: 0, walletRequests: 0, errorRequests: 0, walletAmount: 0 },
    };
    this.tokens.set(token.token, token);
    return ok(detail(token));
  }

  private list(query: URLSearchParams): Answer {
    const { skip, limit } = page(query);
    const all = [...this.tokens.values()].sort((a, b) => b.createdAt - a.createdAt);
    return ok(all.slice(skip, skip + limit).map(detail));
  }

  private read(id: string): Answer {
    if (!TOKEN_FORMAT.test(id)) return fail(422, 60, 'Invalid Token Format');
    const token = this.tokens.get(id);
    return token ? ok(detail(token)) : fail(404, 120, 'Not Found');
  }

  private remove(id: string): Answer {
    if (!this.tokens.delete(id)) return fail(404, 180, 'Not Found');
    return ok(null, 'Deleted');
  }

  /** Every Visengine scope on the real hosts and on the host this simulator is reached at. */
  private available(host: string) {
    const hosts = [...new Set([...REAL_HOSTS, host])];
    return hosts.flatMap((domain) =>
      VISENGINE_SEGMENTS.flatMap((endpoint) =>
        METHODS.map((method) => ({
          id: Buffer.from(`${method}:${domain}/${endpoint}`).toString('hex').slice(0, 24),
          scope: `${method}:${domain}/${endpoint}`,
          method,
          endpoint,
          domain,
          enabled: !this.disabled.has(`${method} /${endpoint}`),
        })),
      ),
    );
  }

  /** The wallet's charges as Openapi lists transactions: newest first, negative amounts. */
  private transactions(query: URLSearchParams, host: string): Answer {
    const { skip, limit } = page(query);
    const charges = this.opts.store.charges.map((charge, index) => ({ charge, index }));
    const newestFirst = charges.sort((a, b) => b.charge.at - a.charge.at || b.index - a.index);
    return ok(
      newestFirst.slice(skip, skip + limit).map(({ charge, index }) => ({
        id: `txn_${(index + 1).toString(16).padStart(21, '0')}`,
        amount: -charge.amount,
        createdAt: iso(charge.at),
        description: `API usage - ${host}`,
      })),
    );
  }
}

function detail(token: SimToken) {
  return {
    token: token.token,
    name: token.name,
    createdAt: iso(token.createdAt),
    expireAt: iso(token.expireAt),
    updatedAt: iso(token.updatedAt),
    scopes: token.scopes,
    refreshToken: token.refreshToken,
    limits: token.limits,
    stats: token.stats,
  };
}

/** TokenLimits from a body: each member kept only when it has the spec's type (a number ≥ 0, …). */
function readLimits(value: unknown): SimLimits {
  if (!isObject(value)) return {};
  const limits: SimLimits = {};
  const { walletAmount, walletRequests, totalRequests, ip } = value;
  if (typeof walletAmount === 'number' && Number.isFinite(walletAmount) && walletAmount >= 0)
    limits.walletAmount = walletAmount;
  if (typeof walletRequests === 'number' && Number.isInteger(walletRequests) && walletRequests >= 0)
    limits.walletRequests = walletRequests;
  if (typeof totalRequests === 'number' && Number.isInteger(totalRequests) && totalRequests >= 0)
    limits.totalRequests = totalRequests;
  if (Array.isArray(ip) && ip.every((x) => typeof x === 'string')) limits.ip = ip;
  return limits;
}

/** `skip` and `limit` as the spec gives them: defaults 0 and 100, `limit` at most 100. */
function page(query: URLSearchParams): { skip: number; limit: number } {
  const skip = Number(query.get('skip') ?? 0);
  const limit = Number(query.get('limit') ?? 100);
  return {
    skip: Number.isInteger(skip) && skip > 0 ? skip : 0,
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 100) : 100,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
