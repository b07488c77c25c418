import type { OutputDocument } from '../../common/requests.ts';
import type { Statements } from './statements.ts';

export interface DocumentRow extends Omit<OutputDocument, 'available'> {
  /** Recorded as a name under the archive root (`<client>/<request>/<file>`), '' once purged. */
  path: string;
  requestId: string;
  sha256: string;
  createdAt: number;
  removedAt: number | null;
}

/** A purged request's document whose file may still be on disk. */
export interface PurgedPath {
  id: string;
  requestId: string;
  /** Its name under the archive root, as recorded. */
  path: string;
}

/** The outputs a request gave (`documents`): the files in the archive, replaced on a new download. */
export class DocumentRepository {
  private readonly s: Statements;
  private readonly now: () => number;

  constructor(s: Statements, now: () => number) {
    this.s = s;
    this.now = now;
  }

  replace(requestId: string, docs: Omit<DocumentRow, 'requestId' | 'createdAt' | 'removedAt'>[]): void {
    this.s.transaction(() => {
      this.s
        .prepare('UPDATE documents SET removed_at = ? WHERE request_id = ? AND removed_at IS NULL')
        .run(this.now(), requestId);
      const insert = this.s.prepare(
        'INSERT INTO documents (id, request_id, file_name, path, kind, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const d of docs)
        insert.run(d.id, requestId, d.fileName, d.path, d.kind, d.size, d.sha256, this.now());
    });
  }

  of(requestId: string): DocumentRow[] {
    return this.where('request_id = ? AND removed_at IS NULL ORDER BY file_name', requestId);
  }

  get(id: string): DocumentRow | null {
    return this.where('id = ?', id)[0] ?? null;
  }

  /**
   * Files of purged requests that no live record shares: what an interrupted purge may have left.
   * One entry per row (rows may share a name), with its ids: a name is checked before any delete.
   */
  purgedPaths(): PurgedPath[] {
    return (
      this.s
        .prepare(
          `SELECT d.id, d.request_id, d.path FROM documents d JOIN requests r ON r.id = d.request_id
         WHERE r.purged_at IS NOT NULL AND d.removed_at IS NOT NULL AND d.path != ''
           AND NOT EXISTS (SELECT 1 FROM documents l WHERE l.path = d.path AND l.removed_at IS NULL)
         ORDER BY d.id`,
        )
        .all() as { id: string; request_id: string; path: string }[]
    ).map((r) => ({ id: r.id, requestId: r.request_id, path: r.path }));
  }

  /**
   * Once their files are gone, purged requests' document paths go too: the folder names carry the
   * client's name and codice fiscale. File names, sizes and hashes stay for the trail.
   */
  forgetPurgedPaths(): void {
    this.s
      .prepare(
        `UPDATE documents SET path = '' WHERE path != '' AND removed_at IS NOT NULL
         AND request_id IN (SELECT id FROM requests WHERE purged_at IS NOT NULL)`,
      )
      .run();
  }

  markRemoved(requestId: string): void {
    this.s
      .prepare('UPDATE documents SET removed_at = ? WHERE request_id = ? AND removed_at IS NULL')
      .run(this.now(), requestId);
  }

  private where(sql: string, ...params: unknown[]): DocumentRow[] {
    return (
      this.s.prepare(`SELECT * FROM documents WHERE ${sql}`).all(...params) as Record<string, unknown>[]
    ).map((r) => ({
      id: r.id as string,
      requestId: r.request_id as string,
      fileName: r.file_name as string,
      path: r.path as string,
      kind: r.kind as string,
      size: r.size as number,
      sha256: r.sha256 as string,
      createdAt: r.created_at as number,
      removedAt: r.removed_at as number | null,
    }));
  }

  /** How many live documents each request has (the list's column). */
  counts(ids: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    if (!ids.length) return counts;
    const rows = this.s
      .prepare(
        `SELECT request_id, count(*) AS n FROM documents WHERE removed_at IS NULL AND request_id IN (${ids.map(() => '?').join(', ')}) GROUP BY request_id`,
      )
      .all(...ids) as { request_id: string; n: number }[];
    for (const r of rows) counts.set(r.request_id, r.n);
    return counts;
  }
}
