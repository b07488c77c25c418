import type { Migration } from '../migrate.ts';

/**
 * Money against the real service, whatever reading of the spec it follows.
 *
 * - `remote_requests`: every request on the service this PC knows of (created by a POST, adopted
 *   after an uncertain POST, created by a price check that the service did not treat as a test, or
 *   disowned by the clerk), with the local request it belongs to and its fate. A charge may have
 *   been taken for any of them (an open request is not known to be free), so the account's charges
 *   are matched against this ledger, abandoned open requests are closed out from it, and a request
 *   listed here is never taken for someone else's when reconciling.
 * - `requests.candidates_json`: when an uncertain POST cannot be settled from the API, the
 *   candidates the clerk chooses from; `attempt_ended_at`: when the last uncertain attempt ended,
 *   to wait for the server to finish before concluding nothing was created; `allegati_json`: the
 *   outputs the service listed when last read, to fetch them again when "Visura evasa" adds some.
 * - `wallet_transactions`: the account's charges as the OAuth API lists them, each with the remote
 *   request it was matched to, or why none ("unmatched", "doubled"), and who checked an anomaly.
 */
export const migration004: Migration = {
  version: 4,
  name: 'remote ledger',
  up: `
    CREATE TABLE remote_requests (
      environment  TEXT NOT NULL,
      remote_id    TEXT NOT NULL,
      request_id   TEXT NOT NULL,
      origin       TEXT NOT NULL CHECK (origin IN ('created', 'adopted', 'duplicate', 'price_check', 'disowned')),
      fate         TEXT NOT NULL CHECK (fate IN ('open', 'closed', 'cancelled', 'abandoned', 'deleted')),
      options_json TEXT NOT NULL DEFAULT '[]',
      price        REAL,
      created_at   INTEGER,
      closed_at    INTEGER,
      delete_error TEXT,
      noted_at     INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL,
      PRIMARY KEY (environment, remote_id)
    );
    CREATE INDEX remote_requests_request ON remote_requests (request_id);
    CREATE INDEX remote_requests_abandoned ON remote_requests (environment) WHERE fate = 'abandoned';

    -- Every remote id the log already holds was created by this PC.
    INSERT INTO remote_requests (environment, remote_id, request_id, origin, fate, options_json, price,
                                 created_at, closed_at, noted_at, updated_at)
      SELECT environment, remote_id, id, 'created',
             CASE WHEN status IN ('pending', 'done') THEN 'closed'
                  WHEN status = 'cancelled' THEN 'cancelled' ELSE 'open' END,
             options_json, coalesce(charged_price, confirmed_price), NULL, submitted_at,
             coalesce(submitted_at, created_at), updated_at
        FROM requests WHERE remote_id IS NOT NULL;

    ALTER TABLE requests ADD COLUMN candidates_json TEXT;
    ALTER TABLE requests ADD COLUMN attempt_ended_at INTEGER;
    ALTER TABLE requests ADD COLUMN allegati_json TEXT;

    CREATE TABLE wallet_transactions (
      environment TEXT NOT NULL,
      id          TEXT NOT NULL,
      amount      REAL NOT NULL,
      at          INTEGER NOT NULL,
      description TEXT NOT NULL,
      remote_id   TEXT,
      verdict     TEXT NOT NULL CHECK (verdict IN ('matched', 'unmatched', 'doubled', 'not_visengine')),
      seen_at     INTEGER NOT NULL,
      checked_at  INTEGER,
      checked_by  TEXT,
      PRIMARY KEY (environment, id)
    );
    CREATE INDEX wallet_transactions_open ON wallet_transactions (environment, at)
      WHERE verdict IN ('unmatched', 'doubled') AND checked_at IS NULL;
  `,
};
