import type { Migration } from '../migrate.ts';

/**
 * Documents on file at every counter (issue 22, item 10); the PostgreSQL register has the same
 * (its migration 10).
 *
 * - `counter_keys`: each counter's public key (X25519), with its id and name, published by the
 *   counter itself; the private key never leaves its PC (OS keystore, main/clients/counter-key.ts).
 * - `document_keys`: the keys that seal documents on file, by an id derived from the key itself;
 *   the key is never here in clear.
 * - `document_key_grants`: a document key wrapped for one counter's public key (which one is
 *   recorded: a counter whose key pair changed needs a new grant), by the counter that granted it.
 * - `client_files.sealed`: the sealed document itself, in the register (capped: a kept document is
 *   one document as sent, at most 4 MB, plus its header), and `key_id`, the key that sealed it;
 *   `stored_path`, the file on the disk of the counter that kept it, goes: the files of before are
 *   moved in at each counter's start (main/clients/local-files.ts) by their id, not their path.
 *   Until then a row has no `sealed`.
 */
export const migration011: Migration = {
  version: 11,
  name: 'documents in register',
  up: `
    CREATE TABLE counter_keys (
      counter_id   TEXT PRIMARY KEY,
      counter_name TEXT NOT NULL,
      public_key   TEXT NOT NULL,
      published_at INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    );

    CREATE TABLE document_keys (
      id         TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      created_by TEXT NOT NULL
    );

    CREATE TABLE document_key_grants (
      key_id     TEXT NOT NULL,
      counter_id TEXT NOT NULL,
      public_key TEXT NOT NULL,
      wrapped    TEXT NOT NULL,
      granted_by TEXT NOT NULL,
      granted_at INTEGER NOT NULL,
      PRIMARY KEY (key_id, counter_id)
    );
    CREATE INDEX document_key_grants_counter ON document_key_grants (counter_id);

    ALTER TABLE client_files ADD COLUMN key_id TEXT;
    ALTER TABLE client_files ADD COLUMN sealed BLOB CHECK (sealed IS NULL OR length(sealed) <= 4194368);
    ALTER TABLE client_files DROP COLUMN stored_path;
  `,
};
