import type { AttachmentInfo } from '../../common/requests.ts';
import type { Statements } from './statements.ts';

export interface AttachmentRow extends Omit<AttachmentInfo, 'thumbnail' | 'available'> {
  requestId: string;
  storedPath: string | null;
  createdAt: number;
}

/** A draft's files (`attachments`): which field, in which order, where the scan is kept. */
export class AttachmentRepository {
  private readonly s: Statements;

  constructor(s: Statements) {
    this.s = s;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.s.transaction(fn);
  }

  insert(a: AttachmentRow): void {
    this.s
      .prepare(
        `INSERT INTO attachments (id, request_id, field_key, position, file_name, source_kind, mime, size, pages, sha256, stored_path, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
  }

  of(requestId: string): AttachmentRow[] {
    return (
      this.s
        .prepare('SELECT * FROM attachments WHERE request_id = ? ORDER BY field_key, position')
        .all(requestId) as Record<string, unknown>[]
    ).map((r) => ({
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

  delete(requestId: string, id: string): void {
    this.s.prepare('DELETE FROM attachments WHERE request_id = ? AND id = ?').run(requestId, id);
  }

  setField(id: string, fieldKey: string, position: number): void {
    this.s
      .prepare('UPDATE attachments SET field_key = ?, position = ? WHERE id = ?')
      .run(fieldKey, position, id);
  }

  setPosition(id: string, position: number): void {
    this.s.prepare('UPDATE attachments SET position = ? WHERE id = ?').run(position, id);
  }

  /** After acceptance: the metadata stays, the scans are gone. */
  forgetFiles(requestId: string): void {
    this.s.prepare('UPDATE attachments SET stored_path = NULL WHERE request_id = ?').run(requestId);
  }

  /** Every attachment of a draft deleted with it (Store.deleteDraft). */
  deleteAll(requestId: string): void {
    this.s.prepare('DELETE FROM attachments WHERE request_id = ?').run(requestId);
  }
}
