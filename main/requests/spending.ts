import type { Spending } from '../../common/credentials.ts';
import type { Environment } from '../../common/environments.ts';
import { samePrice, withIva } from '../../common/money.ts';
import type { ServiceProfile } from '../../common/probe.ts';
import type { RemoteEnvironment } from '../engine/endpoints.ts';
import type { OAuthToken } from '../engine/oauth.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { Register } from '../store/port.ts';

export interface CounterSpendingDeps {
  store: Register;
  /** This counter's token as Openapi describes it, and since when the counter uses it; null: none to read. */
  token: (environment: RemoteEnvironment) => Promise<{ detail: OAuthToken; since: number | null } | null>;
  /** This counter's name, as its requests carry it. */
  counter: () => string;
  /** How the wallet takes a charge (the probe's profile): net of IVA, with it, or not known. */
  amounts: (environment: Environment) => ServiceProfile['transactionAmounts'];
  log: Logger;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * A counter's spending in its token's period: what Openapi counts for the token (`stats`) beside
 * what the counter's log says it was charged since it got the token. Every counter has its own
 * token (settings/credentials.ts), so what they say should agree; when they do not, Home says so.
 */
export class CounterSpending {
  private readonly d: CounterSpendingDeps;

  constructor(deps: CounterSpendingDeps) {
    this.d = deps;
  }

  async of(environment: Environment): Promise<Spending> {
    const counter = this.d.counter();
    const none: Spending = {
      environment,
      status: 'unavailable',
      counter,
      since: null,
      cap: null,
      token: null,
      log: { amount: 0, requests: 0 },
      error: null,
    };
    // Prova's built-in token has no stats; a ready token's cannot be read without the key.
    if (environment === 'prova') return none;
    let read: Awaited<ReturnType<CounterSpendingDeps['token']>>;
    try {
      read = await this.d.token(environment);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'internal';
      this.d.log.warn('token spending unreadable', { environment, code });
      return { ...none, status: 'error', error: code };
    }
    if (!read) return none;
    const { detail, since } = read;
    const cap = detail.limits?.walletAmount ?? null;
    const token = detail.stats
      ? { amount: detail.stats.walletAmount, requests: detail.stats.walletRequests }
      : null;
    if (since === null || token?.amount === null || token?.amount === undefined)
      return { ...none, since, cap, token };
    const spent = await this.d.store.requests.spentAt(environment, counter, since);
    const net = cents(spent.charged.reduce((sum, price) => sum + price, 0));
    const gross = cents(spent.charged.reduce((sum, price) => sum + withIva(price).totale, 0));
    const log = { amount: net, requests: spent.charged.length };
    const amounts = this.d.amounts(environment);
    const agree =
      (amounts !== 'gross' && samePrice(token.amount, net)) ||
      (amounts !== 'net' && samePrice(token.amount, gross));
    // A request being sent may be counted on one side only, for the moment: no verdict yet.
    const status = agree ? 'ok' : spent.sending > 0 ? 'sending' : 'mismatch';
    if (status === 'mismatch')
      this.d.log.warn('token spending differs from the log', {
        environment,
        token: token.amount,
        tokenRequests: token.requests,
        log: net,
        logRequests: log.requests,
      });
    return { ...none, status, since, cap, token, log };
  }
}
