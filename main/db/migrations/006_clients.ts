import type { Migration } from '../migrate.ts';

/**
 * Returning clients (issue 14).
 *
 * - `requests.send_to_client`: the clerk ticked "Invia i documenti anche al cliente"; the POST
 *   carries the form's email as `email_target`.
 * - `requests.prefilled_json`: the values a draft took from the client's last request, so the form
 *   can mark them until they are changed.
 * - `client_consents`: the client's consent to keep the identity document and the codice fiscale
 *   card, with who took it and when; revoking closes the row (kept: who revoked, when).
 * - `client_files`: those documents, encrypted (see main/clients/sealer.ts) under
 *   `userData/clienti/`, until `expires_at`. The file name on disk is random: no codice fiscale in
 *   any path.
 * - `sealing_key`: the key that encrypts them, itself encrypted by the OS keystore (SecretCipher).
 * - `requests_duplicates`: same client, same service, lately — the duplicate guard's question.
 */
export const migration006: Migration = {
  version: 6,
  name: 'clients',
  up: `
    ALTER TABLE requests ADD COLUMN send_to_client INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE requests ADD COLUMN prefilled_json TEXT;

    CREATE INDEX requests_duplicates ON requests (client_cf, service_hash, created_at)
      WHERE client_cf IS NOT NULL;

    CREATE TABLE client_consents (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      cf              TEXT NOT NULL,
      granted_at      INTEGER NOT NULL,
      granted_by      TEXT NOT NULL DEFAULT '',
      document_expiry TEXT,
      revoked_at      INTEGER,
      revoked_by      TEXT
    );
    CREATE INDEX client_consents_cf ON client_consents (cf, id);

    CREATE TABLE client_files (
      id                TEXT PRIMARY KEY,
      cf                TEXT NOT NULL,
      kind              TEXT NOT NULL CHECK (kind IN ('identita', 'codice_fiscale')),
      file_name         TEXT NOT NULL,
      pages             INTEGER NOT NULL,
      size              INTEGER NOT NULL,
      sha256            TEXT NOT NULL,
      stored_path       TEXT NOT NULL,
      source_request_id TEXT,
      created_at        INTEGER NOT NULL,
      expires_at        INTEGER NOT NULL
    );
    CREATE INDEX client_files_cf ON client_files (cf, kind);
    CREATE INDEX client_files_expiry ON client_files (expires_at);

    CREATE TABLE sealing_key (
      id      INTEGER PRIMARY KEY CHECK (id = 1),
      wrapped TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
  `,
};
