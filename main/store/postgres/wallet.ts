import type { Environment } from '../../../common/environments.ts';
import type { WalletPort } from '../port.ts';
import type { OpenCharge, WalletVerdict } from '../wallet.ts';
import type { PgSql } from './sql.ts';

/** The account's charges (wallet.ts) on the office's register. */
export class PgWallet implements WalletPort {
  private readonly sql: PgSql;

  constructor(sql: PgSql) {
    this.sql = sql;
  }

  /** Unexplained charges not yet checked, newest first (at most 50; ties by id, newest first). */
  async open(environment: Environment): Promise<OpenCharge[]> {
    return (
      await this.sql.rows<{
        id: string;
        amount: number;
        at: number;
        verdict: OpenCharge['verdict'];
        remote_id: string | null;
        request_id: string | null;
      }>(
        `SELECT t.id, t.amount, t.at, t.verdict, t.remote_id, r.request_id
           FROM wallet_transactions t
           LEFT JOIN remote_requests r ON r.environment = t.environment AND r.remote_id = t.remote_id
          WHERE t.environment = $1 AND t.verdict IN ('unmatched', 'doubled', 'orphan') AND t.checked_at IS NULL
          ORDER BY t.at DESC, t.id DESC LIMIT 50`,
        [environment],
      )
    ).map((t) => ({
      id: t.id,
      amount: t.amount,
      at: t.at,
      verdict: t.verdict,
      remoteId: t.remote_id,
      requestId: t.request_id,
    }));
  }

  /** Someone checked a charge: true when it was open (two at once: one of them). */
  async check(
    environment: Environment,
    transactionId: string,
    at: number,
    operator: string,
  ): Promise<boolean> {
    return (
      (await this.sql.run(
        'UPDATE wallet_transactions SET checked_at = $1, checked_by = $2 WHERE environment = $3 AND id = $4 AND checked_at IS NULL',
        [at, operator, environment, transactionId],
      )) === 1
    );
  }

  /**
   * Records the audit's verdicts (a charge seen again keeps its check, takes the new verdict). One
   * upsert for all, in id order, so that two counters auditing at once neither fail nor deadlock;
   * a charge listed twice is merged first (PostgreSQL will not update a row twice in a statement),
   * as SQLite's row-by-row upserts leave it: the first one's figures, the last one's verdict.
   */
  async record(environment: Environment, verdicts: readonly WalletVerdict[], seenAt: number): Promise<void> {
    const byId = new Map<string, WalletVerdict>();
    for (const v of verdicts) {
      const first = byId.get(v.id);
      byId.set(v.id, first ? { ...first, remoteId: v.remoteId, verdict: v.verdict } : v);
    }
    if (!byId.size) return;
    const rows = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    await this.sql.run(
      `INSERT INTO wallet_transactions (environment, id, amount, at, description, remote_id, verdict, seen_at)
       SELECT $1, v.id, v.amount, v.at, v.description, v.remote_id, v.verdict, $2
         FROM unnest($3::text[], $4::float8[], $5::bigint[], $6::text[], $7::text[], $8::text[])
              WITH ORDINALITY AS v (id, amount, at, description, remote_id, verdict, n)
        ORDER BY v.n
       ON CONFLICT (environment, id) DO UPDATE SET remote_id = excluded.remote_id, verdict = excluded.verdict`,
      [
        environment,
        seenAt,
        rows.map((v) => v.id),
        rows.map((v) => v.amount),
        rows.map((v) => v.at),
        rows.map((v) => v.description),
        rows.map((v) => v.remoteId),
        rows.map((v) => v.verdict),
      ],
    );
  }
}
