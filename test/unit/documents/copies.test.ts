import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveCopies, safeEntry } from '../../../main/documents/copies.ts';
import { memoryLogger } from '../../support/logger.ts';
import { tempDir } from '../../support/tmp.ts';

function setup() {
  const dir = tempDir();
  const root = join(dir, 'Archivio');
  const file = join(dir, 'userData', 'archivio-copie.json');
  const log = memoryLogger();
  const copies = new ArchiveCopies({ file, log });
  const folderWith = (client: string, request: string, names: string[]) => {
    const folder = join(root, client, request);
    mkdirSync(folder, { recursive: true });
    for (const name of names) writeFileSync(join(folder, name), 'x');
    return folder;
  };
  return { dir, root, file, log, copies, folderWith };
}

describe('the list of the files a counter wrote into its archive', () => {
  it('deletes the files of purged requests and their empty folders, and forgets them; again is a no-op', async () => {
    const { root, file, copies, folderWith } = setup();
    const purged = folderWith('Rossi Mario – RSSMRA85T10A562S', '2026-01-02 Servizio – 1', [
      'a.pdf',
      'b.xml',
    ]);
    const live = folderWith('Verdi Anna – VRDNNA80A41H501H', '2026-01-03 Servizio – 2', ['a.pdf']);
    await copies.add({ requestId: 'r1', root, folder: purged, files: ['a.pdf'] });
    await copies.add({ requestId: 'r1', root, folder: purged, files: ['b.xml'] });
    await copies.add({ requestId: 'r2', root, folder: live, files: ['a.pdf'] });

    // A new instance reads the list back from disk, as at the next start.
    const next = new ArchiveCopies({ file, log: memoryLogger() });
    expect(await next.sweep(async (id) => id === 'r1')).toBe(1);
    expect(existsSync(join(root, 'Rossi Mario – RSSMRA85T10A562S'))).toBe(false);
    expect(existsSync(join(live, 'a.pdf'))).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('RSSMRA85T10A562S');
    expect(await next.sweep(async (id) => id === 'r1')).toBe(0);
    expect(existsSync(root)).toBe(true);
  });

  it('keeps an entry out of sweeps while its files are being written: a purge meanwhile still deletes them', async () => {
    const { root, file, copies } = setup();
    const folder = join(root, 'Rossi Mario', '2026-01-02 Servizio');
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const writing = copies.writing({ requestId: 'r1', root, folder, files: ['a.pdf'] }, async () => {
      await written;
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'a.pdf'), 'x');
    });
    // The request is purged while its files are on their way: nothing there yet, the entry stays.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await copies.sweep(async () => true)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('a.pdf');
    wrote();
    await writing;
    expect(existsSync(join(folder, 'a.pdf'))).toBe(true);
    expect(await copies.sweep(async () => true)).toBe(1);
    expect(existsSync(join(root, 'Rossi Mario'))).toBe(false);
  });

  it('keeps a file it did not write, and keeps the entry when the register does not answer', async () => {
    const { root, copies, folderWith } = setup();
    const folder = folderWith('Rossi Mario', '2026-01-02 Servizio', ['a.pdf', 'mine.txt']);
    await copies.add({ requestId: 'r1', root, folder, files: ['a.pdf'] });
    expect(
      await copies.sweep(() => {
        throw new Error('offline');
      }),
    ).toBe(0);
    expect(existsSync(join(folder, 'a.pdf'))).toBe(true);
    expect(await copies.sweep(async () => true)).toBe(1);
    expect(existsSync(join(folder, 'a.pdf'))).toBe(false);
    expect(existsSync(join(folder, 'mine.txt'))).toBe(true);
  });

  it('never deletes outside the archive root nor through a symbolic link', async () => {
    const { dir, root, copies, folderWith } = setup();
    const outside = join(dir, 'Documenti');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'a.pdf'), 'x');
    expect(safeEntry({ requestId: 'r', root, folder: join(root, 'c', 'r'), files: ['a.pdf'] })).toBe(true);
    expect(safeEntry({ requestId: 'r', root, folder: join(root, 'c', 'r'), files: ['../a.pdf'] })).toBe(
      false,
    );
    expect(safeEntry({ requestId: 'r', root, folder: join(root, '..', 'Documenti'), files: ['a.pdf'] })).toBe(
      false,
    );
    expect(safeEntry({ requestId: 'r', root, folder: join(root, 'c'), files: ['a.pdf'] })).toBe(false);
    await copies.add({ requestId: 'r1', root, folder: join(root, '..', 'x', 'Documenti'), files: ['a.pdf'] });
    folderWith('Client', 'placeholder', []);
    symlinkSync(outside, join(root, 'Client', 'linked'));
    await copies.add({ requestId: 'r2', root, folder: join(root, 'Client', 'linked'), files: ['a.pdf'] });
    expect(await copies.sweep(async () => true)).toBe(2);
    expect(existsSync(join(outside, 'a.pdf'))).toBe(true);
  });
});
