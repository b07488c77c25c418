import type { PgMigration } from '../migrate.ts';

/**
 * An office log of a million requests at the speed of an empty one (bench/requestLogPostgres.ts).
 *
 * - `requests_text`: the list's text index, SQLite's `requests_text` (an FTS5 trigram index keyed
 *   by time) carried over. Each row is indexed under the trigrams of its "cognome nome cf servizio
 *   id" in lower case (ASCII, as LIKE folds it), each trigram tagged with the 30-day period of the
 *   row's creation ("ros:683"). The search asks for the rows holding, for every word, its covering
 *   trigrams in one of the periods of the date range: a few thousand candidates out of a million,
 *   read from small posting lists, then checked with the exact LIKE — so results are exactly the
 *   LIKE's (test/integration/db/postgres-search.test.ts). pg_trgm's GIN index was measured first
 *   (1M rows, same workload): it cannot narrow to the date range, so its candidates are whole
 *   surnames, and the filtered search's p95 stayed at 25-35 ms even with the plan forced (the
 *   planner's own choice, a date-range scan, took 100-600 ms); this index keeps it under 20 ms.
 *   It needs no extension, hence no privilege beyond owning the tables.
 * - `requests_search`: status and date range of the list without words to look for.
 * - `requests_attention`, `requests_documents_due`, `requests_completed`, `requests_purgeable`,
 *   `requests_purged`: the partial / narrow indexes of SQLite's migration 003, with the same
 *   conditions, so that start-up, Home's lists and retention read the few rows they want.
 */
export const pgMigration003: PgMigration = {
  version: 3,
  name: 'log at scale',
  up: `
    -- Every trigram of body, suffixed with the row's period (created_at / 30 days, truncated, as
    -- the search computes it): body is cut into trigrams from each of its first three characters,
    -- the tags appended by regexp_replace, then split on U+0001 — so a trigram holding U+0001 is
    -- lost, and the search never asks for one. Three regexp passes in PL/pgSQL: 7 µs a row where
    -- a generate_series took 25 (a million rows are indexed when a log moves in). COST tells the
    -- planner so, lest it compute the tokens of every row of a date range to filter them.
    CREATE FUNCTION request_text_tokens(body text, created_at bigint) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 300
      AS $$
      DECLARE
        tag text := ':' || (created_at / 2592000000)::text || E'\\x01';
        n integer := length(body);
        joined text := '';
      BEGIN
        FOR o IN 0..2 LOOP
          joined := joined || regexp_replace(substr(body, 1 + o, (greatest(n - o, 0) / 3) * 3), '(...)', '\\1' || tag, 'g');
        END LOOP;
        RETURN array_remove(string_to_array(joined, E'\\x01'), '');
      END;
      $$;
    CREATE INDEX requests_text ON requests USING gin (request_text_tokens(
      lower(coalesce(client_cognome, '') || ' ' || coalesce(client_nome, '') || ' ' || coalesce(client_cf, '')
        || ' ' || service_name || ' ' || coalesce(remote_id, '')),
      created_at));
    CREATE INDEX requests_search ON requests (status, created_at);

    CREATE INDEX requests_attention ON requests (updated_at)
      WHERE status IN ('sending', 'open')
         OR documents_state = 'failed'
         OR (status <> 'draft' AND last_error IS NOT NULL)
         OR (status = 'pending' AND search_json IS NOT NULL AND remote_state = 'In ricerca');
    CREATE INDEX requests_documents_due ON requests (created_at)
      WHERE status = 'done' AND documents_state <> 'ready' AND purged_at IS NULL;
    CREATE INDEX requests_completed ON requests (status, completed_at);
    CREATE INDEX requests_purgeable ON requests ((coalesce(completed_at, created_at)))
      WHERE purged_at IS NULL AND status IN ('done', 'cancelled');
    CREATE INDEX requests_purged ON requests (id) WHERE purged_at IS NOT NULL;
  `,
};
