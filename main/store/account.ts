import type { Environment } from '../../common/environments.ts';
import type { Statements } from './statements.ts';

/**
 * What the clerk decided about a remote request of the account that no local request owned:
 * linked to a request of the log, not the office's at all, or cancelled from Home.
 */
export type AccountResolution = 'linked' | 'foreign' | 'cancelled';

/** A remote request as the account's list showed it (nothing personal: the list has no data). */
export interface AccountSighting {
  remoteId: string;
  serviceHash: string;
  /** Its price as the list states it (euro, net of IVA); null when unsaid. */
  price: number | null;
  /** The service's creation time (ms, its clock); null when unsaid. */
  createdAt: number | null;
  /** The service's word on the transaction; null when the answer has no `state`. */
  transaction: 'open' | 'closed' | null;
  /** The service's own words for its phase ("In erogazione", …). */
  stato: string;
}

/** A remote request of the account that the ledger did not hold when the list was read. */
export interface AccountRequest extends AccountSighting {
  environment: Environment;
  firstSeenAt: number;
  lastSeenAt: number;
  resolution: AccountResolution | null;
  /** The request it was linked to. */
  requestId: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

/** The columns of a row, as both registers store them. */
export const ACCOUNT_COLUMNS = `environment, remote_id, service_hash, price, created_at, transaction_state, stato,
  first_seen_at, last_seen_at, resolution, request_id, resolved_at, resolved_by`;

/** Not owned by a request of the log: the ledger does not hold it (it may since have been adopted). */
export const NOT_IN_LEDGER = `NOT EXISTS (SELECT 1 FROM remote_requests r
  WHERE r.environment = account_requests.environment AND r.remote_id = account_requests.remote_id)`;

/**
 * The remote requests of the account that no local request owns (migration 010): recorded from the
 * account's list, shown on Home until the clerk decides, and matched to the account's charges.
 */
export class AccountRequests {
  private readonly s: Statements;
  private readonly now: () => number;

  constructor(s: Statements, now: () => number) {
    this.s = s;
    this.now = now;
  }

  /**
   * Records what the list shows of remote requests the ledger does not hold: new ones are added,
   * known ones take the list's latest word on their state; a decision taken stays.
   */
  see(environment: Environment, sightings: readonly AccountSighting[]): void {
    const now = this.now();
    const upsert = this.s.prepare(
      `INSERT INTO account_requests (environment, remote_id, service_hash, price, created_at, transaction_state,
                                     stato, first_seen_at, last_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (environment, remote_id) DO UPDATE SET
         price = coalesce(excluded.price, price),
         created_at = coalesce(excluded.created_at, created_at),
         transaction_state = excluded.transaction_state,
         stato = excluded.stato,
         last_seen_at = excluded.last_seen_at,
         updated_at = excluded.updated_at`,
    );
    this.s.transaction(() => {
      for (const r of sightings)
        upsert.run(
          environment,
          r.remoteId,
          r.serviceHash,
          r.price,
          r.createdAt,
          r.transaction,
          r.stato,
          now,
          now,
          now,
        );
    });
  }

  get(environment: Environment, remoteId: string): AccountRequest | null {
    const raw = this.s
      .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM account_requests WHERE environment = ? AND remote_id = ?`)
      .get(environment, remoteId) as Record<string, unknown> | undefined;
    return raw ? decodeAccountRequest(raw) : null;
  }

  /** Those awaiting the clerk's decision and still owned by no request, newest first (at most `limit`). */
  unresolved(environment: Environment, limit: number): AccountRequest[] {
    return (
      this.s
        .prepare(
          `SELECT ${ACCOUNT_COLUMNS} FROM account_requests
            WHERE environment = ? AND resolution IS NULL AND ${NOT_IN_LEDGER}
            ORDER BY coalesce(created_at, first_seen_at) DESC, remote_id DESC LIMIT ?`,
        )
        .all(environment, limit) as Record<string, unknown>[]
    ).map(decodeAccountRequest);
  }

  /** How many await the clerk's decision. */
  unresolvedCount(environment: Environment): number {
    return (
      this.s
        .prepare(
          `SELECT count(*) AS n FROM account_requests WHERE environment = ? AND resolution IS NULL AND ${NOT_IN_LEDGER}`,
        )
        .get(environment) as { n: number }
    ).n;
  }

  /** Records the clerk's decision, once: false when one was already taken (or the row is unknown). */
  resolve(
    environment: Environment,
    remoteId: string,
    resolution: AccountResolution,
    operator: string,
    requestId: string | null = null,
  ): boolean {
    const now = this.now();
    return (
      this.s
        .prepare(
          `UPDATE account_requests SET resolution = ?, request_id = ?, resolved_at = ?, resolved_by = ?, updated_at = ?
            WHERE environment = ? AND remote_id = ? AND resolution IS NULL`,
        )
        .run(resolution, requestId, now, operator, now, environment, remoteId).changes === 1
    );
  }

  /**
   * The ones a charge may belong to, created (or first seen) before `to` and last seen after `from`:
   * owned by no request (linked ones are in the ledger), whether the clerk decided or not.
   */
  chargeable(environment: Environment, from: number, to: number): AccountRequest[] {
    return (
      this.s
        .prepare(
          `SELECT ${ACCOUNT_COLUMNS} FROM account_requests
            WHERE environment = ? AND coalesce(resolution, '') <> 'linked' AND ${NOT_IN_LEDGER}
              AND coalesce(created_at, first_seen_at) <= ? AND last_seen_at >= ?`,
        )
        .all(environment, to, from) as Record<string, unknown>[]
    ).map(decodeAccountRequest);
  }
}

/** A row of `account_requests` (both registers store the same columns). */
export function decodeAccountRequest(raw: Record<string, unknown>): AccountRequest {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    environment: raw.environment as Environment,
    remoteId: raw.remote_id as string,
    serviceHash: raw.service_hash as string,
    price: num(raw.price),
    createdAt: num(raw.created_at),
    transaction: (raw.transaction_state as 'open' | 'closed' | null) ?? null,
    stato: raw.stato as string,
    firstSeenAt: Number(raw.first_seen_at),
    lastSeenAt: Number(raw.last_seen_at),
    resolution: (raw.resolution as AccountResolution | null) ?? null,
    requestId: (raw.request_id as string | null) ?? null,
    resolvedAt: num(raw.resolved_at),
    resolvedBy: (raw.resolved_by as string | null) ?? null,
  };
}
