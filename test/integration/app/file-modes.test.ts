import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database.ts';
import { startApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { tempDir } from '../../support/tmp.ts';

/*
 * What holds personal data on this PC is the clerk's account's only: folders 0700, files 0600,
 * read back with stat. The umask is opened wide for the test: the modes must not depend on it.
 * (Windows has no such modes: the profile's ACL protects userData there.)
 */
const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('the modes of personal data at rest', () => {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('are 0700 for the folders and 0600 for the scans, thumbnails, log, its journals and the logs', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    const userData = join(t.root, 'userData');
    const drafts = join(userData, 'drafts');
    const scans = readdirSync(join(drafts, id));
    expect(scans.filter((n) => n.endsWith('.thumb')).length).toBeGreaterThan(0);

    const folders = [userData, drafts, join(drafts, id), join(userData, 'logs')];
    const files = [
      ...scans.map((n) => join(drafts, id, n)),
      ...['pratiche.sqlite', 'pratiche.sqlite-wal', 'pratiche.sqlite-shm'].map((n) => join(userData, n)),
      ...readdirSync(join(userData, 'logs')).map((n) => join(userData, 'logs', n)),
    ];
    expect(Object.fromEntries(folders.map((f) => [f, mode(f)]))).toEqual(
      Object.fromEntries(folders.map((f) => [f, 0o700])),
    );
    expect(Object.fromEntries(files.map((f) => [f, mode(f)]))).toEqual(
      Object.fromEntries(files.map((f) => [f, 0o600])),
    );
  });

  it('are 0600 for the held drafts file and its journals, opened as the log is', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'bozze-in-attesa.sqlite'));
    db.exec('CREATE TABLE t (x)');
    for (const name of ['bozze-in-attesa.sqlite', 'bozze-in-attesa.sqlite-wal', 'bozze-in-attesa.sqlite-shm'])
      expect(mode(join(dir, name)), name).toBe(0o600);
    db.close();
  });
});
