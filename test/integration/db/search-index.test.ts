import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import { openDatabase } from '../../../main/db/database.ts';
import { TEXT_KEY_ROWID_BITS, textKey } from '../../../main/db/text-key.ts';
import { migrate } from '../../../main/db/migrate.ts';
import { MIGRATIONS } from '../../../main/db/migrations.ts';
import { RequestRepository } from '../../../main/store/requests.ts';
import { tempDir } from '../../support/tmp.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const found = (repo: RequestRepository, text: string, range: { from?: number; to?: number } = {}) =>
  repo
    .search({ text, limit: 100, ...range })
    .rows.map((r) => r.id)
    .sort();

describe('request text index (migration 003)', () => {
  it('follows inserts, renames, purges and deletes', () => {
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    const repo = new RequestRepository(db, () => 0);
    repo.insert(requestRow({ id: id(1), clientCognome: 'Bianchi', clientNome: 'Anna', createdAt: 5_000 }));
    repo.insert(requestRow({ id: id(2), status: 'draft', clientCognome: 'Verdi', createdAt: 6_000 }));
    expect(found(repo, 'bianchi')).toEqual([id(1)]);

    repo.update(id(1), { clientCognome: null, clientNome: null, clientCf: null });
    expect(found(repo, 'bianchi')).toEqual([]);
    repo.update(id(2), { clientCognome: 'Neri', status: 'pending' });
    expect(found(repo, 'verdi')).toEqual([]);
    expect(found(repo, 'neri')).toEqual([id(2)]);

    db.prepare("UPDATE requests SET status = 'draft' WHERE id = ?").run(id(2));
    repo.deleteDraft(id(2));
    expect(found(repo, 'neri')).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM requests_text').get()).toEqual({ n: 1 });
    db.close();
  });

  it('keeps date ranges exact to the millisecond, across seconds and before 1970', () => {
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    const repo = new RequestRepository(db, () => 0);
    const times = [-2_500, -1_000, -1, 0, 999, 1_000, 1_001, 1_999, 2_000, 1_800_000_000_123];
    times.forEach((createdAt, i) =>
      repo.insert(requestRow({ id: id(i), clientCognome: 'Rossi', createdAt })),
    );
    for (const from of times)
      for (const to of times) {
        const expected = times.flatMap((t, i) => (t >= from && t <= to ? [id(i)] : [])).sort();
        expect(found(repo, 'rossi', { from, to })).toEqual(expected);
      }
    expect(found(repo, 'rossi', { from: 1_000 })).toHaveLength(5);
    expect(found(repo, 'rossi', { to: 0 })).toHaveLength(4);
    db.close();
  });

  it('indexes the rows already there when a file is upgraded', () => {
    const file = join(tempDir(), 'pratiche.sqlite');
    const old = new BetterSqlite3(file);
    migrate(old, MIGRATIONS.slice(0, 2));
    // Written as the app of version 2 wrote it: today's repository knows columns added since.
    old
      .prepare(
        `INSERT INTO requests (id, environment, service_hash, service_name, client_cognome, client_cf, status, created_at, updated_at)
         VALUES (?, 'sandbox', ?, 'Indennità per congedo parentale', 'De Luca', 'DLCMRA80A01H501U', 'done', ?, ?)`,
      )
      .run(id(1), '8a7c8386fff43d28182cfa2ad24a3532', 1_700_000_000_000, 1_700_000_000_000);
    old.close();
    const db = openDatabase(file);
    const repo = new RequestRepository(db, () => 0);
    expect(found(repo, 'luca dlcmra')).toEqual([id(1)]);
    expect(found(repo, 'luca', { from: 1_700_000_000_001 })).toEqual([]);
    db.close();
  });

  it('keys the index as the code queries it: the migration’s frozen formula and text-key.ts agree', () => {
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    const repo = new RequestRepository(db, () => 0);
    const times = [-5_000_000_000_000, -1, 0, 999, 1_700_000_000_123, 8_100_000_000_000_000];
    times.forEach((createdAt, i) => repo.insert(requestRow({ id: id(i + 1), createdAt })));
    for (const [i, createdAt] of times.entries()) {
      const { rowid } = db.prepare('SELECT rowid FROM requests WHERE id = ?').get(id(i + 1)) as {
        rowid: number;
      };
      // Keys pass 2^53 for the far times: read them as BigInt, as SQLite holds them.
      const expected = (
        db
          .prepare(`SELECT ${textKey('?')} + ? AS key`)
          .safeIntegers(true)
          .get(BigInt(createdAt), BigInt(rowid)) as { key: bigint }
      ).key;
      const indexed = db.prepare('SELECT count(*) AS n FROM requests_text WHERE rowid = ?').get(expected) as {
        n: number;
      };
      expect(indexed.n, String(createdAt)).toBe(1);
      expect(Number(BigInt.asUintN(64, expected) & BigInt(TEXT_KEY_ROWID_BITS - 1))).toBe(rowid);
    }
    db.close();
  });
});
