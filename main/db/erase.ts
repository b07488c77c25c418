import { rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

/**
 * Empties an SQLite file, then removes it with its journal files: every table dropped with
 * secure_delete on (their pages are zeroed, not merely freed), the WAL checkpointed into the file
 * and truncated, the file rebuilt by VACUUM, and only then unlinked — so that its disk blocks hold
 * zeros rather than the log when they are freed. A missing file is nothing to do.
 */
export function eraseDatabaseFile(file: string): void {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') return removeFiles(file);
    throw error;
  }
  try {
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    // better-sqlite3 turns foreign keys on: a request's table would refuse to go before its rows'.
    db.pragma('foreign_keys = OFF');
    const objects = (type: string) =>
      db
        .prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%'`)
        .pluck()
        .all(type) as string[];
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    db.transaction(() => {
      // The trail's triggers refuse deletes: they go first. A virtual table drops its shadow tables.
      for (const name of objects('trigger')) db.exec(`DROP TRIGGER IF EXISTS ${quote(name)}`);
      for (const name of objects('view')) db.exec(`DROP VIEW IF EXISTS ${quote(name)}`);
      const tables = db
        .prepare(
          `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            ORDER BY sql LIKE 'CREATE VIRTUAL TABLE%' DESC`,
        )
        .pluck()
        .all() as string[];
      for (const name of tables) db.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  removeFiles(file);
}

function removeFiles(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(path, { force: true });
}
