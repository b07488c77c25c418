import { ENDED_CONSENTS, type ClientFileRow, type ConsentRow } from '../client-records.ts';
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

  /** Revokes the consent in force and forgets the files' records (the files are removed by the caller). */
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
    return this.sql.rows<ClientFileRow>('SELECT * FROM client_files WHERE cf = $1 ORDER BY kind, id', [cf]);
  }

  /** Files expired by `now`, or created before `createdBefore` (a retention period). */
  filesDue(now: number, createdBefore: number): Promise<ClientFileRow[]> {
    return this.sql.rows<ClientFileRow>(
      'SELECT * FROM client_files WHERE expires_at <= $1 OR created_at < $2',
      [now, createdBefore],
    );
  }

  async insertFile(row: ClientFileRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO client_files (id, cf, kind, file_name, pages, size, sha256, stored_path, source_request_id, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
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
      ],
    );
  }

  async deleteFile(id: string): Promise<void> {
    await this.sql.run('DELETE FROM client_files WHERE id = $1', [id]);
  }

  /** The sealing key as the keystore wrapped it (base64); null before the first document kept. */
  async sealingKey(): Promise<string | null> {
    return (
      (await this.sql.row<{ wrapped: string }>('SELECT wrapped FROM sealing_key WHERE id = 1'))?.wrapped ??
      null
    );
  }

  /**
   * Stores a wrapped key unless one is there already. Two first uses at once, on two counters: the
   * second insert waits for the first to commit, then does nothing (one statement, no read before).
   */
  async offerSealingKey(wrapped: string, at: number): Promise<void> {
    await this.sql.run(
      'INSERT INTO sealing_key (id, wrapped, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING',
      [wrapped, at],
    );
  }
}
