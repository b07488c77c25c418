import type { PgMigration } from '../migrate.ts';

/**
 * A purge that leaves nothing on the server's disk (README, "Più sportelli in un ufficio"). An
 * UPDATE leaves the old row version in the table's pages, its index entries in every index, and
 * both in the WAL; a plain VACUUM only marks that space free. So:
 *
 * - `compact_purged(tables)` rewrites the named tables and all their indexes into new files
 *   (CLUSTER on the primary key: VACUUM FULL's rewrite, which, unlike VACUUM, may run inside a
 *   function). The old files are emptied when it commits. SECURITY DEFINER: it runs as the role
 *   that owns the tables (the one that migrates), so a counters' role that owns nothing (no DDL)
 *   can still have its purges compacted; it only takes names from a fixed list. EXECUTE stays with
 *   PUBLIC, that is with whoever may connect to the register at all (README revokes CONNECT from
 *   PUBLIC): the worst a counter can do with it is make the others wait a moment.
 * - `flush_purged_wal()` switches to a new WAL segment and checkpoints, so that the segments that
 *   still hold the old rows are no longer needed and are removed. Both need a grant from the
 *   superuser to the owner role (README: pg_switch_wal, pg_checkpoint from PostgreSQL 15), and the
 *   server must not recycle old segments (`wal_recycle = off`: a recycled one is renamed with its
 *   old content). It answers what it could not do, and the counter logs it.
 * - Personal columns keep no statistics: ANALYZE would otherwise copy sample values (codici
 *   fiscali, names) into pg_statistic, where a purge of the table cannot reach them.
 */
export const pgMigration009: PgMigration = {
  version: 9,
  name: 'purge compaction',
  up: `
    ALTER TABLE requests
      ALTER COLUMN client_nome SET STATISTICS 0,
      ALTER COLUMN client_cognome SET STATISTICS 0,
      ALTER COLUMN client_cf SET STATISTICS 0,
      ALTER COLUMN client_email SET STATISTICS 0,
      ALTER COLUMN client_phone SET STATISTICS 0,
      ALTER COLUMN fields_json SET STATISTICS 0,
      ALTER COLUMN quote_fingerprint SET STATISTICS 0,
      ALTER COLUMN allegati_json SET STATISTICS 0,
      ALTER COLUMN remote_esito SET STATISTICS 0,
      ALTER COLUMN search_json SET STATISTICS 0,
      ALTER COLUMN archive_folder SET STATISTICS 0,
      ALTER COLUMN last_error SET STATISTICS 0,
      ALTER COLUMN prefilled_json SET STATISTICS 0;
    ALTER TABLE events ALTER COLUMN data_json SET STATISTICS 0;
    ALTER TABLE attachments
      ALTER COLUMN file_name SET STATISTICS 0,
      ALTER COLUMN stored_path SET STATISTICS 0;
    ALTER TABLE documents
      ALTER COLUMN file_name SET STATISTICS 0,
      ALTER COLUMN path SET STATISTICS 0;
    ALTER TABLE client_consents ALTER COLUMN cf SET STATISTICS 0;
    ALTER TABLE client_files
      ALTER COLUMN cf SET STATISTICS 0,
      ALTER COLUMN file_name SET STATISTICS 0,
      ALTER COLUMN stored_path SET STATISTICS 0;

    CREATE FUNCTION compact_purged(tables text[]) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, pg_temp
      -- The rewrite waits for every transaction on the table, and all wait behind it: better to
      -- give up (and try at the next run) than to stop the office behind a long one.
      SET lock_timeout = '10s'
      AS $$
      DECLARE
        name text;
        pkey text;
      BEGIN
        FOREACH name IN ARRAY tables LOOP
          IF name NOT IN ('requests', 'events', 'attachments', 'documents', 'client_consents', 'client_files') THEN
            RAISE EXCEPTION 'compact_purged: % is not a table a purge writes', name;
          END IF;
          SELECT c.relname INTO pkey
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = format('public.%I', name)::regclass AND i.indisprimary;
          EXECUTE format('CLUSTER public.%I USING %I', name, pkey);
        END LOOP;
      END;
      $$;

    CREATE FUNCTION flush_purged_wal() RETURNS text[]
      LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE
        missing text[] := '{}';
        superuser boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
      BEGIN
        IF superuser OR has_function_privilege('pg_catalog.pg_switch_wal()', 'EXECUTE') THEN
          PERFORM pg_switch_wal();
        ELSE
          missing := missing || 'switch_wal'::text;
        END IF;
        IF superuser THEN
          CHECKPOINT;
        ELSIF to_regrole('pg_checkpoint') IS NULL THEN
          missing := missing || 'checkpoint'::text;
        ELSIF pg_has_role(current_user, 'pg_checkpoint', 'MEMBER') THEN
          CHECKPOINT;
        ELSE
          missing := missing || 'checkpoint'::text;
        END IF;
        IF current_setting('wal_recycle') = 'on' THEN
          missing := missing || 'wal_recycle'::text;
        END IF;
        RETURN missing;
      END;
      $$;
    -- Only the counters' role may call them (privileges.ts grants it): they run as the owner.
    REVOKE EXECUTE ON FUNCTION compact_purged(text[]), flush_purged_wal() FROM PUBLIC;
  `,
};
