import type { PgMigration } from '../migrate.ts';

/**
 * The trail is append-only, as on SQLite (its migrations 001 and 005): who did what stays. The one
 * change allowed is the data of an event of a purged request (retention drops what is personal:
 * a cancellation reason, an esito, a file name); nothing else of an event, and nothing of a request
 * that is not purged, can change. No event is ever deleted — TRUNCATE included, which row
 * triggers would not see.
 */
export const pgMigration002: PgMigration = {
  version: 2,
  name: 'append-only trail',
  up: `
    CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE'
         AND NEW.id IS NOT DISTINCT FROM OLD.id
         AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
         AND NEW.kind IS NOT DISTINCT FROM OLD.kind
         AND NEW.at IS NOT DISTINCT FROM OLD.at
         AND NEW.operator IS NOT DISTINCT FROM OLD.operator
         AND EXISTS (SELECT 1 FROM requests WHERE id = OLD.request_id AND purged_at IS NOT NULL)
      THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'events are append-only';
    END;
    $$;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      FOR EACH ROW EXECUTE FUNCTION events_append_only();
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_append_only();
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
  `,
};
