import { z } from 'zod';
import { MB, readCappedText } from '../net/capped.ts';
import type { Environment } from '../../common/environments.ts';
import type { Credit } from '../../common/settings.ts';
import type { Http, Logger } from '../ports.ts';
import type { Engine } from './engine.ts';
import {
  BadResponseError,
  type EngineError,
  InsufficientCreditError,
  NetworkError,
  NotFoundError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from './errors.ts';

/**
 * The Openapi wallet (OAuth API v2, oauthv2.openapi.json): `GET /wallet` → `{data:{credit}}`, with
 * Basic auth (account email, API key). Optional: it only feeds the "Credito Openapi" badge, so a
 * failure here is logged and never reaches the clerk as an error.
 */
export const WALLET_BASE_URLS: Record<Exclude<Environment, 'prova'>, string> = {
  // The OAuth API's own "Sandbox" server, which knows the sandbox key (oauthv2.openapi.json servers).
  sandbox: 'https://test.oauth.openapi.com',
  produzione: 'https://oauth.openapi.com',
};

/** Where and as whom to read the wallet. */
export interface WalletAccess {
  baseUrl: string;
  email: string;
  key: string;
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
/** Lenient: only `data.credit` matters; the envelope's other members may be there or not. */
export const walletAnswerSchema = z.object({ data: z.object({ credit: amountSchema }) });

export interface WalletClientOptions {
  http: Http;
  timeoutMs?: number;
  userAgent?: string;
  log?: Logger;
}

/** The wallet's answer is a few hundred bytes. */
const MAX_WALLET_BYTES = MB;

/** Reads the credit; throws the engine's typed errors (unauthorized, network, timeout, …). */
export class WalletClient {
  private readonly opts: WalletClientOptions;

  constructor(options: WalletClientOptions) {
    this.opts = options;
  }

  async credit(access: WalletAccess): Promise<number> {
    const url = `${access.baseUrl.replace(/\/+$/, '')}/wallet`;
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    const where = 'GET /wallet';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const started = Date.now();
    let status: number;
    let text: string;
    try {
      const basic = Buffer.from(`${access.email}:${access.key}`, 'utf8').toString('base64');
      const response = await this.opts.http(url, {
        method: 'GET',
        headers: {
          Authorization: `Basic ${basic}`,
          Accept: 'application/json',
          'User-Agent': this.opts.userAgent ?? 'Sportello',
        },
        body: null,
        signal: controller.signal,
        // The Basic credentials must not follow a redirect anywhere.
        redirect: 'error',
      });
      status = response.status;
      text = await readCappedText(response, MAX_WALLET_BYTES);
    } catch (error) {
      if (controller.signal.aborted)
        throw new TimeoutError(`${where}: nessuna risposta entro ${Math.round(timeoutMs / 1000)} s`, {
          cause: error,
        });
      throw new NetworkError(`${where}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    this.opts.log?.info('wallet', { status, ms: Date.now() - started });
    if (status === 401 || status === 403) throw new UnauthorizedError(`${where}: HTTP ${status}`, { status });
    if (status === 404) throw new NotFoundError(`${where}: HTTP ${status}`, { status });
    if (status >= 500) throw new ServerError(`${where}: HTTP ${status}`, { status });
    if (status < 200 || status >= 300) throw new BadResponseError(`${where}: HTTP ${status}`, { status });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new BadResponseError(`${where}: risposta non JSON (${text.length} byte)`, {
        status,
        cause: error,
      });
    }
    const parsed = walletAnswerSchema.safeParse(json);
    if (!parsed.success) throw new BadResponseError(`${where}: risposta senza data.credit`, { status });
    return parsed.data.data.credit;
  }
}

const UNKNOWN: Credit = { credit: null, source: null, at: null };
/** Engine calls that may charge the wallet: after one succeeds the wallet's answer is stale. */
const CHARGING = new Set<string>(['createRequest', 'updateRequest', 'addSearch', 'chooseSearchResult']);

export interface CreditBookOptions {
  client: WalletClient;
  /** How to reach the environment's wallet; null when it cannot be asked (no email or key). */
  access: (environment: Environment) => Promise<WalletAccess | null>;
  now: () => number;
  log: Logger;
  /** How long a wallet answer (or failure) stands before the wallet is asked again. */
  ttlMs?: number;
}

interface Entry {
  known: Credit;
  /** When the wallet was last asked (answer or failure); null: ask at the next read. */
  askedAt: number | null;
  inflight: Promise<Credit> | null;
  /** Bumped by every new fact (a charge, a balance): an answer asked before it does not stand. */
  generation: number;
}

/**
 * The last known credit per environment: the wallet's answer (cached for `ttlMs`), or the balance an
 * "Insufficient Credit in Wallet: N" answer gave, whichever is newer. Reads never throw.
 */
export class CreditBook {
  private readonly opts: CreditBookOptions;
  private readonly entries = new Map<Environment, Entry>();
  private readonly observed = new WeakMap<Engine, Map<Environment, Engine>>();

  constructor(options: CreditBookOptions) {
    this.opts = options;
  }

  async get(environment: Environment): Promise<Credit> {
    const entry = this.entry(environment);
    const ttl = this.opts.ttlMs ?? 60_000;
    if (entry.askedAt !== null && this.opts.now() - entry.askedAt < ttl) return entry.known;
    entry.inflight ??= this.ask(environment, entry).finally(() => {
      entry.inflight = null;
    });
    return entry.inflight;
  }

  /** A balance read from an `insufficient_credit` answer. */
  noteBalance(environment: Environment, balance: number): void {
    const entry = this.entry(environment);
    entry.known = { credit: balance, source: 'error', at: this.opts.now() };
    entry.askedAt = null;
    entry.generation += 1;
  }

  /** The credit may have moved (a charge): ask the wallet at the next read. */
  stale(environment: Environment): void {
    const entry = this.entry(environment);
    entry.askedAt = null;
    entry.generation += 1;
  }

  /** The account or its key changed: what was known may be another account's. */
  forget(environment?: Environment): void {
    if (environment) this.entries.delete(environment);
    else this.entries.clear();
  }

  /** The engine, reporting charges and "insufficient credit" balances to this book. */
  observe(environment: Environment, engine: Engine): Engine {
    let byEnv = this.observed.get(engine);
    if (!byEnv) {
      byEnv = new Map();
      this.observed.set(engine, byEnv);
    }
    const known = byEnv.get(environment);
    if (known) return known;
    const proxy = new Proxy(engine, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const name = String(property);
        return (...args: unknown[]): unknown => {
          const result: unknown = Reflect.apply(value, target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (answer: unknown) => {
              if (CHARGING.has(name)) this.stale(environment);
              return answer;
            },
            (error: unknown) => {
              if (error instanceof InsufficientCreditError && error.balance !== null)
                this.noteBalance(environment, error.balance);
              throw error;
            },
          );
        };
      },
    });
    byEnv.set(environment, proxy);
    return proxy;
  }

  private entry(environment: Environment): Entry {
    let entry = this.entries.get(environment);
    if (!entry) {
      entry = { known: UNKNOWN, askedAt: null, inflight: null, generation: 0 };
      this.entries.set(environment, entry);
    }
    return entry;
  }

  private async ask(environment: Environment, entry: Entry): Promise<Credit> {
    const { log, now } = this.opts;
    const generation = entry.generation;
    try {
      const access = await this.opts.access(environment);
      if (access) {
        const credit = await this.opts.client.credit(access);
        // A balance learnt meanwhile is newer than this answer.
        if (entry.generation === generation || entry.known.source !== 'error')
          entry.known = { credit, source: 'wallet', at: now() };
      }
    } catch (error) {
      const code = (error as Partial<EngineError>).code ?? 'internal';
      log.warn('wallet credit unavailable', { environment, code, error: String(error) });
      // Wrong email or key: the wallet's old answer may be another account's. An error's balance stays.
      if (error instanceof UnauthorizedError && entry.known.source === 'wallet') entry.known = UNKNOWN;
    }
    if (entry.generation === generation) entry.askedAt = now();
    return entry.known;
  }
}
