import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import type { Register } from '../../../main/store/port.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The columns that name files, as a whole, on both adapters: the register's identity, and the
 * absolute paths written before names turned into names under one root — that root's rows only,
 * the prefix compared as text (no pattern), Windows' backslashes made slashes.
 */
const adapters = useRegisters();

async function seed(store: Register, root: string, sep: string) {
  const under = (...parts: string[]) => [root, ...parts].join(sep);
  await store.requests.insert(requestRow({ id: 'r1', archiveFolder: under('Rossi Mario', '2026 Congedo') }));
  await store.requests.insert(requestRow({ id: 'r2', archiveFolder: '/altrove/Bianchi/2025' }));
  await store.documents.replace('r1', [
    {
      id: 'd1',
      fileName: 'a.pdf',
      path: under('Rossi Mario', '2026 Congedo', 'a.pdf'),
      kind: 'pdf',
      size: 1,
      sha256: 'a',
    },
    // Another counter's folder whose name only starts like this root's: not under it.
    { id: 'd2', fileName: 'b.pdf', path: `${root}-vecchio${sep}b.pdf`, kind: 'pdf', size: 1, sha256: 'b' },
    {
      id: 'd3',
      fileName: 'c.pdf',
      path: 'Rossi Mario/2026 Congedo/c.pdf',
      kind: 'pdf',
      size: 1,
      sha256: 'c',
    },
  ]);
}

describe.each(adapters)('recorded paths on $name', (adapter) => {
  it('has one identity, the same every time it is asked', async () => {
    const store = await adapter.open();
    const id = await store.paths.identity();
    expect(id).toMatch(/^[0-9a-f-]{16,}$/u);
    expect(await store.paths.identity()).toBe(id);
  });

  it.each([
    ['/', '/home/anna/Documenti/Sportello/Pratiche_2026%'],
    ['\\', 'C:\\Users\\anna\\Documents\\Sportello\\Pratiche_2026%'],
  ])(
    'names the rows under one root (separator %j), and leaves every other row as it was',
    async (sep, root) => {
      const store = await adapter.open();
      await seed(store, root, sep);
      expect(await store.paths.relativise('archive', root + sep, sep)).toBe(2);
      expect((await store.documents.of('r1')).map((d) => d.path)).toEqual([
        'Rossi Mario/2026 Congedo/a.pdf',
        `${root}-vecchio${sep}b.pdf`,
        'Rossi Mario/2026 Congedo/c.pdf',
      ]);
      expect((await store.requests.get('r1'))?.archiveFolder).toBe('Rossi Mario/2026 Congedo');
      expect((await store.requests.get('r2'))?.archiveFolder).toBe('/altrove/Bianchi/2025');
      // Nothing more to do the second time.
      expect(await store.paths.relativise('archive', root + sep, sep)).toBe(0);
    },
  );

  it('names a draft’s scans under their own root', async () => {
    const store = await adapter.open();
    const drafts = '/home/anna/.config/Sportello/drafts/';
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    await store.attachments.insert({
      id: 'a1',
      requestId: 'r1',
      fieldKey: '$5',
      position: 0,
      fileName: 'carta.jpg',
      sourceKind: 'jpeg',
      mime: 'image/jpeg',
      size: 1,
      pages: 1,
      sha256: 'a',
      storedPath: `${drafts}r1/a1.jpg`,
      createdAt: 1,
    });
    expect(await store.paths.relativise('drafts', drafts, '/')).toBe(1);
    // Documents on file are sealed in the register: no file of theirs to name.
    expect(await store.paths.relativise('clients', '/home/anna/.config/Sportello/clienti/', '/')).toBe(0);
    expect((await store.attachments.of('r1'))[0]?.storedPath).toBe('r1/a1.jpg');
  });
});
