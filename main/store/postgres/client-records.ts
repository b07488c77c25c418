import {
  ENDED_CONSENTS,
  FILE_COLUMNS,
  type ClientFileRow,
  type ConsentRow,
  type SealedFile,
} from '../client-records.ts';
import type { ClientsPort } from '../port.ts';
import { numbered, type PgSql } from './sql.ts';

/** Returning clients' records (client-records.ts) on the office's register. */
export class PgClients implements ClientsPort {
  private readonly sql: PgSql;

  constructor(sql: PgSql) {
    this.sql = sql;
  }

  /** The consent in force for a codice fiscale, if any. */
  consentOf(cf: string): Promise<ConsentRow | null> {
    return this.sql.row<ConsentRow>(
      'SELECT id, granted_at, granted_by, document_expiry FROM client_consents WHERE cf = $1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1',
      [cf],
    );
  }

  async setConsentExpiry(cf: string, documentExpiry: string | null): Promise<void> {
    await this.sql.run(
      'UPDATE client_consents SET document_expiry = $1 WHERE cf = $2 AND revoked_at IS NULL',
      [documentExpiry, cf],
    );
  }

  async grantConsent(cf: string, at: number, operator: string, documentExpiry: string | null): Promise<void> {
    await this.sql.run(
      'INSERT INTO client_consents (cf, granted_at, granted_by, document_expiry) VALUES ($1, $2, $3, $4)',
      [cf, at, operator, documentExpiry],
    );
  }

  /** Revokes the consent in force and deletes the client's documents on file. */
  revokeConsent(cf: string, at: number, operator: string): Promise<void> {
    return this.sql.transaction(async () => {
      await this.sql.run(
        'UPDATE client_consents SET revoked_at = $1, revoked_by = $2 WHERE cf = $3 AND revoked_at IS NULL',
        [at, operator, cf],
      );
      await this.sql.run('DELETE FROM client_files WHERE cf = $1', [cf]);
    });
  }

  /** Revoked consents older than `before` are forgotten (retention). Answers how many. */
  forgetRevokedConsents(before: number): Promise<number> {
    return this.sql.run('DELETE FROM client_consents WHERE revoked_at IS NOT NULL AND revoked_at < $1', [
      before,
    ]);
  }

  /** Masks the codice fiscale of the consents that ended (ENDED_CONSENTS). */
  maskEndedConsents(today: string, grantedBefore: number): Promise<number> {
    return this.sql.run(numbered(ENDED_CONSENTS), [today, grantedBefore]);
  }

  /** Ties on kind by id (SQLite's by insertion: PostgreSQL has no such order). */
  filesOf(cf: string): Promise<ClientFileRow[]> {
    return this.sql.rows<ClientFileRow>(
      `SELECT ${FILE_COLUMNS} FROM client_files WHERE cf = $1 AND sealed IS NOT NULL ORDER BY kind, id`,
      [cf],
    );
  }

  /** A file's row, sealed in the register or not yet moved in; null when there is none. */
  fileById(id: string): Promise<ClientFileRow | null> {
    return this.sql.row<ClientFileRow>(`SELECT ${FILE_COLUMNS} FROM client_files WHERE id = $1`, [id]);
  }

  /** A file's sealed content; null when it has none (not yet moved in) or is gone. */
  sealedOf(id: string): Promise<SealedFile | null> {
    return this.sql.row<SealedFile>(
      'SELECT key_id, sealed FROM client_files WHERE id = $1 AND sealed IS NOT NULL',
      [id],
    );
  }

  /** Files expired by `now`, or created before `createdBefore` (a retention period), sealed or not. */
  filesDue(now: number, createdBefore: number): Promise<ClientFileRow[]> {
    return this.sql.rows<ClientFileRow>(
      `SELECT ${FILE_COLUMNS} FROM client_files WHERE expires_at <= $1 OR created_at < $2`,
      [now, createdBefore],
    );
  }

  /** A document kept, sealed with `key_id`. */
  async insertFile(row: ClientFileRow & SealedFile): Promise<void> {
    await this.sql.run(
      `INSERT INTO client_files (id, cf, kind, file_name, pages, size, sha256, key_id, sealed, source_request_id, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
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
      ],
    );
  }

  /**
   * A file of before moved in: its sealed content and key, on its row if the row is still there
   * and has none yet. Answers whether it was written.
   */
  async moveIn(id: string, file: SealedFile): Promise<boolean> {
    return (
      (await this.sql.run(
        'UPDATE client_files SET key_id = $1, sealed = $2 WHERE id = $3 AND sealed IS NULL',
        [file.key_id, file.sealed, id],
      )) > 0
    );
  }

  async deleteFile(id: string): Promise<void> {
    await this.sql.run('DELETE FROM client_files WHERE id = $1', [id]);
  }

  /** The sealing key of before, as one PC's keystore wrapped it (base64); null when there is none. */
  async sealingKey(): Promise<string | null> {
    return (
      (await this.sql.row<{ wrapped: string }>('SELECT wrapped FROM sealing_key WHERE id = 1'))?.wrapped ??
      null
    );
  }

  /** The sealing key of before is forgotten once moved in as a document key (only that one). */
  async forgetSealingKey(wrapped: string): Promise<void> {
    await this.sql.run('DELETE FROM sealing_key WHERE wrapped = $1', [wrapped]);
  }
}
