import { beforeEach, describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import type { DocumentRow } from '../../../main/store/documents.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * A request's outputs on both adapters: replaced on a new download (the old ones marked removed,
 * not deleted), read live by name, counted per request, and the paths of purged requests' files
 * found and then forgotten.
 */
const adapters = useRegisters();

type NewDocument = Omit<DocumentRow, 'requestId' | 'createdAt' | 'removedAt'>;

const doc = (id: string, fileName: string, path = `/archivio/Rossi Mario/${fileName}`): NewDocument => ({
  id,
  fileName,
  path,
  kind: 'pdf',
  size: 5_000_000_000,
  sha256: id.padEnd(64, 'f'),
});

describe.each(adapters)('documents on $name', (adapter) => {
  let t = 1_700_000_000_000;
  const now = () => t;
  beforeEach(() => {
    t = 1_700_000_000_000;
  });

  it('stores a request’s documents and reads the live ones by file name', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1' }));
    await store.requests.insert(requestRow({ id: 'r2' }));
    const b = doc('d1', 'b.pdf');
    const a = doc('d2', 'a.pdf');
    const upper = doc('d3', 'Z.pdf');
    await store.documents.replace('r1', [b, a, upper]);
    await store.documents.replace('r2', [doc('d4', 'c.pdf')]);

    const live = (d: NewDocument) => ({ ...d, requestId: 'r1', createdAt: t, removedAt: null });
    // Byte-wise on both: upper case first.
    expect(await store.documents.of('r1')).toEqual([live(upper), live(a), live(b)]);
    expect(await store.documents.get('d2')).toEqual(live(a));
    expect(await store.documents.get('nope')).toBeNull();
    expect(await store.documents.of('r3')).toEqual([]);
  });

  it('replaces the documents: the old ones are marked removed, not deleted', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1' }));
    await store.requests.insert(requestRow({ id: 'r2' }));
    await store.documents.replace('r1', [doc('d1', 'a.pdf'), doc('d2', 'b.pdf')]);
    await store.documents.replace('r2', [doc('d9', 'z.pdf')]);
    t += 1000;
    await store.documents.replace('r1', [doc('d3', 'c.pdf')]);

    expect(await store.documents.of('r1')).toEqual([
      { ...doc('d3', 'c.pdf'), requestId: 'r1', createdAt: t, removedAt: null },
    ]);
    expect(await store.documents.get('d1')).toEqual({
      ...doc('d1', 'a.pdf'),
      requestId: 'r1',
      createdAt: t - 1000,
      removedAt: t,
    });
    expect((await store.documents.get('d2'))?.removedAt).toBe(t);
    expect((await store.documents.of('r2')).map((d) => d.id)).toEqual(['d9']);

    // An empty replacement removes them all; a removed one keeps its time of removal.
    t += 1000;
    await store.documents.replace('r1', []);
    expect(await store.documents.of('r1')).toEqual([]);
    expect((await store.documents.get('d3'))?.removedAt).toBe(t);
    expect((await store.documents.get('d1'))?.removedAt).toBe(t - 1000);
  });

  it('replaces all or nothing: a failing insert keeps the old documents live', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1' }));
    await store.documents.replace('r1', [doc('d1', 'a.pdf')]);
    t += 1000;
    // d1 again: the primary key refuses it after d2 went in.
    await expect(store.documents.replace('r1', [doc('d2', 'b.pdf'), doc('d1', 'c.pdf')])).rejects.toThrow(
      /UNIQUE|duplicate key/,
    );

    expect(await store.documents.of('r1')).toEqual([
      { ...doc('d1', 'a.pdf'), requestId: 'r1', createdAt: t - 1000, removedAt: null },
    ]);
    expect(await store.documents.get('d2')).toBeNull();
  });

  it('marks a request’s documents removed', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1' }));
    await store.requests.insert(requestRow({ id: 'r2' }));
    await store.documents.replace('r1', [doc('d1', 'a.pdf'), doc('d2', 'b.pdf')]);
    await store.documents.replace('r2', [doc('d3', 'a.pdf')]);
    t += 500;

    await store.documents.markRemoved('r1');
    expect(await store.documents.of('r1')).toEqual([]);
    expect((await store.documents.get('d1'))?.removedAt).toBe(t);
    expect((await store.documents.get('d2'))?.removedAt).toBe(t);
    expect((await store.documents.get('d3'))?.removedAt).toBeNull();
  });

  it('counts the live documents of the requests asked for', async () => {
    const store = await adapter.open(now);
    for (const id of ['r1', 'r2', 'r3', 'r4']) await store.requests.insert(requestRow({ id }));
    await store.documents.replace('r1', [doc('d1', 'a.pdf'), doc('d2', 'b.pdf')]);
    await store.documents.replace('r1', [doc('d3', 'a.pdf'), doc('d4', 'b.pdf'), doc('d5', 'c.pdf')]);
    await store.documents.replace('r2', [doc('d6', 'a.pdf')]);
    await store.documents.replace('r3', [doc('d7', 'a.pdf')]);
    await store.documents.markRemoved('r3');
    await store.documents.replace('r4', [doc('d8', 'a.pdf')]);

    const counts = await store.documents.counts(['r1', 'r2', 'r3', 'nobody']);
    expect([...counts.entries()].sort()).toEqual([
      ['r1', 3],
      ['r2', 1],
    ]);
    expect((await store.documents.counts([])).size).toBe(0);
  });

  it('finds the files purged requests left, unless a live document shares them, then forgets them', async () => {
    const store = await adapter.open(now);
    for (const id of ['purged', 'live', 'other']) await store.requests.insert(requestRow({ id }));
    await store.documents.replace('purged', [
      doc('d1', 'a.pdf', 'Rossi/2025/a.pdf'),
      doc('d2', 'b.pdf', 'shared/2025/b.pdf'),
      doc('d3', 'c.pdf', ''),
      doc('d4', 'd.pdf', 'Rossi/2025/d.pdf'),
      doc('d5', 'e.pdf', 'Rossi/2025/a.pdf'),
    ]);
    await store.documents.replace('live', [doc('d6', 'b.pdf', 'shared/2025/b.pdf')]);
    // Removed, but its request is not purged: its file is not an orphan of a purge.
    await store.documents.replace('other', [doc('d7', 'x.pdf', 'Bianchi/2025/x.pdf')]);
    await store.documents.markRemoved('other');
    expect(await store.documents.purgedPaths()).toEqual([]);

    await store.documents.markRemoved('purged');
    await store.requests.markPurged('purged');

    // Each row with its ids (two rows may name one file): the name is checked before a delete.
    expect(await store.documents.purgedPaths()).toEqual([
      { id: 'd1', requestId: 'purged', path: 'Rossi/2025/a.pdf' },
      { id: 'd4', requestId: 'purged', path: 'Rossi/2025/d.pdf' },
      { id: 'd5', requestId: 'purged', path: 'Rossi/2025/a.pdf' },
    ]);

    await store.documents.forgetPurgedPaths();
    expect(await store.documents.purgedPaths()).toEqual([]);
    expect(
      await Promise.all(
        ['d1', 'd2', 'd3', 'd4', 'd5'].map(async (id) => (await store.documents.get(id))?.path),
      ),
    ).toEqual(['', '', '', '', '']);
    // File names, sizes and hashes stay; documents of other requests keep their paths.
    expect(await store.documents.get('d1')).toMatchObject({ fileName: 'a.pdf', size: 5_000_000_000 });
    expect((await store.documents.get('d6'))?.path).toBe('shared/2025/b.pdf');
    expect((await store.documents.get('d7'))?.path).toBe('Bianchi/2025/x.pdf');
  });

  it('forgets no path of a purged request’s live document', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1' }));
    await store.documents.replace('r1', [doc('d1', 'a.pdf', 'Rossi/2025/a.pdf')]);
    await store.requests.markPurged('r1');

    expect(await store.documents.purgedPaths()).toEqual([]);
    await store.documents.forgetPurgedPaths();
    expect((await store.documents.get('d1'))?.path).toBe('Rossi/2025/a.pdf');
  });
});
