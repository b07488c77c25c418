import type { Migration } from '../migrate.ts';

/** What the list's text filter looks into, now with the pratica's number (migration 003's, extended). */
const TEXT = `coalesce(new.client_cognome, '') || ' ' || coalesce(new.client_nome, '') || ' ' ||
  coalesce(new.client_cf, '') || ' ' || new.service_name || ' ' || coalesce(new.remote_id, '') || ' ' ||
  coalesce(new.number, '')`;

/** Migration 003's frozen key of a row in `requests_text` (main/db/text-key.ts is the code's copy). */
const TEXT_KEY_ROWID_BITS = 1073741824;
const textKey = (createdAt: string) =>
  `(min(max(cast(${createdAt} AS INTEGER) / 1000, -8000000000), 8000000000) * ${TEXT_KEY_ROWID_BITS})`;

/**
 * The pratica's number for the client, and the price the office asks the client.
 *
 * - `requests.number`: a short number read over the phone ("RM1-2026-000123": the office's prefix,
 *   the year, a sequence), given in the register when the request first leaves the draft
 *   (requests.ts assignNumber). `pratica_numbers` holds each prefix's and year's last number: the
 *   increment is one statement, so counters sharing a register never give the same number twice.
 *   Requests already sent get one here, per year of creation in creation order, without a prefix
 *   (the office's prefix lives in config.json, which a migration does not read): "2025-000042".
 *   No unique index: a counter's log moved into an office's register (store/move.ts) keeps the
 *   numbers it printed, which another counter's log may have printed too; the move raises the
 *   office's counters past them, so that no number given afterwards repeats one.
 * - `requests.client_price`: what the office asks the client for this service (Impostazioni), as
 *   it was when the request left the draft; printed on the receipt. Not Openapi's cost.
 * - The list's text index takes the number: triggers rewritten, the index filled again.
 *
 * The PostgreSQL register has the same (its migration 11).
 */
export const migration012: Migration = {
  version: 12,
  name: 'pratica numbers',
  up: `
    ALTER TABLE requests ADD COLUMN number TEXT;
    ALTER TABLE requests ADD COLUMN client_price REAL;
    CREATE TABLE pratica_numbers (
      prefix TEXT NOT NULL,
      year   INTEGER NOT NULL,
      last   INTEGER NOT NULL,
      PRIMARY KEY (prefix, year)
    );

    UPDATE requests SET number = n.year || '-' || printf('%06d', n.seq)
      FROM (SELECT id, year, row_number() OVER (PARTITION BY year ORDER BY created_at, id) AS seq
              FROM (SELECT id, created_at,
                           CAST(strftime('%Y', created_at / 1000, 'unixepoch', 'localtime') AS INTEGER) AS year
                      FROM requests WHERE status <> 'draft')) AS n
     WHERE n.id = requests.id;
    INSERT INTO pratica_numbers (prefix, year, last)
      SELECT '', year, count(*)
        FROM (SELECT CAST(strftime('%Y', created_at / 1000, 'unixepoch', 'localtime') AS INTEGER) AS year
                FROM requests WHERE status <> 'draft') AS sent
       GROUP BY year;

    DROP TRIGGER requests_text_insert;
    DROP TRIGGER requests_text_update;
    INSERT INTO requests_text (requests_text) VALUES ('delete-all');
    INSERT INTO requests_text (rowid, body)
      SELECT ${textKey('created_at')} + rowid, ${TEXT.replaceAll('new.', '')} FROM requests;
    CREATE TRIGGER requests_text_insert AFTER INSERT ON requests BEGIN
      SELECT RAISE(ABORT, 'requests: rowid beyond the text index') WHERE new.rowid >= ${TEXT_KEY_ROWID_BITS};
      INSERT INTO requests_text (rowid, body) VALUES (${textKey('new.created_at')} + new.rowid, ${TEXT});
    END;
    CREATE TRIGGER requests_text_update AFTER UPDATE OF
      client_cognome, client_nome, client_cf, service_name, remote_id, number, created_at ON requests BEGIN
      DELETE FROM requests_text WHERE rowid = ${textKey('old.created_at')} + old.rowid;
      INSERT INTO requests_text (rowid, body) VALUES (${textKey('new.created_at')} + new.rowid, ${TEXT});
    END;

    DROP INDEX requests_search;
    CREATE INDEX requests_search ON requests
      (status, created_at, client_cognome, client_nome, client_cf, service_name, remote_id, number, id);
  `,
};
