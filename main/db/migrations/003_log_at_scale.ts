import type { Migration } from '../migrate.ts';

/** What the list's text filter looks into: the same joined text the search has always matched. */
const TEXT = `coalesce(new.client_cognome, '') || ' ' || coalesce(new.client_nome, '') || ' ' ||
  coalesce(new.client_cf, '') || ' ' || new.service_name || ' ' || coalesce(new.remote_id, '')`;

/**
 * 2^30: the low bits of a text-index key hold the row's rowid, the high ones its second of creation.
 * Frozen here as it was when this migration was written; main/db/text-key.ts is the code's copy.
 */
const TEXT_KEY_ROWID_BITS = 1073741824;

/**
 * The key of a row in `requests_text`, from a `created_at` in ms (clamped to ±8e9 s so that the
 * product stays an integer): rows sort by creation in the index, and a date range of the list is a
 * range of keys the full-text query skips to. `key & (2^30 - 1)` is the row's rowid.
 */
const textKey = (createdAt: string) =>
  `(min(max(cast(${createdAt} AS INTEGER) / 1000, -8000000000), 8000000000) * ${TEXT_KEY_ROWID_BITS})`;

/**
 * A log of 100 000 requests at the speed of an empty one.
 *
 * - `requests_text`: a contentless FTS5 trigram index (detail=none: which rows hold a trigram,
 *   not where) of "cognome nome cf servizio id", kept in step by triggers, keyed by
 *   `textKey(created_at) + rowid`. The search asks it for the rows of the date range holding the
 *   trigrams of every word (case folded: a superset of what LIKE finds), reads only those rows and
 *   checks them with the exact LIKE, so results are unchanged
 *   (test/reliability/search-equivalence.test.ts). Words shorter than 3 characters cannot use a
 *   trigram index and are checked by LIKE alone. The key holds the rowid of `requests`: a `VACUUM`
 *   that renumbered rowids would need `INSERT INTO requests_text(requests_text) VALUES
 *   ('delete-all')` and the refill below.
 * - `requests_attention`, `requests_documents_due`, `requests_completed`, `requests_purgeable`,
 *   `requests_purged`, `documents_path`: partial / narrow indexes so that start-up (documents to
 *   resume, Home's lists, the sweep after an interrupted purge) and retention read the few rows
 *   they want instead of scanning, or decoding, the whole log.
 */
export const migration003: Migration = {
  version: 3,
  name: 'log at scale',
  up: `
    CREATE VIRTUAL TABLE requests_text USING fts5 (
      body, tokenize = 'trigram', detail = none, content = '', contentless_delete = 1
    );
    INSERT INTO requests_text (rowid, body)
      SELECT ${textKey('created_at')} + rowid, ${TEXT.replaceAll('new.', '')} FROM requests;
    CREATE TRIGGER requests_text_insert AFTER INSERT ON requests BEGIN
      SELECT RAISE(ABORT, 'requests: rowid beyond the text index') WHERE new.rowid >= ${TEXT_KEY_ROWID_BITS};
      INSERT INTO requests_text (rowid, body) VALUES (${textKey('new.created_at')} + new.rowid, ${TEXT});
    END;
    CREATE TRIGGER requests_text_update AFTER UPDATE OF
      client_cognome, client_nome, client_cf, service_name, remote_id, created_at ON requests BEGIN
      DELETE FROM requests_text WHERE rowid = ${textKey('old.created_at')} + old.rowid;
      INSERT INTO requests_text (rowid, body) VALUES (${textKey('new.created_at')} + new.rowid, ${TEXT});
    END;
    CREATE TRIGGER requests_text_delete AFTER DELETE ON requests BEGIN
      DELETE FROM requests_text WHERE rowid = ${textKey('old.created_at')} + old.rowid;
    END;

    CREATE INDEX requests_attention ON requests (updated_at)
      WHERE status IN ('sending', 'open')
         OR documents_state = 'failed'
         OR (status <> 'draft' AND last_error IS NOT NULL)
         OR (status = 'pending' AND search_json IS NOT NULL AND remote_state = 'In ricerca');
    CREATE INDEX requests_documents_due ON requests (created_at)
      WHERE status = 'done' AND documents_state <> 'ready' AND purged_at IS NULL;
    CREATE INDEX requests_completed ON requests (status, completed_at);
    CREATE INDEX requests_purgeable ON requests (coalesce(completed_at, created_at))
      WHERE purged_at IS NULL AND status IN ('done', 'cancelled');
    CREATE INDEX requests_purged ON requests (id) WHERE purged_at IS NOT NULL;
    CREATE INDEX documents_path ON documents (path);
  `,
};
