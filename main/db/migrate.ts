import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3…: applied in order, each exactly once, recorded in PRAGMA user_version. */
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}

/** Applies the migrations newer than the file, each in its own transaction. Returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migrations must be numbered 1..n without gaps (found ${m.version})`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = sorted.length;
  if (current > latest) {
    throw new Error(
      `the database is newer (version ${current}) than this app (version ${latest}): update Sportello`,
    );
  }
  const applied: number[] = [];
  for (const migration of sorted.slice(current)) {
    db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
