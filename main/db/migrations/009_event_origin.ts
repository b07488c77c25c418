import type { Migration } from '../migrate.ts';

/**
 * Where an event came from, when it was copied from another register (the office's PostgreSQL has
 * the same: its migration 7). A trail moved into the office, and copied back when the counter
 * leaves, must land once however often the copy runs (store/move.ts), and an event's id is no key
 * across registers: each numbers its own. So each register gets an id of its own, made once, and
 * `origin` is `<register id>:<event id>` in the register the event was first written in; NULL for
 * an event written here. The trail stays append-only: its trigger holds `origin` unchanged too.
 */
export const migration009: Migration = {
  version: 9,
  name: 'event origin',
  up: `
    ALTER TABLE events ADD COLUMN origin TEXT;
    CREATE UNIQUE INDEX events_origin ON events (origin);

    CREATE TABLE register_identity (
      only_row INTEGER PRIMARY KEY DEFAULT 1 CHECK (only_row = 1),
      id       TEXT NOT NULL
    );
    INSERT INTO register_identity (only_row, id) VALUES (1, lower(hex(randomblob(16))));

    DROP TRIGGER events_no_update;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      WHEN NOT (
        new.id IS old.id AND new.request_id IS old.request_id AND new.kind IS old.kind
        AND new.at IS old.at AND new.operator IS old.operator AND new.counter IS old.counter
        AND new.origin IS old.origin
        AND old.request_id IN (SELECT id FROM requests WHERE purged_at IS NOT NULL)
      )
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `,
};
