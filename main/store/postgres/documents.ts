import type { DocumentRow, PurgedPath } from '../documents.ts';
import type { DocumentsPort } from '../port.ts';
import type { PgSql } from './sql.ts';

/** The outputs a request gave (`documents`) on the office database: documents.ts's meaning. */
export class PgDocuments implements DocumentsPort {
  private readonly sql: PgSql;
  private readonly now: () => number;

  constructor(sql: PgSql, now: () => number) {
    this.sql = sql;
    this.now = now;
  }

  async replace(
    requestId: string,
    docs: Omit<DocumentRow, 'requestId' | 'createdAt' | 'removedAt'>[],
  ): Promise<void> {
    await this.sql.transaction(async () => {
      await this.markRemoved(requestId);
      for (const d of docs)
        await this.sql.run(
          'INSERT INTO documents (id, request_id, file_name, path, kind, size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [d.id, requestId, d.fileName, d.path, d.kind, d.size, d.sha256, this.now()],
        );
    });
  }

  of(requestId: string): Promise<DocumentRow[]> {
    return this.where('request_id = $1 AND removed_at IS NULL ORDER BY file_name', requestId);
  }

  async get(id: string): Promise<DocumentRow | null> {
    return (await this.where('id = $1', id))[0] ?? null;
  }

  /** Files of purged requests that no live record shares: what an interrupted purge may have left. */
  async purgedPaths(): Promise<PurgedPath[]> {
    const rows = await this.sql.rows<{ id: string; request_id: string; path: string }>(
      `SELECT d.id, d.request_id, d.path FROM documents d JOIN requests r ON r.id = d.request_id
       WHERE r.purged_at IS NOT NULL AND d.removed_at IS NOT NULL AND d.path <> ''
         AND NOT EXISTS (SELECT 1 FROM documents l WHERE l.path = d.path AND l.removed_at IS NULL)
       ORDER BY d.id`,
    );
    return rows.map((r) => ({ id: r.id, requestId: r.request_id, path: r.path }));
  }

  /**
   * Once their files are gone, purged requests' document paths go too: the folder names carry the
   * client's name and codice fiscale. File names, sizes and hashes stay for the trail.
   */
  async forgetPurgedPaths(): Promise<void> {
    await this.sql.run(
      `UPDATE documents SET path = '' WHERE path <> '' AND removed_at IS NOT NULL
       AND request_id IN (SELECT id FROM requests WHERE purged_at IS NOT NULL)`,
    );
  }

  async markRemoved(requestId: string): Promise<void> {
    await this.sql.run('UPDATE documents SET removed_at = $1 WHERE request_id = $2 AND removed_at IS NULL', [
      this.now(),
      requestId,
    ]);
  }

  /** How many live documents each request has (the list's column). */
  async counts(ids: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!ids.length) return counts;
    const rows = await this.sql.rows<{ request_id: string; n: number }>(
      `SELECT request_id, count(*) AS n FROM documents WHERE removed_at IS NULL AND request_id = ANY($1::text[])
       GROUP BY request_id`,
      [ids],
    );
    for (const r of rows) counts.set(r.request_id, r.n);
    return counts;
  }

  private async where(condition: string, ...params: unknown[]): Promise<DocumentRow[]> {
    const rows = await this.sql.rows(`SELECT * FROM documents WHERE ${condition}`, params);
    return rows.map((r) => ({
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
}
