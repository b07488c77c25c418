import type { Migration } from '../migrate.ts';

/** The request log, its append-only trail, attachment and document metadata, the catalog cache. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE requests (
      id                 TEXT PRIMARY KEY,
      environment        TEXT NOT NULL CHECK (environment IN ('prova', 'sandbox', 'produzione')),
      remote_id          TEXT,
      service_hash       TEXT NOT NULL,
      service_name       TEXT NOT NULL,
      client_nome        TEXT,
      client_cognome     TEXT,
      client_cf          TEXT,
      client_email       TEXT,
      client_phone       TEXT,
      fields_json        TEXT NOT NULL DEFAULT '{}',
      options_json       TEXT NOT NULL DEFAULT '[]',
      quote_json         TEXT,
      quote_fingerprint  TEXT,
      confirmed_price    REAL,
      charged_price      REAL,
      status             TEXT NOT NULL CHECK (status IN ('draft', 'sending', 'open', 'pending', 'done', 'cancelled')),
      submit_intent      INTEGER NOT NULL DEFAULT 0,
      attempt_started_at INTEGER,
      remote_state       TEXT,
      remote_esito       TEXT,
      search_json        TEXT,
      created_at         INTEGER NOT NULL,
      updated_at         INTEGER NOT NULL,
      submitted_at       INTEGER,
      completed_at       INTEGER,
      next_poll_at       INTEGER,
      poll_count         INTEGER NOT NULL DEFAULT 0,
      documents_state    TEXT NOT NULL DEFAULT 'none' CHECK (documents_state IN ('none', 'ready', 'failed')),
      archive_folder     TEXT,
      last_error         TEXT,
      operator           TEXT NOT NULL DEFAULT '',
      purged_at          INTEGER
    );
    CREATE UNIQUE INDEX requests_remote ON requests (environment, remote_id) WHERE remote_id IS NOT NULL;
    CREATE INDEX requests_poll ON requests (status, next_poll_at);
    CREATE INDEX requests_created ON requests (created_at);
    CREATE INDEX requests_cf ON requests (client_cf);

    -- No foreign key on request_id: the trail outlives the rows it speaks of (a discarded draft,
    -- a stale draft thrown away by retention), and it is never rewritten.
    CREATE TABLE events (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      request_id TEXT,
      kind       TEXT NOT NULL,
      at         INTEGER NOT NULL,
      operator   TEXT NOT NULL DEFAULT '',
      data_json  TEXT
    );
    CREATE INDEX events_request ON events (request_id, id);
    -- The trail is append-only: who did what stays, even after a purge of personal data.
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

    CREATE TABLE attachments (
      id          TEXT PRIMARY KEY,
      request_id  TEXT NOT NULL REFERENCES requests (id),
      field_key   TEXT NOT NULL,
      position    INTEGER NOT NULL,
      file_name   TEXT NOT NULL,
      source_kind TEXT NOT NULL,
      mime        TEXT NOT NULL,
      size        INTEGER NOT NULL,
      pages       INTEGER NOT NULL,
      sha256      TEXT NOT NULL,
      stored_path TEXT,
      created_at  INTEGER NOT NULL
    );
    CREATE INDEX attachments_request ON attachments (request_id, field_key, position);

    CREATE TABLE documents (
      id         TEXT PRIMARY KEY,
      request_id TEXT NOT NULL REFERENCES requests (id),
      file_name  TEXT NOT NULL,
      path       TEXT NOT NULL,
      kind       TEXT NOT NULL,
      size       INTEGER NOT NULL,
      sha256     TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      removed_at INTEGER
    );
    CREATE INDEX documents_request ON documents (request_id);

    CREATE TABLE catalog_services (
      environment TEXT NOT NULL,
      hash        TEXT NOT NULL,
      nome        TEXT NOT NULL,
      categoria   TEXT NOT NULL,
      position    INTEGER NOT NULL,
      PRIMARY KEY (environment, hash)
    );
    CREATE TABLE catalog_details (
      environment TEXT NOT NULL,
      hash        TEXT NOT NULL,
      detail_json TEXT NOT NULL,
      fetched_at  INTEGER NOT NULL,
      PRIMARY KEY (environment, hash)
    );
    CREATE TABLE catalog_meta (
      environment TEXT PRIMARY KEY,
      fetched_at  INTEGER NOT NULL
    );
  `,
};
