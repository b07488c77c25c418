import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database.ts';
import { migrate } from '../../../main/db/migrate.ts';
import { MIGRATIONS } from '../../../main/db/migrations.ts';
import { tempDir } from '../../support/tmp.ts';

describe('database migrations', () => {
  it('builds the latest schema from an empty file, in WAL with foreign keys', () => {
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  for (let from = 1; from < MIGRATIONS.length; from++) {
    it(`upgrades a file left at version ${from}, keeping its rows`, () => {
      const file = join(tempDir(), 'pratiche.sqlite');
      const old = new BetterSqlite3(file);
      migrate(old, MIGRATIONS.slice(0, from));
      old
        .prepare("INSERT INTO events (request_id, kind, at, operator) VALUES (NULL, 'deleted', 1, 'test')")
        .run();
      old.close();
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
      db.close();
    });
  }

  it('does nothing to a file already at the latest version', () => {
    const file = join(tempDir(), 'pratiche.sqlite');
    openDatabase(file).close();
    const db = new BetterSqlite3(file);
    expect(migrate(db, MIGRATIONS)).toEqual([]);
    db.close();
  });

  it('refuses a file written by a newer version of the app', () => {
    const file = join(tempDir(), 'pratiche.sqlite');
    const db = new BetterSqlite3(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer/);
  });

  it('keeps the event trail append-only', () => {
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    db.prepare(
      "INSERT INTO events (request_id, kind, at, operator) VALUES (NULL, 'deleted', 1, 'test')",
    ).run();
    expect(() => db.prepare("UPDATE events SET operator = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    db.close();
  });
});
