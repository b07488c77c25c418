import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archivedFile, type TestApp } from '../../support/app.ts';
import { doneOn, elsewhere, useOffice } from '../../support/office.ts';

/*
 * Retention at every counter of the office: the purge runs once, on whichever counter gets there
 * first, but each counter deletes its own files of the purged request (the leader's download, the
 * copies the others fetched) at its next retention run, even one that was closed at the time.
 */
const office = useOffice();
const DAY = 86_400_000;

async function retentionDays(t: TestApp, days: number): Promise<void> {
  t.ports.dialogs.answer({ confirm: true });
  await t.app.handlers['settings.update']({ retentionDays: days });
}

/** B opens every output of `id` from another PC: its own copy, fetched into its archive. */
async function copyOn(a: TestApp, b: TestApp, id: string): Promise<string[]> {
  const docs = await b.app.internals.store.documents.of(id);
  await elsewhere(a, async () => {
    for (const doc of docs) await b.app.handlers['documents.open'](doc.id);
  });
  const copies = b.ports.opener.opened.slice(-docs.length);
  const bFiles = await Promise.all(docs.map((d) => archivedFile(b, d.path)));
  const aFiles = await Promise.all(docs.map((d) => archivedFile(a, d.path)));
  expect(copies.every((p) => bFiles.includes(p) && existsSync(p))).toBe(true);
  expect(copies.some((p) => aFiles.includes(p))).toBe(false);
  return copies;
}

/** The counter's list of its own files in its archive: no client's name once they are gone. */
function listed(t: TestApp): string {
  const file = join(t.root, 'userData', 'archivio-copie.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

const gone = (paths: string[]) => paths.every((p) => !existsSync(p) && !existsSync(dirname(p)));

describe('retention of the outputs at every counter of the office', () => {
  it('deletes each counter’s own files at its next run, whoever purged, and a second run does nothing', async () => {
    const [a, b] = await office.pair();
    const id = await doneOn(a);
    const aFiles = await Promise.all(
      (await a.app.internals.store.documents.of(id)).map((d) => archivedFile(a, d.path)),
    );
    const bCopies = await copyOn(a, b, id);
    const cf = (await a.app.internals.store.requests.get(id))!.clientCf!;
    expect(listed(a)).toContain(cf);
    expect(listed(b)).toContain(cf);

    // B purges (from its own PC: A's recorded files are not on its disk), and its copy goes.
    await retentionDays(b, 30);
    a.clock.advance(31 * DAY);
    const report = await elsewhere(a, () => b.app.internals.retention.run());
    expect(report.purged).toBe(1);
    expect(gone(bCopies)).toBe(true);
    expect(existsSync((await b.app.handlers['settings.get']()).archiveRoot)).toBe(true);
    expect(listed(b)).not.toContain(cf);

    // A, with retention off itself, deletes its download at its next run all the same.
    expect(aFiles.every((p) => existsSync(p))).toBe(true);
    expect((await a.app.internals.retention.run()).purged).toBe(0);
    expect(gone(aFiles)).toBe(true);
    expect(existsSync((await a.app.handlers['settings.get']()).archiveRoot)).toBe(true);
    expect(listed(a)).not.toContain(cf);

    // Again: nothing to do, nothing fails.
    const before = [listed(a), listed(b)];
    expect(await a.app.internals.retention.run()).toMatchObject({ purged: 0 });
    expect(await b.app.internals.retention.run()).toMatchObject({ purged: 0 });
    expect([listed(a), listed(b)]).toEqual(before);
  });

  it('deletes the copy of a counter that was closed during the purge at its next start', async () => {
    const [a, b] = await office.pair();
    const id = await doneOn(a);
    const aFiles = await Promise.all(
      (await a.app.internals.store.documents.of(id)).map((d) => archivedFile(a, d.path)),
    );
    const bCopies = await copyOn(a, b, id);
    const cf = (await a.app.internals.store.requests.get(id))!.clientCf!;

    await b.app.close();
    await retentionDays(a, 30);
    a.clock.advance(31 * DAY);
    expect((await a.app.internals.retention.run()).purged).toBe(1);
    expect(gone(aFiles)).toBe(true);
    expect(bCopies.every((p) => existsSync(p))).toBe(true);

    const restarted = await b.restart();
    office.keep(restarted);
    await restarted.app.start();
    await restarted.app.internals.idle();
    expect(gone(bCopies)).toBe(true);
    expect(listed(restarted)).not.toContain(cf);
  });

  it('keeps a counter’s copy while its request is not purged', async () => {
    const [a, b] = await office.pair();
    const id = await doneOn(a);
    const bCopies = await copyOn(a, b, id);
    await retentionDays(b, 30);
    a.clock.advance(29 * DAY);
    expect((await b.app.internals.retention.run()).purged).toBe(0);
    expect(bCopies.every((p) => existsSync(p))).toBe(true);
  });
});
