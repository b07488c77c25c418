import type { PgMigration } from '../migrate.ts';

/** As SQLite's migration 007: the requests the tracker follows, in a partial index of their own. */
export const pgMigration005: PgMigration = {
  version: 5,
  name: 'tracked',
  up: `
    CREATE INDEX requests_tracked ON requests (next_poll_at)
      WHERE status = 'pending' OR (status = 'done' AND remote_state = 'Dati disponibili');
  `,
};
