import type { Environment } from '../../../common/environments.ts';
import {
  ACCOUNT_COLUMNS,
  decodeAccountRequest,
  NOT_IN_LEDGER,
  type AccountRequest,
  type AccountResolution,
  type AccountSighting,
} from '../account.ts';
import type { AccountPort } from '../port.ts';
import type { PgSql } from './sql.ts';

/** The account's remote requests that no request owns (account.ts) on the office's register. */
export class PgAccount implements AccountPort {
  private readonly sql: PgSql;
  private readonly now: () => number;

  constructor(sql: PgSql, now: () => number) {
    this.sql = sql;
    this.now = now;
  }

  /**
   * Records what the list shows (account.ts). One upsert for all, in id order, so that two counters
   * reading the list at once neither fail nor deadlock; an id listed twice is taken once.
   */
  async see(environment: Environment, sightings: readonly AccountSighting[]): Promise<void> {
    const byId = new Map(sightings.map((s) => [s.remoteId, s]));
    if (!byId.size) return;
    const rows = [...byId.values()].sort((a, b) => (a.remoteId < b.remoteId ? -1 : 1));
    await this.sql.run(
      `INSERT INTO account_requests (environment, remote_id, service_hash, price, created_at, transaction_state,
                                     stato, first_seen_at, last_seen_at, updated_at)
       SELECT $1, v.remote_id, v.service_hash, v.price, v.created_at, v.transaction_state, v.stato, $2, $2, $2
         FROM unnest($3::text[], $4::text[], $5::float8[], $6::bigint[], $7::text[], $8::text[])
              WITH ORDINALITY AS v (remote_id, service_hash, price, created_at, transaction_state, stato, n)
        ORDER BY v.n
       ON CONFLICT (environment, remote_id) DO UPDATE SET
         price = coalesce(excluded.price, account_requests.price),
         created_at = coalesce(excluded.created_at, account_requests.created_at),
         transaction_state = excluded.transaction_state,
         stato = excluded.stato,
         last_seen_at = excluded.last_seen_at,
         updated_at = excluded.updated_at`,
      [
        environment,
        this.now(),
        rows.map((r) => r.remoteId),
        rows.map((r) => r.serviceHash),
        rows.map((r) => r.price),
        rows.map((r) => r.createdAt),
        rows.map((r) => r.transaction),
        rows.map((r) => r.stato),
      ],
    );
  }

  async get(environment: Environment, remoteId: string): Promise<AccountRequest | null> {
    const raw = await this.sql.row(
      `SELECT ${ACCOUNT_COLUMNS} FROM account_requests WHERE environment = $1 AND remote_id = $2`,
      [environment, remoteId],
    );
    return raw ? decodeAccountRequest(raw) : null;
  }

  async unresolved(environment: Environment, limit: number): Promise<AccountRequest[]> {
    return (
      await this.sql.rows(
        `SELECT ${ACCOUNT_COLUMNS} FROM account_requests
          WHERE environment = $1 AND resolution IS NULL AND ${NOT_IN_LEDGER}
          ORDER BY coalesce(created_at, first_seen_at) DESC, remote_id DESC LIMIT $2`,
        [environment, limit],
      )
    ).map(decodeAccountRequest);
  }

  async unresolvedCount(environment: Environment): Promise<number> {
    const row = await this.sql.row<{ n: string }>(
      `SELECT count(*) AS n FROM account_requests WHERE environment = $1 AND resolution IS NULL AND ${NOT_IN_LEDGER}`,
      [environment],
    );
    return Number(row?.n ?? 0);
  }

  /** Records the clerk's decision once: two counters deciding at once, one of them wins. */
  async resolve(
    environment: Environment,
    remoteId: string,
    resolution: AccountResolution,
    operator: string,
    requestId: string | null = null,
  ): Promise<boolean> {
    const now = this.now();
    return (
      (await this.sql.run(
        `UPDATE account_requests SET resolution = $1, request_id = $2, resolved_at = $3, resolved_by = $4, updated_at = $3
          WHERE environment = $5 AND remote_id = $6 AND resolution IS NULL`,
        [resolution, requestId, now, operator, environment, remoteId],
      )) === 1
    );
  }

  async chargeable(environment: Environment, from: number, to: number): Promise<AccountRequest[]> {
    return (
      await this.sql.rows(
        `SELECT ${ACCOUNT_COLUMNS} FROM account_requests
          WHERE environment = $1 AND coalesce(resolution, '') <> 'linked' AND ${NOT_IN_LEDGER}
            AND coalesce(created_at, first_seen_at) <= $2 AND last_seen_at >= $3`,
        [environment, to, from],
      )
    ).map(decodeAccountRequest);
  }
}
