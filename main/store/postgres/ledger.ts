import type { Environment } from '../../../common/environments.ts';
import {
  decodeRemoteEntry,
  medianOf,
  type RemoteEntry,
  type RemoteFate,
  type RemoteLedger,
} from '../ledger.ts';
import type { LedgerPort } from '../port.ts';
import type { PgSql } from './sql.ts';

/** The ledger of remote requests (ledger.ts) on the office's register. */
export class PgLedger implements LedgerPort {
  private readonly sql: PgSql;
  private readonly now: () => number;

  constructor(sql: PgSql, now: () => number) {
    this.sql = sql;
    this.now = now;
  }

  /**
   * Records a remote request (or updates what is known of it); the first origin and owner stay.
   * One upsert: two counters noting the same request at once leave one row.
   */
  async note(entry: Parameters<RemoteLedger['note']>[0]): Promise<void> {
    const now = this.now();
    await this.sql.run(
      `INSERT INTO remote_requests (environment, remote_id, request_id, origin, fate, options_json, price,
                                    created_at, noted_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (environment, remote_id) DO UPDATE SET
         fate = excluded.fate,
         price = coalesce(excluded.price, remote_requests.price),
         created_at = coalesce(excluded.created_at, remote_requests.created_at),
         updated_at = excluded.updated_at`,
      [
        entry.environment,
        entry.remoteId,
        entry.requestId,
        entry.origin,
        entry.fate,
        JSON.stringify(entry.options ?? []),
        entry.price ?? null,
        entry.createdAt ?? null,
        now,
      ],
    );
  }

  /** Moves a known remote request to a new fate (closed also stamps when). */
  async setFate(
    environment: Environment,
    remoteId: string,
    fate: RemoteFate,
    patch: { price?: number } = {},
  ): Promise<void> {
    await this.sql.run(
      `UPDATE remote_requests SET fate = $1::text, updated_at = $2, price = coalesce($3, price),
         closed_at = CASE WHEN $1::text = 'closed' THEN coalesce(closed_at, $2) ELSE closed_at END
       WHERE environment = $4 AND remote_id = $5`,
      [fate, this.now(), patch.price ?? null, environment, remoteId],
    );
  }

  async noteDeleteError(environment: Environment, remoteId: string, reason: string): Promise<void> {
    await this.sql.run(
      'UPDATE remote_requests SET delete_error = $1, updated_at = $2 WHERE environment = $3 AND remote_id = $4',
      [reason, this.now(), environment, remoteId],
    );
  }

  async get(environment: Environment, remoteId: string): Promise<RemoteEntry | null> {
    const raw = await this.sql.row(
      'SELECT * FROM remote_requests WHERE environment = $1 AND remote_id = $2',
      [environment, remoteId],
    );
    return raw ? decodeRemoteEntry(raw) : null;
  }

  /** True when this PC knows the remote request: it is never taken for the result of another POST. */
  async knows(environment: Environment, remoteId: string): Promise<boolean> {
    return (
      (await this.sql.row('SELECT 1 FROM remote_requests WHERE environment = $1 AND remote_id = $2', [
        environment,
        remoteId,
      ])) !== null
    );
  }

  /** Which of `remoteIds` this PC knows (one question for a whole list: an array parameter). */
  async known(environment: Environment, remoteIds: readonly string[]): Promise<Set<string>> {
    if (!remoteIds.length) return new Set();
    const rows = await this.sql.rows<{ remote_id: string }>(
      'SELECT remote_id FROM remote_requests WHERE environment = $1 AND remote_id = ANY($2::text[])',
      [environment, remoteIds],
    );
    return new Set(rows.map((r) => r.remote_id));
  }

  /** Ties on noted_at by remote id (SQLite's by insertion: PostgreSQL has no such order). */
  async forRequest(requestId: string): Promise<RemoteEntry[]> {
    return (
      await this.sql.rows(
        'SELECT * FROM remote_requests WHERE request_id = $1 ORDER BY noted_at, remote_id',
        [requestId],
      )
    ).map(decodeRemoteEntry);
  }

  /**
   * How far the service's clock is ahead of this PC's (ms), from the requests this PC created:
   * their `timestamp_creation` against when their answer arrived here (the median of the last
   * ones, so one slow answer does not move it). Null when no request was created here yet.
   */
  async clockOffset(environment: Environment): Promise<number | null> {
    const offsets = (
      await this.sql.rows<{ ahead: number }>(
        `SELECT created_at - noted_at AS ahead FROM remote_requests
          WHERE environment = $1 AND origin = 'created' AND created_at IS NOT NULL
          ORDER BY noted_at DESC LIMIT 15`,
        [environment],
      )
    ).map((r) => r.ahead);
    return medianOf(offsets);
  }

  /** Open requests of ours nobody wants any more: to close out with DELETE, or to show. */
  async abandoned(): Promise<RemoteEntry[]> {
    return (
      await this.sql.rows(
        "SELECT * FROM remote_requests WHERE fate = 'abandoned' ORDER BY noted_at, remote_id",
      )
    ).map(decodeRemoteEntry);
  }

  /** The remote requests that may carry a charge, in a time range (ms): what charges are matched to. */
  async chargeable(environment: Environment, from: number, to: number): Promise<RemoteEntry[]> {
    return (
      await this.sql.rows(
        `SELECT * FROM remote_requests WHERE environment = $1 AND origin <> 'disowned'
           AND coalesce(created_at, noted_at) <= $2 AND coalesce(closed_at, updated_at) >= $3`,
        [environment, to, from],
      )
    ).map(decodeRemoteEntry);
  }
}
