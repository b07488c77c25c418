import type { Environment } from '../../common/environments.ts';
import type { Statements } from './statements.ts';

/** A charge of the account as the audit judged it (`wallet_transactions`). */
export interface WalletVerdict {
  id: string;
  amount: number;
  at: number;
  description: string;
  remoteId: string | null;
  verdict: string;
}

/** An unexplained charge nobody has checked yet, with the local request it may belong to. */
export interface OpenCharge {
  id: string;
  amount: number;
  at: number;
  verdict: 'unmatched' | 'doubled' | 'orphan';
  remoteId: string | null;
  requestId: string | null;
}

/** The account's charges as the charge audit matched them to the ledger of remote requests. */
export class WalletRecords {
  private readonly s: Statements;

  constructor(s: Statements) {
    this.s = s;
  }

  /** Unexplained charges not yet checked, newest first (at most 50). */
  open(environment: Environment): OpenCharge[] {
    return (
      this.s
        .prepare(
          `SELECT t.id, t.amount, t.at, t.verdict, t.remote_id, r.request_id
             FROM wallet_transactions t
             LEFT JOIN remote_requests r ON r.environment = t.environment AND r.remote_id = t.remote_id
            WHERE t.environment = ? AND t.verdict IN ('unmatched', 'doubled', 'orphan') AND t.checked_at IS NULL
            ORDER BY t.at DESC LIMIT 50`,
        )
        .all(environment) as {
        id: string;
        amount: number;
        at: number;
        verdict: OpenCharge['verdict'];
        remote_id: string | null;
        request_id: string | null;
      }[]
    ).map((t) => ({
      id: t.id,
      amount: t.amount,
      at: t.at,
      verdict: t.verdict,
      remoteId: t.remote_id,
      requestId: t.request_id,
    }));
  }

  /** Someone checked a charge: true when it was open. */
  check(environment: Environment, transactionId: string, at: number, operator: string): boolean {
    return (
      this.s
        .prepare(
          'UPDATE wallet_transactions SET checked_at = ?, checked_by = ? WHERE environment = ? AND id = ? AND checked_at IS NULL',
        )
        .run(at, operator, environment, transactionId).changes === 1
    );
  }

  /** Records the audit's verdicts (a charge seen again keeps its check, takes the new verdict). */
  record(environment: Environment, verdicts: readonly WalletVerdict[], seenAt: number): void {
    const upsert = this.s.prepare(
      `INSERT INTO wallet_transactions (environment, id, amount, at, description, remote_id, verdict, seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (environment, id) DO UPDATE SET remote_id = excluded.remote_id, verdict = excluded.verdict`,
    );
    this.s.transaction(() => {
      for (const v of verdicts)
        upsert.run(environment, v.id, v.amount, v.at, v.description, v.remoteId, v.verdict, seenAt);
    });
  }
}
