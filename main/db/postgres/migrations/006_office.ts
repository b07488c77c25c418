import type { PgMigration } from '../migrate.ts';

/** As SQLite's migration 008: counters in the register and the trail, and the sending lease. */
export const pgMigration006: PgMigration = {
  version: 6,
  name: 'office',
  up: `
    ALTER TABLE requests ADD COLUMN counter text COLLATE "C" NOT NULL DEFAULT '';
    ALTER TABLE requests ADD COLUMN claim_owner text COLLATE "C";
    ALTER TABLE requests ADD COLUMN claim_until bigint;
    ALTER TABLE events ADD COLUMN counter text COLLATE "C" NOT NULL DEFAULT '';
    CREATE INDEX requests_counter ON requests (counter, operator);

    CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE'
         AND NEW.id IS NOT DISTINCT FROM OLD.id
         AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
         AND NEW.kind IS NOT DISTINCT FROM OLD.kind
         AND NEW.at IS NOT DISTINCT FROM OLD.at
         AND NEW.operator IS NOT DISTINCT FROM OLD.operator
         AND NEW.counter IS NOT DISTINCT FROM OLD.counter
         AND EXISTS (SELECT 1 FROM requests WHERE id = OLD.request_id AND purged_at IS NOT NULL)
      THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'events are append-only';
    END;
    $$;
  `,
};
