import type { Migration } from '../migrate.ts';

/**
 * The trail stays append-only, with one exception: once a request is purged, the data of its
 * events may be rewritten (to drop what is personal: a cancellation reason, an esito, a file
 * name). Nothing else of an event, and nothing of a request that is not purged, can change.
 */
export const migration005: Migration = {
  version: 5,
  name: 'purge scrubs the trail',
  up: `
    DROP TRIGGER events_no_update;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      WHEN NOT (
        new.id IS old.id AND new.request_id IS old.request_id AND new.kind IS old.kind
        AND new.at IS old.at AND new.operator IS old.operator
        AND old.request_id IN (SELECT id FROM requests WHERE purged_at IS NOT NULL)
      )
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `,
};
