import type { Environment } from '../../common/environments.ts';
import type { Credit } from '../../common/settings.ts';
import type { Logger } from '../ports.ts';
import type { Engine } from './engine.ts';
import { type EngineError, InsufficientCreditError, UnauthorizedError } from './errors.ts';
import type { OAuthAccess } from './oauth.ts';

const UNKNOWN: Credit = { credit: null, source: null, at: null };
/** Engine calls that may charge the wallet: after one succeeds the wallet's answer is stale. */
const CHARGING = new Set<string>(['open', 'close', 'chooseResult'] satisfies (keyof Engine)[]);

export interface CreditBookOptions {
  /** Reads the credit (OAuthClient.credit); throws the engine's typed errors. */
  client: { credit(access: OAuthAccess): Promise<number> };
  /** How to reach the environment's wallet; null when it cannot be asked (a ready token only). */
  access: (environment: Environment) => Promise<OAuthAccess | null>;
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
 * "Insufficient Credit in Wallet: N" answer gave, whichever is newer. Reads never throw. The wallet
 * is the OAuth API's (`GET /wallet`, Basic auth with the account email and API key, see oauth.ts):
 * it only feeds the "Credito Openapi" badge, so a failure is logged, never shown as an error.
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
