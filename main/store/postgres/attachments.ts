import type { AttachmentRow } from '../attachments.ts';
import type { AttachmentsPort } from '../port.ts';
import type { PgSql } from './sql.ts';

/** A draft's files (`attachments`) on the office database: attachments.ts's meaning. */
export class PgAttachments implements AttachmentsPort {
  private readonly sql: PgSql;

  constructor(sql: PgSql) {
    this.sql = sql;
  }

  async insert(a: AttachmentRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO attachments (id, request_id, field_key, position, file_name, source_kind, mime, size, pages, sha256, stored_path, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        a.id,
        a.requestId,
        a.fieldKey,
        a.position,
        a.fileName,
        a.sourceKind,
        a.mime,
        a.size,
        a.pages,
        a.sha256,
        a.storedPath,
        a.createdAt,
      ],
    );
  }

  async of(requestId: string): Promise<AttachmentRow[]> {
    const rows = await this.sql.rows(
      'SELECT * FROM attachments WHERE request_id = $1 ORDER BY field_key, position',
      [requestId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      requestId: r.request_id as string,
      fieldKey: r.field_key as string,
      position: r.position as number,
      fileName: r.file_name as string,
      sourceKind: r.source_kind as string,
      mime: r.mime as string,
      size: r.size as number,
      pages: r.pages as number,
      sha256: r.sha256 as string,
      storedPath: r.stored_path as string | null,
      createdAt: r.created_at as number,
    }));
  }

  async delete(requestId: string, id: string): Promise<void> {
    await this.sql.run('DELETE FROM attachments WHERE request_id = $1 AND id = $2', [requestId, id]);
  }

  async setField(id: string, fieldKey: string, position: number): Promise<void> {
    await this.sql.run('UPDATE attachments SET field_key = $1, position = $2 WHERE id = $3', [
      fieldKey,
      position,
      id,
    ]);
  }

  async setPosition(id: string, position: number): Promise<void> {
    await this.sql.run('UPDATE attachments SET position = $1 WHERE id = $2', [position, id]);
  }

  /** After acceptance: the metadata stays, the scans are gone. */
  async forgetFiles(requestId: string): Promise<void> {
    await this.sql.run('UPDATE attachments SET stored_path = NULL WHERE request_id = $1', [requestId]);
  }

  /** Every attachment of a draft deleted with it (PgRegister.deleteDraft). */
  async deleteAll(requestId: string): Promise<void> {
    await this.sql.run('DELETE FROM attachments WHERE request_id = $1', [requestId]);
  }
}
