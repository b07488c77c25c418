import type { RootKind } from '../files/roots.ts';
import type { Statements } from './statements.ts';

/** The register's columns that name files, by the root of this counter the names are under. */
export const RECORDED_PATHS: Record<RootKind, readonly { table: string; column: string }[]> = {
  archive: [
    { table: 'documents', column: 'path' },
    { table: 'requests', column: 'archive_folder' },
  ],
  drafts: [{ table: 'attachments', column: 'stored_path' }],
  // Documents on file are sealed in the register itself (migration 011): they name no file.
  clients: [],
};

/**
 * The columns that name files, as a whole: the register's identity (what a counter remembers it
 * already looked at) and the rewrite of the absolute paths written before names were recorded.
 */
export class RecordedPaths {
  private readonly s: Statements;

  constructor(s: Statements) {
    this.s = s;
  }

  /** The register's own id, made once by its migration (register_identity). */
  identity(): string {
    return this.s.prepare('SELECT id FROM register_identity').pluck().get() as string;
  }

  /**
   * Every row naming a file by its absolute path under `prefix` (a root of this counter and its
   * separator, as paths were written before) now names it relative to that root, with `/`. Other
   * rows are left as they are: refused where they are used. Returns how many rows changed.
   */
  relativise(kind: RootKind, prefix: string, separator: string): number {
    return this.s.transaction(() => {
      let changed = 0;
      for (const { table, column } of RECORDED_PATHS[kind])
        changed += this.s
          .prepare(
            `UPDATE ${table} SET ${column} = replace(substr(${column}, length(?) + 1), ?, '/')
             WHERE substr(${column}, 1, length(?)) = ?`,
          )
          .run(prefix, separator, prefix, prefix).changes;
      return changed;
    });
  }
}
