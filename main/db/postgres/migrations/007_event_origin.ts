import type { PgMigration } from '../migrate.ts';

/**
 * As SQLite's migration 009: the register's own id, made once, and `events.origin`, the key of an
 * event copied from another register (`<register id>:<event id>` there: store/move.ts), so that a
 * move run twice, or resumed after a crash, writes each event once.
 */
export const pgMigration007: PgMigration = {
  version: 7,
  name: 'event origin',
  up: `
    ALTER TABLE events ADD COLUMN origin text COLLATE "C";
    CREATE UNIQUE INDEX events_origin ON events (origin);

    CREATE TABLE register_identity (
      only_row integer PRIMARY KEY DEFAULT 1 CHECK (only_row = 1),
      id       text COLLATE "C" NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '')
    );
    INSERT INTO register_identity DEFAULT VALUES;

    CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE'
         AND NEW.id IS NOT DISTINCT FROM OLD.id
         AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
         AND NEW.kind IS NOT DISTINCT FROM OLD.kind
         AND NEW.at IS NOT DISTINCT FROM OLD.at
         AND NEW.operator IS NOT DISTINCT FROM OLD.operator
         AND NEW.counter IS NOT DISTINCT FROM OLD.counter
         AND NEW.origin IS NOT DISTINCT FROM OLD.origin
         AND EXISTS (SELECT 1 FROM requests WHERE id = OLD.request_id AND purged_at IS NOT NULL)
      THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'events are append-only';
    END;
    $$;
  `,
};
