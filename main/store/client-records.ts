import type { ClientFileKind } from '../../common/client-files.ts';
import type { Statements } from './statements.ts';

/** A document kept on file for a client: what is known of it (its sealed content apart: `sealedOf`). */
export interface ClientFileRow {
  id: string;
  cf: string;
  kind: ClientFileKind;
  file_name: string;
  pages: number;
  size: number;
  sha256: string;
  /** The document key that sealed it; null for a file of before not yet moved in by its counter. */
  key_id: string | null;
  source_request_id: string | null;
  created_at: number;
  expires_at: number;
}

/** A document as sealed, with the key that sealed it. */
export interface SealedFile {
  key_id: string;
  sealed: Buffer;
}

/** Every column of a file's row but its content: lists never carry documents. */
export const FILE_COLUMNS =
  'id, cf, kind, file_name, pages, size, sha256, key_id, source_request_id, created_at, expires_at';

/** A client's consent to keep documents on file. */
export interface ConsentRow {
  id: number;
  granted_at: number;
  granted_by: string;
  document_expiry: string | null;
}

/**
 * The consents that ended, their codice fiscale masked as logs mask it (RSS************S): revoked;
 * past the identity document's expiry (the first parameter: today, yyyy-mm-dd); or granted before
 * the second (ms) with no document kept under them any more. The same SQL on SQLite and PostgreSQL
 * (`?` numbered there); a masked code (it holds `*`) is never masked twice.
 */
export const ENDED_CONSENTS = `UPDATE client_consents
    SET cf = substr(cf, 1, 3) || '************' || substr(cf, length(cf), 1)
  WHERE cf NOT LIKE '%*%'
    AND (revoked_at IS NOT NULL
         OR (document_expiry IS NOT NULL AND document_expiry < ?)
         OR (granted_at < ? AND NOT EXISTS (SELECT 1 FROM client_files f WHERE f.cf = client_consents.cf)))`;

/**
 * Returning clients' records: consents to keep documents on file (`client_consents`), the files
 * kept, sealed (`client_files`), and the sealing key of before, wrapped by one PC's keystore
 * (`sealing_key`: read once to move that PC's files in, then forgotten).
 */
export class ClientRecords {
  private readonly s: Statements;

  constructor(s: Statements) {
    this.s = s;
  }

  /** The consent in force for a codice fiscale, if any. */
  consentOf(cf: string): ConsentRow | null {
    return (
      (this.s
        .prepare(
          'SELECT id, granted_at, granted_by, document_expiry FROM client_consents WHERE cf = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1',
        )
        .get(cf) as ConsentRow | undefined) ?? null
    );
  }

  setConsentExpiry(cf: string, documentExpiry: string | null): void {
    this.s
      .prepare('UPDATE client_consents SET document_expiry = ? WHERE cf = ? AND revoked_at IS NULL')
      .run(documentExpiry, cf);
  }

  grantConsent(cf: string, at: number, operator: string, documentExpiry: string | null): void {
    this.s
      .prepare(
        'INSERT INTO client_consents (cf, granted_at, granted_by, document_expiry) VALUES (?, ?, ?, ?)',
      )
      .run(cf, at, operator, documentExpiry);
  }

  /** Revokes the consent in force and deletes the client's documents on file. */
  revokeConsent(cf: string, at: number, operator: string): void {
    this.s
      .prepare(
        'UPDATE client_consents SET revoked_at = ?, revoked_by = ? WHERE cf = ? AND revoked_at IS NULL',
      )
      .run(at, operator, cf);
    this.s.prepare('DELETE FROM client_files WHERE cf = ?').run(cf);
  }

  /** Revoked consents older than `before` are forgotten (retention). Answers how many. */
  forgetRevokedConsents(before: number): number {
    return this.s
      .prepare('DELETE FROM client_consents WHERE revoked_at IS NOT NULL AND revoked_at < ?')
      .run(before).changes;
  }

  /**
   * Consents no longer in force keep no codice fiscale (ENDED_CONSENTS): the record stays (who
   * granted it, when, until when, who revoked it) with the code masked. Answers how many.
   */
  maskEndedConsents(today: string, grantedBefore: number): number {
    return this.s.prepare(ENDED_CONSENTS).run(today, grantedBefore).changes;
  }

  /** A client's documents on file that are in the register (sealed), by kind. */
  filesOf(cf: string): ClientFileRow[] {
    return this.s
      .prepare(`SELECT ${FILE_COLUMNS} FROM client_files WHERE cf = ? AND sealed IS NOT NULL ORDER BY kind`)
      .all(cf) as ClientFileRow[];
  }

  /** A file's row, sealed in the register or not yet moved in; null when there is none. */
  fileById(id: string): ClientFileRow | null {
    return (
      (this.s.prepare(`SELECT ${FILE_COLUMNS} FROM client_files WHERE id = ?`).get(id) as
        ClientFileRow | undefined) ?? null
    );
  }

  /** A file's sealed content; null when it has none (not yet moved in) or is gone. */
  sealedOf(id: string): SealedFile | null {
    return (
      (this.s
        .prepare('SELECT key_id, sealed FROM client_files WHERE id = ? AND sealed IS NOT NULL')
        .get(id) as SealedFile | undefined) ?? null
    );
  }

  /** Files expired by `now`, or created before `createdBefore` (a retention period), sealed or not. */
  filesDue(now: number, createdBefore: number): ClientFileRow[] {
    return this.s
      .prepare(`SELECT ${FILE_COLUMNS} FROM client_files WHERE expires_at <= ? OR created_at < ?`)
      .all(now, createdBefore) as ClientFileRow[];
  }

  /** A document kept, sealed with `key_id`. */
  insertFile(row: ClientFileRow & SealedFile): void {
    this.s
      .prepare(
        `INSERT INTO client_files (id, cf, kind, file_name, pages, size, sha256, key_id, sealed, source_request_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.cf,
        row.kind,
        row.file_name,
        row.pages,
        row.size,
        row.sha256,
        row.key_id,
        row.sealed,
        row.source_request_id,
        row.created_at,
        row.expires_at,
      );
  }

  /**
   * A file of before moved in: its sealed content and key, on its row if the row is still there
   * and has none yet. Answers whether it was written.
   */
  moveIn(id: string, file: SealedFile): boolean {
    return (
      this.s
        .prepare('UPDATE client_files SET key_id = ?, sealed = ? WHERE id = ? AND sealed IS NULL')
        .run(file.key_id, file.sealed, id).changes > 0
    );
  }

  deleteFile(id: string): void {
    this.s.prepare('DELETE FROM client_files WHERE id = ?').run(id);
  }

  /** The sealing key of before, as one PC's keystore wrapped it (base64); null when there is none. */
  sealingKey(): string | null {
    const row = this.s.prepare('SELECT wrapped FROM sealing_key WHERE id = 1').get() as
      { wrapped: string } | undefined;
    return row?.wrapped ?? null;
  }

  /** The sealing key of before is forgotten once moved in as a document key (only that one). */
  forgetSealingKey(wrapped: string): void {
    this.s.prepare('DELETE FROM sealing_key WHERE wrapped = ?').run(wrapped);
  }
}
