import { existsSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archivedFile, sqliteOf, startApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { doneOn } from '../../support/office.ts';

/*
 * Registers written before names recorded this counter's absolute paths. At its first start on a
 * register, a counter names the rows under its own roots (archive, scans, clients' documents) and
 * leaves the others as they are — refused where they are used, and listed for Home. Once per
 * register: a path written absolute later is never trusted because of where it points.
 */
describe('paths recorded before names', () => {
  it('are named under this counter’s roots at its first start, and then open as before', async () => {
    const t = await startApp();
    const id = await doneOn(t);
    const draft = await congedoDraft(t.app);
    const db = sqliteOf(t.app);
    const archive = (await t.app.handlers['settings.get']()).archiveRoot;
    const drafts = join(t.root, 'userData', 'drafts');
    // As the version before names wrote them.
    db.prepare(`UPDATE documents SET path = ? || '${sep}' || replace(path, '/', '${sep}')`).run(archive);
    db.prepare(`UPDATE requests SET archive_folder = ? || '${sep}' || archive_folder WHERE id = ?`).run(
      archive,
      id,
    );
    db.prepare(`UPDATE attachments SET stored_path = ? || '${sep}' || stored_path WHERE request_id = ?`).run(
      drafts,
      draft,
    );
    // And one that another PC left: its archive, not this counter's.
    db.prepare(
      `UPDATE documents SET path = '/srv/altro-pc/Archivio/x.pdf' WHERE file_name = (
      SELECT min(file_name) FROM documents WHERE request_id = ?)`,
    ).run(id);
    expect(
      db.prepare('SELECT count(*) FROM documents WHERE path LIKE ?').pluck().get(`${archive}%`),
    ).toBeGreaterThan(0);

    await t.app.start();
    const docs = await t.app.internals.store.documents.of(id);
    const [other, ...named] = docs;
    expect(other!.path).toBe('/srv/altro-pc/Archivio/x.pdf');
    expect(named.length).toBeGreaterThan(0);
    for (const doc of named) {
      expect(doc.path.startsWith(archive)).toBe(false);
      expect(existsSync(await archivedFile(t, doc.path))).toBe(true);
    }
    expect((await t.app.internals.store.requests.get(id))?.archiveFolder).not.toContain(archive);
    const parts = await t.app.internals.store.attachments.of(draft);
    expect(parts.every((p) => p.storedPath?.startsWith(`${draft}/`))).toBe(true);
    const preview = await t.app.handlers['attachments.preview'](draft, parts[0]!.id);
    expect(preview.data.byteLength).toBeGreaterThan(0);

    await t.app.handlers['documents.open'](named[0]!.id);
    expect(t.ports.opener.opened).toEqual([await archivedFile(t, named[0]!.path)]);
    const detail = await t.app.handlers['requests.get'](id);
    expect(detail.archiveFolder?.startsWith(realpathSync(archive))).toBe(true);
    // The other PC's row is refused where used: opened from this counter's own copy instead.
    await t.app.handlers['documents.open'](other!.id);
    expect(t.ports.opener.opened.at(-1)?.startsWith(realpathSync(archive) + sep)).toBe(true);
    expect(await t.app.handlers['register.refusedPaths']()).toEqual([
      expect.objectContaining({ table: 'documents', rowId: other!.id, reason: 'absolute' }),
    ]);
  });

  it('are named once per register: an absolute path written afterwards is refused, not named', async () => {
    const t = await startApp();
    const id = await doneOn(t);
    await t.app.start();
    const archive = (await t.app.handlers['settings.get']()).archiveRoot;
    const [doc] = await t.app.internals.store.documents.of(id);
    const absolute = join(archive, ...doc!.path.split('/'));
    sqliteOf(t.app).prepare('UPDATE documents SET path = ? WHERE id = ?').run(absolute, doc!.id);

    const again = await t.restart();
    await again.app.start();
    expect((await again.app.internals.store.documents.get(doc!.id))?.path).toBe(absolute);
    await again.app.handlers['requests.get'](id);
    expect(await again.app.handlers['register.refusedPaths']()).toEqual([
      expect.objectContaining({ table: 'documents', rowId: doc!.id, reason: 'absolute' }),
    ]);
  });
});
