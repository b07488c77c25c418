import { z } from 'zod';
import type { Environment } from '../../common/environments.ts';
import type { Http, Logger } from '../ports.ts';
import {
  BadResponseError,
  type EngineError,
  type EngineErrorInit,
  NetworkError,
  NotFoundError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  ValidationFailedError,
} from './errors.ts';

/**
 * Openapi's OAuth API v2 (oauthv2.openapi.json): tokens, scopes, wallet and its transactions, all
 * with Basic auth of the account email and API key. The API key never goes to Visengine: Visengine
 * gets a Bearer token made here from it (`POST /tokens`).
 */
export const OAUTH_BASE_URLS: Record<Exclude<Environment, 'prova'>, string> = {
  // The OAuth API's own "Sandbox" server, which knows the sandbox key (the spec's `servers`).
  sandbox: 'https://test.oauth.openapi.com',
  produzione: 'https://oauth.openapi.com',
};

/** Where and as whom to call the OAuth API. */
export interface OAuthAccess {
  baseUrl: string;
  email: string;
  apiKey: string;
}

/** A token's spending: its cap (`limits`) or what it spent (`stats`); null members: unsaid. */
export interface TokenSpending {
  /** Euro. */
  walletAmount: number | null;
  /** Paid calls. */
  walletRequests: number | null;
}

export interface OAuthToken {
  token: string;
  name: string | null;
  scopes: string[];
  /** ms since the epoch; null when the answer did not say. */
  createdAt: number | null;
  expireAt: number | null;
  /** The caps it was made with; null when the answer has no `limits`. */
  limits: TokenSpending | null;
  /** What it spent so far; null when the answer has no `stats` (never "nothing spent"). */
  stats: TokenSpending | null;
}

export interface WalletTransaction {
  id: string;
  /** Euro; negative for an expense, positive for a recharge. */
  amount: number;
  /** ms since the epoch. */
  createdAt: number;
  description: string;
}

export interface NewToken {
  scopes: string[];
  name?: string;
  /** Lifetime in seconds (the API allows up to a year; 0 or less means its default). */
  ttl?: number;
  /** The most the token may take from the wallet, in euro (TokenLimits.walletAmount). */
  walletAmount?: number;
}

/** A euro amount as a number or a numeric string ("125.5", "125,50"). */
const amountSchema = z.union([
  z.number().finite(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(?:[.,]\d+)?$/)
    .transform((s) => Number(s.replace(',', '.'))),
]);

/** An ISO date-time or unix seconds/ms, as ms; null when unreadable. */
const instantSchema = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number') return value < 1e12 ? value * 1000 : value;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  });

/** Lenient: only `data.credit` matters; the envelope's other members may be there or not. */
export const walletAnswerSchema = z.object({ data: z.object({ credit: amountSchema }) });

/** A count, or null when absent or unreadable: one odd member does not hide the others. */
const countSchema = z.unknown().transform((v) => {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
});
const looseAmountSchema = z.unknown().transform((v) => {
  const parsed = amountSchema.safeParse(v);
  return parsed.success && parsed.data >= 0 ? parsed.data : null;
});
/** TokenLimits and TokenStats, for the members the app reads; anything else, or nothing, is null. */
const spendingSchema = z
  .unknown()
  .optional()
  .transform((v): TokenSpending | null =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? {
          walletAmount: looseAmountSchema.parse((v as Record<string, unknown>).walletAmount),
          walletRequests: countSchema.parse((v as Record<string, unknown>).walletRequests),
        }
      : null,
  );

/** TokenDetail; `token` is the only member the app cannot do without. */
const tokenDetailSchema = z.object({
  token: z.string().min(1),
  name: z.string().nullish(),
  scopes: z.array(z.string()).nullish(),
  createdAt: instantSchema,
  expireAt: instantSchema,
  limits: spendingSchema,
  stats: spendingSchema,
});

/** The spec gives TokenDetail bare, the wallet's answers wrap `data`: accept both. */
export const tokenAnswerSchema = z.union([
  z.object({ data: tokenDetailSchema }).transform((a) => a.data),
  tokenDetailSchema,
]);

const transactionSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  amount: amountSchema,
  createdAt: instantSchema,
  description: z.string().nullish(),
});

/** One bad entry does not hide the others: it is left out, and counted in the log. */
export const transactionsAnswerSchema = z.object({ data: z.array(z.unknown()).nullable() });

const scopesAnswerSchema = z.object({
  data: z.array(
    z.object({
      scope: z.string(),
      enabled: z.boolean().nullish(),
    }),
  ),
});

export interface OAuthClientOptions {
  http: Http;
  timeoutMs?: number;
  userAgent?: string;
  log?: Logger;
}

/** Status codes and codes of the OAuth API that mean "the data was refused" (spec: 60, 70–110, 150, 170). */
const VALIDATION_STATUSES = new Set([400, 422]);

export class OAuthClient {
  private readonly opts: OAuthClientOptions;

  constructor(options: OAuthClientOptions) {
    this.opts = options;
  }

  /** `POST /tokens`: a new token with these scopes. 422 codes 70/80/90 come back as ValidationFailedError. */
  async createToken(access: OAuthAccess, request: NewToken): Promise<OAuthToken> {
    const body: Record<string, unknown> = { scopes: request.scopes };
    if (request.name) body.name = request.name;
    if (request.ttl !== undefined) body.ttl = request.ttl;
    if (request.walletAmount !== undefined) body.limits = { walletAmount: request.walletAmount };
    const json = await this.call(access, 'POST', '/tokens', 'POST /tokens', body);
    return toToken(parse(tokenAnswerSchema, json, 'POST /tokens'));
  }

  /** `GET /tokens/{token}`: what the token holds and until when. */
  async getToken(access: OAuthAccess, token: string): Promise<OAuthToken> {
    const json = await this.call(
      access,
      'GET',
      `/tokens/${encodeURIComponent(token)}`,
      'GET /tokens/{token}',
    );
    return toToken(parse(tokenAnswerSchema, json, 'GET /tokens/{token}'));
  }

  async deleteToken(access: OAuthAccess, token: string): Promise<void> {
    await this.call(access, 'DELETE', `/tokens/${encodeURIComponent(token)}`, 'DELETE /tokens/{token}');
  }

  /** `GET /scopes`: the scopes the account may put in a token (`enabled` false: API not active). */
  async scopes(access: OAuthAccess): Promise<{ scope: string; enabled: boolean }[]> {
    const json = await this.call(access, 'GET', '/scopes', 'GET /scopes');
    return parse(scopesAnswerSchema, json, 'GET /scopes').data.map((s) => ({
      scope: s.scope,
      enabled: s.enabled !== false,
    }));
  }

  /** `GET /wallet`: the credit left, in euro. */
  async credit(access: OAuthAccess): Promise<number> {
    const json = await this.call(access, 'GET', '/wallet', 'GET /wallet');
    const parsed = walletAnswerSchema.safeParse(json);
    if (!parsed.success)
      throw new BadResponseError('GET /wallet: risposta senza data.credit', { status: 200 });
    return parsed.data.data.credit;
  }

  /** One page of `GET /wallet/transactions`, newest first as the API lists them; `limit` at most 100. */
  async transactions(
    access: OAuthAccess,
    page: { skip?: number; limit?: number } = {},
  ): Promise<WalletTransaction[]> {
    const skip = Math.max(0, Math.floor(page.skip ?? 0));
    const limit = Math.min(100, Math.max(1, Math.floor(page.limit ?? 100)));
    const where = 'GET /wallet/transactions';
    const json = await this.call(access, 'GET', `/wallet/transactions?skip=${skip}&limit=${limit}`, where);
    const answer = parse(transactionsAnswerSchema, json, where);
    const out: WalletTransaction[] = [];
    let skipped = 0;
    for (const raw of answer.data ?? []) {
      const entry = transactionSchema.safeParse(raw);
      if (entry.success && entry.data.createdAt !== null) {
        out.push({
          id: entry.data.id,
          amount: entry.data.amount,
          createdAt: entry.data.createdAt,
          description: entry.data.description ?? '',
        });
      } else skipped += 1;
    }
    if (skipped) this.opts.log?.warn('oauth: unreadable wallet transactions left out', { skipped });
    return out;
  }

  /**
   * Every transaction newer than `since` (ms), page after page, newest first. Stops at the first
   * older one, at a short page, or after `maxPages` (then `complete` is false).
   */
  async transactionsSince(
    access: OAuthAccess,
    since: number,
    maxPages = 50,
  ): Promise<{ transactions: WalletTransaction[]; complete: boolean }> {
    const all: WalletTransaction[] = [];
    for (let page = 0; page < maxPages; page += 1) {
      const batch = await this.transactions(access, { skip: page * 100, limit: 100 });
      const recent = batch.filter((t) => t.createdAt >= since);
      all.push(...recent);
      // The order of the list is not documented (the example is newest first): a page wholly
      // older than `since` ends the reading only if the list is newest first, so only a short page
      // (the last) or a page with nothing recent — after one with something — stops it.
      if (batch.length < 100) return { transactions: all, complete: true };
      if (recent.length === 0 && all.length > 0) return { transactions: all, complete: true };
    }
    return { transactions: all, complete: false };
  }

  /**
   * One exchange. `label` is what the log and errors say: the path without the token in it.
   * Returns the parsed JSON (null for an empty body).
   */
  private async call(
    access: OAuthAccess,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    label: string,
    body?: unknown,
  ): Promise<unknown> {
    const url = `${access.baseUrl.replace(/\/+$/, '')}${path}`;
    const timeoutMs = this.opts.timeoutMs ?? 15_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const started = Date.now();
    let status: number;
    let text: string;
    try {
      const basic = Buffer.from(`${access.email}:${access.apiKey}`, 'utf8').toString('base64');
      const headers: Record<string, string> = {
        Authorization: `Basic ${basic}`,
        Accept: 'application/json',
        'User-Agent': this.opts.userAgent ?? 'Sportello',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await this.opts.http(url, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: controller.signal,
        // A redirect would carry the account's email and API key elsewhere: the API never redirects.
        redirect: 'error',
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      // A token made by a POST whose answer was lost is harmless (it costs nothing and expires):
      // no failure here is "ambiguous" the way a lost Visengine POST is.
      if (controller.signal.aborted)
        throw new TimeoutError(`${label}: nessuna risposta entro ${Math.round(timeoutMs / 1000)} s`, {
          cause: error,
        });
      throw new NetworkError(`${label}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    this.opts.log?.info('oauth', { method, path: label, status, ms: Date.now() - started });
    let json: unknown = null;
    let readable = true;
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch {
        readable = false;
      }
    }
    if (status >= 200 && status < 300) {
      if (!readable)
        throw new BadResponseError(`${label}: risposta non JSON (${text.length} byte)`, { status });
      return json;
    }
    throw errorFor(label, status, json);
  }
}

function errorFor(label: string, status: number, json: unknown): EngineError {
  const envelope = z
    .object({ error: z.union([z.number(), z.string()]).nullish(), message: z.string().nullish() })
    .safeParse(json);
  const code = envelope.success ? Number(envelope.data.error) : Number.NaN;
  const message = `${label}: ${(envelope.success && envelope.data.message) || `HTTP ${status}`}`;
  const init: EngineErrorInit = { status, ...(Number.isInteger(code) ? { apiCode: code } : {}) };
  if (status === 401 || status === 403) return new UnauthorizedError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (VALIDATION_STATUSES.has(status)) return new ValidationFailedError(message, init);
  if (status >= 500) return new ServerError(message, init);
  return new BadResponseError(message, init);
}

function parse<S extends z.ZodType>(schema: S, json: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new BadResponseError(`${label}: risposta inattesa`, { status: 200 });
}

function toToken(detail: z.output<typeof tokenDetailSchema>): OAuthToken {
  return {
    token: detail.token,
    name: detail.name ?? null,
    scopes: detail.scopes ?? [],
    createdAt: detail.createdAt,
    expireAt: detail.expireAt,
    limits: detail.limits,
    stats: detail.stats,
  };
}
