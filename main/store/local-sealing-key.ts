import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

/**
 * The sealing key of before kept in this counter's own SQLite log (wrapped by its OS keystore), read
 * without changing the file: on an office the log stays on the PC, not used, and the key that
 * sealed this counter's documents of before is there only (the office's `sealing_key` holds the
 * first counter's). Null when there is no log, no such table or no key.
 */
export function localSealingKey(file: string): string | null {
  if (!existsSync(file)) return null;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sealing_key'")
      .get();
    if (!table) return null;
    const row = db.prepare('SELECT wrapped FROM sealing_key WHERE id = 1').get() as
      { wrapped: string } | undefined;
    return row?.wrapped ?? null;
  } finally {
    db.close();
  }
}
