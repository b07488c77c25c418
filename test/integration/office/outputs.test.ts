import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archivedFile, startApp, type TestApp } from '../../support/app.ts';
import { doneOn, elsewhere, useOffice } from '../../support/office.ts';
import { tempDir } from '../../support/tmp.ts';

/*
 * Outputs for every counter: only the tracker's leader downloads a finished request's outputs,
 * into its own archive folder; any other counter of the office opens them all the same, fetching
 * its own copy when the recorded file is not on its disk, and nothing when the office shares one
 * archive folder.
 */
const office = useOffice();

async function archiveAt(t: TestApp, folder: string): Promise<void> {
  t.ports.dialogs.answer({ folder }, { confirm: true });
  await t.app.handlers['settings.chooseFolder']('archiveRoot');
}

const downloads = (t: TestApp) => t.simulator.calls.get('GET /documento') ?? 0;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the outputs of a request, at every counter of the office', () => {
  it('are opened at a counter with its own archive folder: fetched there once, the records left as they were', async () => {
    const [a, b] = await office.pair();
    const id = await doneOn(a);
    const recorded = await b.app.internals.store.documents.of(id);
    expect(recorded.length).toBeGreaterThan(0);
    const doc = recorded[0]!;
    // The register names the file under the archive root, not A's folder on A's disk.
    expect(isAbsolute(doc.path)).toBe(false);
    const aFile = await archivedFile(a, doc.path);
    expect(existsSync(aFile)).toBe(true);
    const bFile = await archivedFile(b, doc.path);
    expect(existsSync(bFile)).toBe(false);

    // B's page offers them although their files are on A's disk.
    const detail = await b.app.handlers['requests.get'](id);
    expect(detail.documents.every((d) => d.available)).toBe(true);

    const before = downloads(a);
    await elsewhere(a, () => b.app.handlers['documents.open'](doc.id));
    expect(downloads(a)).toBe(before + 1);
    const opened = b.ports.opener.opened[0]!;
    expect(opened).toBe(bFile);
    expect(existsSync(opened)).toBe(true);
    expect(sha256(opened)).toBe(doc.sha256);

    // Once here, B's copy serves the next opens, printing and the folder; nothing fetched again.
    await elsewhere(a, async () => {
      await b.app.handlers['documents.open'](doc.id);
      const read = await b.app.handlers['documents.read'](doc.id);
      expect(createHash('sha256').update(read.data).digest('hex')).toBe(doc.sha256);
      await b.app.handlers['documents.showInFolder'](doc.id);
    });
    expect(b.ports.opener.opened).toEqual([opened, opened]);
    expect(b.ports.opener.shown).toEqual([opened]);
    expect(downloads(a)).toBe(before + 1);

    // The register still names A's files (ids and paths): A opens its own, without a download.
    expect(await a.app.internals.store.documents.of(id)).toEqual(recorded);
    await a.app.handlers['documents.open'](doc.id);
    expect(a.ports.opener.opened).toEqual([aFile]);
    expect(downloads(a)).toBe(before + 1);
    const row = (await a.app.internals.store.requests.get(id))!;
    expect(row).toMatchObject({ documentsState: 'ready', lastError: null });
    const trail = await a.app.internals.store.trail.of(id);
    expect(trail.filter((e) => e.kind === 'downloaded').map((e) => e.counter)).toEqual([
      'Ufficio-1',
      'Ufficio-2',
    ]);
  });

  it('are opened without any download when the office shares one archive folder', async () => {
    const [a, b] = await office.pair();
    const shared = tempDir();
    await archiveAt(a, shared);
    await archiveAt(b, shared);
    const id = await doneOn(a);
    const before = downloads(a);
    for (const doc of await b.app.internals.store.documents.of(id)) {
      expect(existsSync(join(shared, doc.path))).toBe(true);
      await b.app.handlers['documents.open'](doc.id);
      expect(b.ports.opener.opened.at(-1)).toBe(await archivedFile(b, doc.path));
    }
    expect(downloads(a)).toBe(before);
  });

  it('fetch nothing once retention purged them, and a failed fetch is an error in Italian that leaves the record as it was', async () => {
    const [a, b] = await office.pair();
    const id = await doneOn(a);
    const doc = (await b.app.internals.store.documents.of(id))[0]!;
    const before = downloads(a);

    a.simulator.faults.add({ kind: 'status', method: 'GET', path: '/documento', status: 503, times: 10 });
    const failed = await elsewhere(a, () =>
      b.app.handlers['documents.open'](doc.id).then(
        () => null,
        (error: unknown) => error,
      ),
    );
    expect(failed).toMatchObject({ details: { requestId: id, file: doc.fileName } });
    expect((failed as Error).message).toMatch(/non è su questo computer/u);
    expect(b.ports.opener.opened).toEqual([]);
    expect(await a.app.internals.store.requests.get(id)).toMatchObject({
      documentsState: 'ready',
      lastError: null,
    });
    expect((await a.app.internals.store.documents.of(id))[0]).toEqual(doc);
    a.simulator.faults.clear();

    await a.app.internals.store.transaction(async () => {
      await a.app.internals.store.purge(id);
      await a.app.internals.store.trail.add(id, 'purged', 'test', {});
    });
    const calls = downloads(a);
    await expect(elsewhere(a, () => b.app.handlers['documents.open'](doc.id))).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(downloads(a)).toBe(calls);
    expect(calls).toBeGreaterThan(before);
    expect(b.ports.opener.opened).toEqual([]);
  });

  it('on SQLite, a counter on its own opens its recorded files as before, and fetches back one deleted by hand into the same place', async () => {
    const t = await startApp();
    const id = await doneOn(t);
    const docs = await t.app.internals.store.documents.of(id);
    const file = await archivedFile(t, docs[0]!.path);
    const before = downloads(t);
    await t.app.handlers['documents.open'](docs[0]!.id);
    expect(t.ports.opener.opened).toEqual([file]);
    expect(downloads(t)).toBe(before);

    rmSync(file);
    await t.app.handlers['documents.open'](docs[0]!.id);
    expect(downloads(t)).toBe(before + 1);
    expect(t.ports.opener.opened).toEqual([file, file]);
    expect(sha256(file)).toBe(docs[0]!.sha256);
    expect(await t.app.internals.store.documents.of(id)).toEqual(docs);
  });
});
