import type { ClientFileKind } from '../../common/client-files.ts';
import type { Statements } from './statements.ts';

/** A document kept on file for a client (sealed on disk at `stored_path`). */
export interface ClientFileRow {
  id: string;
  cf: string;
  kind: ClientFileKind;
  file_name: string;
  pages: number;
  size: number;
  sha256: string;
  stored_path: string;
  source_request_id: string | null;
  created_at: number;
  expires_at: number;
}

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
 * kept (`client_files`), and the wrapped key that seals them (`sealing_key`).
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

  /** Revokes the consent in force and forgets the files' records (the files are removed by the caller). */
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

  filesOf(cf: string): ClientFileRow[] {
    return this.s.prepare('SELECT * FROM client_files WHERE cf = ? ORDER BY kind').all(cf) as ClientFileRow[];
  }

  /** Files expired by `now`, or created before `createdBefore` (a retention period). */
  filesDue(now: number, createdBefore: number): ClientFileRow[] {
    return this.s
      .prepare('SELECT * FROM client_files WHERE expires_at <= ? OR created_at < ?')
      .all(now, createdBefore) as ClientFileRow[];
  }

  insertFile(row: ClientFileRow): void {
    this.s
      .prepare(
        `INSERT INTO client_files (id, cf, kind, file_name, pages, size, sha256, stored_path, source_request_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.cf,
        row.kind,
        row.file_name,
        row.pages,
        row.size,
        row.sha256,
        row.stored_path,
        row.source_request_id,
        row.created_at,
        row.expires_at,
      );
  }

  deleteFile(id: string): void {
    this.s.prepare('DELETE FROM client_files WHERE id = ?').run(id);
  }

  /** The sealing key as the keystore wrapped it (base64); null before the first document kept. */
  sealingKey(): string | null {
    const row = this.s.prepare('SELECT wrapped FROM sealing_key WHERE id = 1').get() as
      { wrapped: string } | undefined;
    return row?.wrapped ?? null;
  }

  /** Stores a wrapped key unless one is there already (two first uses at once: the first wins). */
  offerSealingKey(wrapped: string, at: number): void {
    this.s
      .prepare('INSERT OR IGNORE INTO sealing_key (id, wrapped, created_at) VALUES (1, ?, ?)')
      .run(wrapped, at);
  }
}
