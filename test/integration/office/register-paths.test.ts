import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import type { PgSql } from '../../../main/store/postgres/sql.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import type { TestApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { doneOn, useOffice } from '../../support/office.ts';

/*
 * Paths from the register are names, not orders. Two counters share one register; «Ufficio-1»
 * (or anyone holding the database's password) writes rows with SQL whose paths lead out of
 * «Ufficio-2»'s folders — `..`, absolute, UNC, a symbolic link inside its archive pointing out —
 * with the sha256 of the very file they aim at. «Ufficio-2» opens, shows, reads, previews, reuses
 * and runs retention: nothing outside its own folders is opened, read or deleted, and every such
 * row is listed for Home («Da controllare»).
 */
const office = useOffice();
const DAY = 86_400_000;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The register as the hostile counter writes it: plain SQL on the office database. */
const sqlOf = (t: TestApp): PgSql => {
  const store = t.app.internals.store;
  if (!(store instanceof PgRegister)) throw new Error('not on the office register');
  return store.sql;
};

/** Files of the clerk's at `t`, outside Sportello's folders, and B's archive with a link leading to them. */
function victimFiles(t: TestApp) {
  const personal = join(t.root, 'Documenti personali');
  mkdirSync(personal, { recursive: true });
  const files = ['segreto.pdf', 'contratto.pdf', 'busta-paga.pdf', 'collegato.pdf'].map((name) => {
    const path = join(personal, name);
    writeFileSync(path, `%PDF-1.4 ${name} di chi lavora a questo sportello`);
    return path;
  });
  const archive = join(t.root, 'Archivio');
  mkdirSync(archive, { recursive: true });
  symlinkSync(personal, join(archive, 'Rossi Mario – collegamento'));
  return { personal, files, archive };
}

/** The names a hostile counter writes for `files`: `..`, absolute, UNC, through the link. */
const hostileNames = (files: string[]) => [
  `../Documenti personali/segreto.pdf`,
  files[1]!,
  '\\\\fileserver\\condivisa\\busta-paga.pdf',
  'Rossi Mario – collegamento/collegato.pdf',
];

async function insertDocuments(sql: PgSql, requestId: string, names: string[], files: string[]) {
  const ids: string[] = [];
  for (const [i, name] of names.entries()) {
    const id = randomUUID();
    ids.push(id);
    await sql.run(
      `INSERT INTO documents (id, request_id, file_name, path, kind, size, sha256, created_at)
       VALUES ($1, $2, $3, $4, 'pdf', 100, $5, 1)`,
      [id, requestId, `ostile-${i}.pdf`, name, sha256(files[i]!)],
    );
  }
  return ids;
}

function insideOnly(t: TestApp, paths: string[]): void {
  const archive = realpathSync(join(t.root, 'Archivio'));
  for (const path of paths) expect(path.startsWith(archive + sep), path).toBe(true);
}

describe('paths another counter wrote into the office register', () => {
  it('open, show, read and list nothing outside this counter’s archive', async () => {
    const [a, b] = await office.pair();
    const id = await doneOn(a);
    const { files } = victimFiles(b);
    const sql = sqlOf(a);
    // The reproduction: an existing document row pointed elsewhere, with the target's hash.
    const [first] = await a.app.internals.store.documents.of(id);
    await sql.run('UPDATE documents SET path = $1, sha256 = $2 WHERE id = $3', [
      '../'.repeat(16) + files[0]!.slice(1),
      sha256(files[0]!),
      first!.id,
    ]);
    const names = hostileNames(files);
    const ids = await insertDocuments(sql, id, names, files);
    await sql.run('UPDATE requests SET archive_folder = $1 WHERE id = $2', ['\\\\fileserver\\condivisa', id]);

    const detail = await b.app.handlers['requests.get'](id);
    expect(detail.archiveFolder).toBeNull();
    for (const doc of detail.documents) if (doc.path) insideOnly(b, [doc.path]);

    for (const doc of [first!.id, ...ids]) {
      await b.app.handlers['documents.open'](doc).catch(() => null);
      await b.app.handlers['documents.showInFolder'](doc).catch(() => null);
      const read = await b.app.handlers['documents.read'](doc).catch(() => null);
      if (read) expect(new TextDecoder().decode(read.data)).not.toMatch(/di chi lavora/u);
    }
    insideOnly(b, [...b.ports.opener.opened, ...b.ports.opener.shown]);
    for (const file of files) {
      expect(b.ports.opener.opened).not.toContain(file);
      expect(b.ports.opener.shown).not.toContain(file);
    }

    const refused = await b.app.handlers['register.refusedPaths']();
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'documents', rowId: first!.id, reason: 'parent' }),
        expect.objectContaining({ table: 'documents', rowId: ids[0], reason: 'parent' }),
        expect.objectContaining({ table: 'documents', rowId: ids[1], reason: 'absolute' }),
        expect.objectContaining({ table: 'documents', rowId: ids[2], reason: 'unc' }),
        expect.objectContaining({ table: 'documents', rowId: ids[3], reason: 'outside' }),
        expect.objectContaining({ table: 'requests', rowId: id, requestId: id, reason: 'unc' }),
      ]),
    );
    // Logged by code and row, never by the path.
    const logs = join(b.root, 'userData', 'logs');
    const log = readdirSync(logs)
      .map((file) => readFileSync(join(logs, file), 'utf8'))
      .join('');
    expect(log).toMatch(/register path refused/u);
    expect(log).not.toMatch(/Documenti personali|fileserver|collegamento/u);
  });

  it('preview no scan that lies outside this counter’s folders', async () => {
    const [a, b] = await office.pair();
    const { files } = victimFiles(b);
    const sql = sqlOf(a);
    const draft = await congedoDraft(b.app);
    const [part] = await b.app.internals.store.attachments.of(draft);
    await sql.run('UPDATE attachments SET stored_path = $1 WHERE id = $2', [files[0], part!.id]);
    await expect(b.app.handlers['attachments.preview'](draft, part!.id)).rejects.toMatchObject({
      code: 'register_path_refused',
    });

    // (Documents on file name no file: they are sealed in the register itself.)
    expect((await b.app.handlers['register.refusedPaths']()).map((r) => [r.table, r.reason])).toEqual(
      expect.arrayContaining([['attachments', 'absolute']]),
    );
  });

  it('make retention delete nothing outside this counter’s folders', async () => {
    const [a, b] = await office.pair();
    const id = await doneOn(a);
    const { files, personal } = victimFiles(b);
    const sql = sqlOf(a);
    await insertDocuments(sql, id, hostileNames(files), files);
    // A stale draft whose very id climbs out of the drafts folder.
    await a.app.internals.store.requests.insert(
      requestRow({ id: '../../Documenti personali', status: 'draft', createdAt: 1, updatedAt: 1 }),
    );
    const draft = await congedoDraft(b.app);
    const [part] = await b.app.internals.store.attachments.of(draft);
    await sql.run('UPDATE attachments SET stored_path = $1 WHERE id = $2', [
      `${draft}/../../../Documenti personali/segreto.pdf`,
      part!.id,
    ]);
    await b.app.handlers['attachments.remove'](draft, part!.id);

    b.ports.dialogs.answer({ confirm: true });
    await b.app.handlers['settings.update']({ retentionDays: 30 });
    b.clock.advance(31 * DAY);
    // The daily run as the app starts it: the requests' retention, then the clients' documents.
    await b.app.start();
    await b.app.internals.idle();
    expect((await b.app.internals.store.requests.get(id))?.purgedAt).not.toBeNull();

    for (const file of files) expect(existsSync(file), file).toBe(true);
    expect(existsSync(personal)).toBe(true);
    const refused = await b.app.handlers['register.refusedPaths']();
    expect(new Set(refused.map((r) => `${r.table}:${r.reason}`))).toEqual(
      new Set([
        'documents:parent',
        'documents:absolute',
        'documents:unc',
        'documents:outside',
        'attachments:parent',
        'requests:parent',
      ]),
    );
  });
});
