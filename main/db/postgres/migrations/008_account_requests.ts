import type { PgMigration } from '../migrate.ts';

/**
 * Every remote request on the account, owned: the same as the SQLite log's migration 10 (read its
 * comment). `account_requests` holds the remote requests of the account that no request of the
 * office's register owns, and the clerk's decision on each; the charges gain the verdicts `orphan`
 * and `foreign`.
 */
export const pgMigration008: PgMigration = {
  version: 8,
  name: 'account requests',
  up: `
    CREATE TABLE account_requests (
      environment   text COLLATE "C" NOT NULL,
      remote_id     text COLLATE "C" NOT NULL,
      service_hash  text COLLATE "C" NOT NULL,
      price         double precision,
      created_at    bigint,
      transaction_state text COLLATE "C" CHECK (transaction_state IN ('open', 'closed')),
      stato         text COLLATE "C" NOT NULL,
      first_seen_at bigint NOT NULL,
      last_seen_at  bigint NOT NULL,
      resolution    text COLLATE "C" CHECK (resolution IN ('linked', 'foreign', 'cancelled')),
      request_id    text COLLATE "C",
      resolved_at   bigint,
      resolved_by   text COLLATE "C",
      updated_at    bigint NOT NULL,
      PRIMARY KEY (environment, remote_id)
    );
    CREATE INDEX account_requests_unresolved ON account_requests (environment, created_at)
      WHERE resolution IS NULL;

    ALTER TABLE wallet_transactions DROP CONSTRAINT wallet_transactions_verdict_check;
    ALTER TABLE wallet_transactions ADD CONSTRAINT wallet_transactions_verdict_check
      CHECK (verdict IN ('matched', 'unmatched', 'doubled', 'not_visengine', 'orphan', 'foreign'));
    DROP INDEX wallet_transactions_open;
    CREATE INDEX wallet_transactions_open ON wallet_transactions (environment, at)
      WHERE verdict IN ('unmatched', 'doubled', 'orphan') AND checked_at IS NULL;
  `,
};
