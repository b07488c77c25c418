import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { privateDir, privateFile } from '../files/private.ts';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations.ts';

export type { Database };

/**
 * Opens (creating if needed) the request log: WAL for a reader that never blocks the writer,
 * synchronous FULL because a stored remote id is what stands between a crash and a double charge,
 * secure_delete so that purged personal data does not survive in freed pages.
 */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') {
    // The log holds clients' data: the file (and the -wal, -shm SQLite makes like it) 0600.
    privateDir(dirname(file));
    privateFile(file);
  }
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted and overwritten rows are zeroed on disk, not left in free pages: a purge really removes.
  db.pragma('secure_delete = ON');
  migrate(db, MIGRATIONS);
  return db;
}
