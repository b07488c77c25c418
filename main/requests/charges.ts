import type { Environment } from '../../common/environments.ts';
import { samePrice, withIva } from '../../common/money.ts';
import type { AccountIssue } from '../../common/requests.ts';
import type { WalletTransaction } from '../engine/oauth.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { RemoteEntry } from '../store/ledger.ts';
import type { OpenCharge } from '../store/wallet.ts';
import type { Register } from '../store/port.ts';

/*
 * "Never twice", made visible to the office: every Visengine charge on the Openapi account
 * (`GET /wallet/transactions`, OAuth API) is matched to exactly one remote request of the ledger.
 * A transaction carries no request id (only amount, time and "API usage - <host>"), so a charge
 * matches a request of the same amount — net, or with IVA: the spec does not say which the wallet
 * takes — taken between the request's creation and its close (the charge may come at either,
 * VISENGINE.md), give or take the clock skew. A search service may be charged in two parts (the
 * search, then the service) that add up to its price. What is left is shown on Home: a charge
 * that matches nothing ("unmatched"), or one more than a request could have cost ("doubled").
 * A charge matched only to a remote request of the account that no request owns (account.ts:
 * left by a reset, made by another program or in the console) is not explained: it is shown
 * ("orphan"), until the clerk links that request to one of the log (then "matched") or says it is
 * not the office's ("foreign").
 */

export type Verdict = 'matched' | 'unmatched' | 'doubled' | 'not_visengine' | 'orphan' | 'foreign';

/** What a charge may be matched to: a remote request of the ledger, or one of the account no request owns. */
export interface ChargeEntry extends Pick<
  RemoteEntry,
  'remoteId' | 'price' | 'createdAt' | 'closedAt' | 'notedAt' | 'updatedAt'
> {
  /** Owned by no request: still to be decided (`orphan`), or not the office's by the clerk's word (`foreign`). */
  orphan?: 'orphan' | 'foreign';
}

export interface Match {
  transactionId: string;
  remoteId: string | null;
  verdict: Verdict;
}

/** How far a charge may lie outside a request's creation–close interval (clock skew, processing). */
export const CHARGE_WINDOW_MS = 15 * 60_000;
/** How far back the account's transactions are read and matched. */
export const AUDIT_DAYS = 62;

/**
 * A Visengine charge: money out, described as usage of the environment's Visengine host ("API usage
 * - visengine2.altravia.com", as the spec's example for another API reads), or naming Visengine.
 */
function isVisengineCharge(t: WalletTransaction, host: string): boolean {
  const text = t.description.toLowerCase();
  return t.amount < 0 && (text.includes(host.toLowerCase()) || text.includes('visengine'));
}

/** Whether the wallet takes prices net of IVA or with it, as the probe saw; unknown: either. */
export type Amounts = 'net' | 'gross' | 'unknown';

function sameAmount(charge: number, price: number, amounts: Amounts): boolean {
  return (
    (amounts !== 'gross' && samePrice(charge, price)) ||
    (amounts !== 'net' && samePrice(charge, withIva(price).totale))
  );
}

function inWindow(t: WalletTransaction, e: ChargeEntry): boolean {
  const from = (e.createdAt ?? e.notedAt) - CHARGE_WINDOW_MS;
  const to = (e.closedAt ?? Math.max(e.updatedAt, e.notedAt)) + CHARGE_WINDOW_MS;
  return t.createdAt >= from && t.createdAt <= to;
}

function distance(t: WalletTransaction, e: ChargeEntry): number {
  const created = e.createdAt ?? e.notedAt;
  const closed = e.closedAt ?? created;
  return Math.min(Math.abs(t.createdAt - created), Math.abs(t.createdAt - closed));
}

/** Matches charges to remote requests (pure: the rule above). */
export function matchCharges(
  transactions: readonly WalletTransaction[],
  entries: readonly ChargeEntry[],
  /** The Visengine host the charges name. */
  host: string,
  amounts: Amounts = 'unknown',
): Match[] {
  const result = new Map<string, Match>();
  const used = new Map<string, number>(); // remoteId → euro matched so far
  const charges = transactions
    .filter((t) => {
      if (isVisengineCharge(t, host)) return true;
      result.set(t.id, { transactionId: t.id, remoteId: null, verdict: 'not_visengine' });
      return false;
    })
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const priced = entries.filter((e) => e.price !== null && e.price > 0);

  // 1. A charge of a request's whole price, nearest in time first.
  const left: WalletTransaction[] = [];
  for (const t of charges) {
    const charge = -t.amount;
    const best = priced
      .filter((e) => !used.has(e.remoteId) && inWindow(t, e) && sameAmount(charge, e.price!, amounts))
      .sort((a, b) => distance(t, a) - distance(t, b))[0];
    if (best) {
      used.set(best.remoteId, charge);
      result.set(t.id, { transactionId: t.id, remoteId: best.remoteId, verdict: best.orphan ?? 'matched' });
    } else left.push(t);
  }
  // 2. Two charges adding up to a request's price (a search, then the service).
  const rest: WalletTransaction[] = [];
  const paired = new Set<string>();
  for (const t of left) {
    if (paired.has(t.id)) continue;
    const partner = left.find(
      (u) =>
        u !== t &&
        !paired.has(u.id) &&
        priced.some(
          (e) =>
            !used.has(e.remoteId) &&
            inWindow(t, e) &&
            inWindow(u, e) &&
            sameAmount(-t.amount - u.amount, e.price!, amounts),
        ),
    );
    const entry =
      partner &&
      priced.find(
        (e) =>
          !used.has(e.remoteId) &&
          inWindow(t, e) &&
          inWindow(partner, e) &&
          sameAmount(-t.amount - partner.amount, e.price!, amounts),
      );
    if (partner && entry) {
      used.set(entry.remoteId, -t.amount - partner.amount);
      paired.add(t.id).add(partner.id);
      for (const x of [t, partner])
        result.set(x.id, {
          transactionId: x.id,
          remoteId: entry.remoteId,
          verdict: entry.orphan ?? 'matched',
        });
    } else rest.push(t);
  }
  // 3. What is left: a second charge for a request already paid, or a charge nothing explains.
  for (const t of rest) {
    const charge = -t.amount;
    const twin = priced
      .filter((e) => used.has(e.remoteId) && inWindow(t, e) && sameAmount(charge, e.price!, amounts))
      .sort((a, b) => distance(t, a) - distance(t, b))[0];
    result.set(t.id, {
      transactionId: t.id,
      remoteId: twin?.remoteId ?? null,
      verdict: twin ? (twin.orphan ?? 'doubled') : 'unmatched',
    });
  }
  return transactions.map((t) => result.get(t.id)!);
}

/** The verdicts Home shows until someone checks them. */
const SHOWN = new Set<Verdict>(['unmatched', 'doubled', 'orphan']);
const KIND_OF = {
  unmatched: 'unmatched_charge',
  doubled: 'doubled_charge',
  orphan: 'orphan_charge',
} as const satisfies Record<OpenCharge['verdict'], AccountIssue['kind']>;

/** Reads an environment's wallet transactions since a time (newest first or not: order is free). */
export type TransactionSource = (
  environment: Environment,
  since: number,
) => Promise<WalletTransaction[] | null>;

export interface ChargeAuditDeps {
  store: Register;
  /** Null when the environment's transactions cannot be read (no account email and API key). */
  transactions: TransactionSource;
  /** The environment's Visengine host, as charges name it. */
  visengineHost: (environment: Environment) => Promise<string>;
  /** Net or gross, as the probe saw the wallet take prices. */
  amounts: (environment: Environment) => Amounts;
  now: () => number;
  log: Logger;
}

/** Reads the account's charges, matches them to the ledger, keeps the verdicts for Home. */
export class ChargeAudit {
  private readonly d: ChargeAuditDeps;
  private running: Promise<void> | null = null;
  private readonly lastRun = new Map<Environment, number>();

  constructor(deps: ChargeAuditDeps) {
    this.d = deps;
  }

  /** Audits when the last audit of the environment is older than `maxAgeMs` (or never ran). */
  runIfStale(environment: Environment, maxAgeMs: number): Promise<void> {
    const last = this.lastRun.get(environment);
    if (last !== undefined && this.d.now() - last < maxAgeMs) return Promise.resolve();
    return this.run(environment);
  }

  /** One audit of an environment; concurrent calls share it. Never throws: failures are logged. */
  run(environment: Environment): Promise<void> {
    this.running ??= this.audit(environment)
      .catch((error: unknown) =>
        this.d.log.warn('charge audit failed', {
          environment,
          code: error instanceof AppError ? error.code : 'internal',
        }),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Unexplained charges not yet checked by someone: what Home shows under "Da controllare". */
  async issues(environment: Environment): Promise<AccountIssue[]> {
    return (await this.d.store.wallet.open(environment)).map((t) => ({
      kind: KIND_OF[t.verdict],
      id: t.id,
      environment,
      remoteId: t.remoteId,
      requestId: t.requestId,
      amount: Math.round(-t.amount * 100) / 100,
      at: t.at,
      detail: null,
      serviceName: null,
      stato: null,
      transaction: null,
    }));
  }

  /** Someone checked an anomaly (with the account's statement, Openapi…): it leaves Home. */
  async check(environment: Environment, transactionId: string, operator: string): Promise<boolean> {
    return await this.d.store.wallet.check(environment, transactionId, this.d.now(), operator);
  }

  private async audit(environment: Environment): Promise<void> {
    const now = this.d.now();
    this.lastRun.set(environment, now);
    const since = now - AUDIT_DAYS * 86_400_000;
    const transactions = await this.d.transactions(environment, since);
    if (!transactions) return;
    const recent = transactions.filter((t) => t.createdAt >= since);
    const from = since - CHARGE_WINDOW_MS;
    const to = now + CHARGE_WINDOW_MS;
    const entries: ChargeEntry[] = [
      ...(await this.d.store.ledger.chargeable(environment, from, to)),
      ...(await this.d.store.account.chargeable(environment, from, to)).map((a) => ({
        remoteId: a.remoteId,
        price: a.price,
        createdAt: a.createdAt,
        closedAt: null,
        notedAt: a.firstSeenAt,
        updatedAt: a.lastSeenAt,
        orphan: a.resolution === 'foreign' ? ('foreign' as const) : ('orphan' as const),
      })),
    ];
    const matches = matchCharges(
      recent,
      entries,
      await this.d.visengineHost(environment),
      this.d.amounts(environment),
    );
    const byId = new Map(recent.map((t) => [t.id, t]));
    await this.d.store.wallet.record(
      environment,
      matches.map((m) => {
        const t = byId.get(m.transactionId)!;
        return {
          id: t.id,
          amount: t.amount,
          at: t.createdAt,
          description: t.description.slice(0, 200),
          remoteId: m.remoteId,
          verdict: m.verdict,
        };
      }),
      now,
    );
    const open = matches.filter((m) => SHOWN.has(m.verdict)).length;
    this.d.log.info('charge audit', { environment, transactions: recent.length, anomalies: open });
  }
}
