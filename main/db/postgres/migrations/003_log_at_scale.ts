import type { PgMigration } from '../migrate.ts';

/**
 * An office log of a million requests at the speed of an empty one (bench/requestLogPostgres.ts).
 *
 * - `requests_text`: a pg_trgm GIN index of "cognome nome cf servizio id", the text the list's
 *   search looks into (SQLite's FTS5 trigram index of the same name). The search's ILIKE on that
 *   very expression uses it and PostgreSQL rechecks every row it names, so results are exactly
 *   those of the ILIKE (test/integration/db/postgres-search.test.ts). pg_trgm is a trusted
 *   extension: the database's owner may create it without being a superuser.
 * - `requests_search`: status and date range of the list without words to look for.
 * - `requests_attention`, `requests_documents_due`, `requests_completed`, `requests_purgeable`,
 *   `requests_purged`: the partial / narrow indexes of SQLite's migration 003, with the same
 *   conditions, so that start-up, Home's lists and retention read the few rows they want.
 */
export const pgMigration003: PgMigration = {
  version: 3,
  name: 'log at scale',
  up: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX requests_text ON requests USING gin (
      (coalesce(client_cognome, '') || ' ' || coalesce(client_nome, '') || ' ' || coalesce(client_cf, '')
        || ' ' || service_name || ' ' || coalesce(remote_id, '')) gin_trgm_ops
    );
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
