import type { Migration } from '../migrate.ts';

/**
 * Every remote request on the account, owned (VISENGINE.md, "The account as the truth"). A request
 * on the Openapi account that no local request owns — left by a connection reset after the service
 * committed a POST, made by another program or in Openapi's console — may have cost money under
 * some reading of the spec, so it is shown to the clerk, never assumed away.
 *
 * - `account_requests`: each remote request the account's list showed that the ledger
 *   (`remote_requests`) did not hold, with what the list said of it (service, price, creation
 *   time, transaction, phase), and what the clerk decided: linked to a request of the log, not the
 *   office's ("foreign"), or cancelled from Home. Kept apart from the ledger on purpose: the ledger
 *   is what reconciliation treats as known, and an orphan must stay a candidate for the uncertain
 *   POST that may have created it. The PostgreSQL register has the same (its migration 8).
 * - `wallet_transactions.verdict` gains `orphan` (a charge matched only to such a request: shown)
 *   and `foreign` (matched to one the clerk said is not the office's: explained). SQLite cannot
 *   change a CHECK, so the table is rebuilt with its rows.
 */
export const migration010: Migration = {
  version: 10,
  name: 'account requests',
  up: `
    CREATE TABLE account_requests (
      environment   TEXT NOT NULL,
      remote_id     TEXT NOT NULL,
      service_hash  TEXT NOT NULL,
      price         REAL,
      created_at    INTEGER,
      transaction_state TEXT CHECK (transaction_state IN ('open', 'closed')),
      stato         TEXT NOT NULL,
      first_seen_at INTEGER NOT NULL,
      last_seen_at  INTEGER NOT NULL,
      resolution    TEXT CHECK (resolution IN ('linked', 'foreign', 'cancelled')),
      request_id    TEXT,
      resolved_at   INTEGER,
      resolved_by   TEXT,
      updated_at    INTEGER NOT NULL,
      PRIMARY KEY (environment, remote_id)
    );
    CREATE INDEX account_requests_unresolved ON account_requests (environment, created_at)
      WHERE resolution IS NULL;

    CREATE TABLE wallet_transactions_new (
      environment TEXT NOT NULL,
      id          TEXT NOT NULL,
      amount      REAL NOT NULL,
      at          INTEGER NOT NULL,
      description TEXT NOT NULL,
      remote_id   TEXT,
      verdict     TEXT NOT NULL
                    CHECK (verdict IN ('matched', 'unmatched', 'doubled', 'not_visengine', 'orphan', 'foreign')),
      seen_at     INTEGER NOT NULL,
      checked_at  INTEGER,
      checked_by  TEXT,
      PRIMARY KEY (environment, id)
    );
    INSERT INTO wallet_transactions_new
      SELECT environment, id, amount, at, description, remote_id, verdict, seen_at, checked_at, checked_by
        FROM wallet_transactions;
    DROP TABLE wallet_transactions;
    ALTER TABLE wallet_transactions_new RENAME TO wallet_transactions;
    CREATE INDEX wallet_transactions_open ON wallet_transactions (environment, at)
      WHERE verdict IN ('unmatched', 'doubled', 'orphan') AND checked_at IS NULL;
  `,
};
