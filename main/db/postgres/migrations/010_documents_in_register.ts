import type { PgMigration } from '../migrate.ts';

/**
 * As SQLite's migration 011 (documents on file at every counter): counters' public keys, the
 * document keys' ids and their grants to each counter's key, and the sealed documents themselves
 * in `client_files` (bytea, capped), whose `stored_path` goes.
 */
export const pgMigration010: PgMigration = {
  version: 10,
  name: 'documents in register',
  up: `
    CREATE TABLE counter_keys (
      counter_id   text COLLATE "C" PRIMARY KEY,
      counter_name text COLLATE "C" NOT NULL,
      public_key   text COLLATE "C" NOT NULL,
      published_at bigint NOT NULL,
      updated_at   bigint NOT NULL
    );

    CREATE TABLE document_keys (
      id         text COLLATE "C" PRIMARY KEY,
      created_at bigint NOT NULL,
      created_by text COLLATE "C" NOT NULL
    );

    CREATE TABLE document_key_grants (
      key_id     text COLLATE "C" NOT NULL,
      counter_id text COLLATE "C" NOT NULL,
      public_key text COLLATE "C" NOT NULL,
      wrapped    text COLLATE "C" NOT NULL,
      granted_by text COLLATE "C" NOT NULL,
      granted_at bigint NOT NULL,
      PRIMARY KEY (key_id, counter_id)
    );
    CREATE INDEX document_key_grants_counter ON document_key_grants (counter_id);

    ALTER TABLE client_files ADD COLUMN key_id text COLLATE "C";
    ALTER TABLE client_files ADD COLUMN sealed bytea CHECK (sealed IS NULL OR octet_length(sealed) <= 4194368);
    ALTER TABLE client_files DROP COLUMN stored_path;
  `,
};
