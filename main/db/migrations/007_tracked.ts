import type { Migration } from '../migrate.ts';

/**
 * The requests the tracker follows (store/requests.ts, TRACKED): being processed, or done at
 * "Dati disponibili" (more outputs may come). Every arm of the tracker asks for the next poll among
 * them; with a large log, reading the whole table for that cost milliseconds at each change. The
 * partial index names just those rows.
 */
export const migration007: Migration = {
  version: 7,
  name: 'tracked',
  up: `
    CREATE INDEX requests_tracked ON requests (next_poll_at)
      WHERE status = 'pending' OR (status = 'done' AND remote_state = 'Dati disponibili');
  `,
};
