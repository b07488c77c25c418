import type { Migration } from '../migrate.ts';

/**
 * Several counters, one register (the office's PostgreSQL has the same columns: its migration 6).
 * - `requests.counter`, `events.counter`: which counter created a request, and where each step of
 *   the trail was taken (beside the clerk, `operator`); Pratiche filters by both.
 * - `requests.claim_owner`, `claim_until`: the lease of the counter sending a request. Claiming is
 *   a compare-and-set; a counter that dies mid-submission leaves a lease that expires, and another
 *   counter may then resume the request by the same reconciliation rules.
 * The trail stays append-only: its trigger now holds `counter` unchanged too.
 */
export const migration008: Migration = {
  version: 8,
  name: 'office',
  up: `
    ALTER TABLE requests ADD COLUMN counter TEXT NOT NULL DEFAULT '';
    ALTER TABLE requests ADD COLUMN claim_owner TEXT;
    ALTER TABLE requests ADD COLUMN claim_until INTEGER;
    ALTER TABLE events ADD COLUMN counter TEXT NOT NULL DEFAULT '';
    CREATE INDEX requests_counter ON requests (counter, operator);

    DROP TRIGGER events_no_update;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      WHEN NOT (
        new.id IS old.id AND new.request_id IS old.request_id AND new.kind IS old.kind
        AND new.at IS old.at AND new.operator IS old.operator AND new.counter IS old.counter
        AND old.request_id IN (SELECT id FROM requests WHERE purged_at IS NOT NULL)
      )
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `,
};
