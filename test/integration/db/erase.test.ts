import { existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import { openDatabase } from '../../../main/db/database.ts';
import { eraseDatabaseFile } from '../../../main/db/erase.ts';
import { Store } from '../../../main/store/store.ts';
import { CLIENT, traces } from '../../support/personal-data.ts';
import { tempDir } from '../../support/tmp.ts';

describe('erasing the local log (after its move into the office)', () => {
  it('zeroes what it held before removing the file and its journals', () => {
    const dir = tempDir();
    const file = join(dir, 'pratiche.sqlite');
    const db = openDatabase(file);
    const store = new Store(db, () => Date.now());
    for (let i = 0; i < 50; i++)
      store.requests.insert(
        requestRow({
          id: `r${i}`,
          clientNome: CLIENT.nome,
          clientCognome: CLIENT.cognome,
          clientCf: CLIENT.cf,
          clientEmail: CLIENT.email,
          clientPhone: CLIENT.phone,
        }),
      );
    store.trail.add('r1', 'created', 'anna', { nome: CLIENT.nome });
    // A second name for the same bytes: what the disk keeps once the file's name is gone.
    const inode = join(dir, 'same-inode');
    linkSync(file, inode);
    db.close(); // the WAL checkpointed into the file
    expect(traces(readFileSync(inode).toString('latin1'), { trigrams: false }).length).toBeGreaterThan(0);

    eraseDatabaseFile(file);

    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(existsSync(path), path).toBe(false);
    expect(traces(readFileSync(inode).toString('latin1'), { trigrams: false })).toEqual([]);
  });

  it('is nothing to do when there is no file, and refuses none that is not a database', () => {
    const dir = tempDir();
    expect(() => eraseDatabaseFile(join(dir, 'pratiche.sqlite'))).not.toThrow();
    writeFileSync(join(dir, 'other.sqlite'), 'not a database at all, but a text file long enough');
    expect(() => eraseDatabaseFile(join(dir, 'other.sqlite'))).toThrow();
    expect(existsSync(join(dir, 'other.sqlite'))).toBe(true);
  });
});
