import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RefusedPaths } from '../../../main/files/refused-paths.ts';
import { nameProblem, placeInside, Roots } from '../../../main/files/roots.ts';
import { memoryLogger } from '../../support/logger.ts';
import { tempDir } from '../../support/tmp.ts';

/*
 * The one resolver of the paths the register records: a name inside one of this counter's roots,
 * never a way out of it, on any system of the office.
 */

describe('a recorded name, by its text', () => {
  it.each([
    ['Rossi Mario – RSSMRA85T10A562S/2026-03-02 Congedo parentale – 5f28/ricevuta.pdf'],
    ['3b241101-e2bb-4255-8caf-4136c566a962/6f1c2a.jpg'],
    ['0c7d.bin'],
    ['S.r.l. Bianchi/.nascosto/a.b.c.pdf'],
  ])('takes a plain relative name: %s', (name) => {
    expect(nameProblem(name)).toBeNull();
  });

  it.each([
    ['../../.ssh/id_rsa', 'parent'],
    ['Rossi/../../../etc/passwd', 'parent'],
    ['Rossi\\..\\..\\Windows\\win.ini', 'parent'],
    ['Rossi/.. /x.pdf', 'parent'],
    ['Rossi/.../x.pdf', 'parent'],
    ['./x.pdf', 'parent'],
    ['Rossi//x.pdf', 'parent'],
    ['', 'parent'],
    ['/etc/passwd', 'absolute'],
    ['\\Windows\\win.ini', 'absolute'],
    ['C:\\Windows\\System32\\calc.exe', 'drive'],
    ['c:x.pdf', 'drive'],
    ['\\\\fileserver\\share\\x.pdf', 'unc'],
    ['//fileserver/share/x.pdf', 'unc'],
    ['\\\\?\\C:\\x.pdf', 'unc'],
    ['\\\\.\\PhysicalDrive0', 'unc'],
    ['Rossi/x.pdf\0.jpg', 'nul'],
    ['Rossi/x.pdf:Zone.Identifier', 'colon'],
    ['Rossi/CON', 'device'],
    ['nul.pdf', 'device'],
    ['Rossi/LPT1 .txt', 'device'],
  ])('refuses %j (%s)', (name, reason) => {
    expect(nameProblem(name)).toBe(reason);
  });
});

describe('a recorded name, on the disk', () => {
  function archive() {
    const base = tempDir();
    const root = join(base, 'Archivio');
    const outside = join(base, 'Documenti personali');
    mkdirSync(join(root, 'Rossi', '2026'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(root, 'Rossi', '2026', 'a.pdf'), 'a');
    writeFileSync(join(outside, 'segreto.pdf'), 'segreto');
    return { base, root, outside, real: realpathSync(root) };
  }

  it('is the real file inside the root, or where it would be when it is not there', async () => {
    const { root, real } = archive();
    expect(await placeInside(root, 'Rossi/2026/a.pdf')).toEqual({
      ok: true,
      path: join(real, 'Rossi', '2026', 'a.pdf'),
      exists: true,
    });
    expect(await placeInside(root, 'Bianchi/2025/b.pdf')).toEqual({
      ok: true,
      path: join(real, 'Bianchi', '2025', 'b.pdf'),
      exists: false,
    });
  });

  it('follows a symbolic link inside the archive, and refuses one leading out of it', async () => {
    const { root, outside, real } = archive();
    symlinkSync(join(root, 'Rossi'), join(root, 'Rossi bis'));
    symlinkSync(outside, join(root, 'Verdi'));
    symlinkSync(join(outside, 'segreto.pdf'), join(root, 'Rossi', '2026', 'b.pdf'));
    symlinkSync(root, join(root, 'Rossi', 'su'));

    expect(await placeInside(root, 'Rossi bis/2026/a.pdf')).toMatchObject({
      ok: true,
      path: join(real, 'Rossi', '2026', 'a.pdf'),
    });
    expect(await placeInside(root, 'Verdi/segreto.pdf')).toEqual({ ok: false, reason: 'outside' });
    expect(await placeInside(root, 'Verdi/non-ancora.pdf')).toEqual({ ok: false, reason: 'outside' });
    expect(await placeInside(root, 'Rossi/2026/b.pdf')).toEqual({ ok: false, reason: 'outside' });
    // A link to the root itself is not a file inside it (a folder delete there would take all).
    expect(await placeInside(root, 'Rossi/su')).toEqual({ ok: false, reason: 'outside' });
  });

  it('takes a root that is itself a link, by its real path', async () => {
    const { base, root, real } = archive();
    const alias = join(base, 'Archivio di rete');
    symlinkSync(root, alias);
    expect(await placeInside(alias, 'Rossi/2026/a.pdf')).toMatchObject({
      ok: true,
      path: join(real, 'Rossi', '2026', 'a.pdf'),
      exists: true,
    });
  });

  it('is nowhere yet when the root itself is not there', async () => {
    const root = join(tempDir(), 'mai creato');
    expect(await placeInside(root, 'Rossi/a.pdf')).toEqual({
      ok: true,
      path: join(root, 'Rossi', 'a.pdf'),
      exists: false,
    });
  });
});

describe('the roots of a counter', () => {
  function counter() {
    const base = tempDir();
    const log = memoryLogger();
    const refused = new RefusedPaths({ log, now: () => 1_000 });
    const roots = new Roots({
      dirs: {
        archive: () => join(base, 'Archivio'),
        drafts: () => join(base, 'drafts'),
        clients: () => join(base, 'clienti'),
      },
      refused,
    });
    mkdirSync(join(base, 'drafts', 'd1'), { recursive: true });
    writeFileSync(join(base, 'drafts', 'd1', 'p.jpg'), 'x');
    return { base, log, refused, roots };
  }
  const row = { table: 'attachments', id: 'a1', requestId: 'd1' } as const;

  it('reports a refused row once, by code and id, never the path it names', async () => {
    const { log, refused, roots } = counter();
    expect(await roots.locate('drafts', '../../../home/operatore/.ssh/id_rsa', row)).toBeNull();
    expect(await roots.locate('drafts', '../../../home/operatore/.ssh/id_rsa', row)).toBeNull();
    expect(refused.list()).toEqual([
      {
        kind: 'register_path_refused',
        table: 'attachments',
        rowId: 'a1',
        requestId: 'd1',
        reason: 'parent',
        at: 1_000,
      },
    ]);
    expect(log.lines).toEqual([
      {
        level: 'warn',
        message: 'register path refused',
        fields: { table: 'attachments', id: 'a1', reason: 'parent' },
      },
    ]);
    expect(JSON.stringify(log.lines)).not.toMatch(/ssh|operatore/);
  });

  it('keeps an id the register made up short, in the log and on Home', async () => {
    const { log, refused, roots } = counter();
    const id = `../../${'x/'.repeat(500)}`;
    expect(
      await roots.locate('drafts', id, { table: 'requests', id, requestId: id }, { segments: 1 }),
    ).toBeNull();
    expect(refused.list()[0]).toMatchObject({ rowId: id.slice(0, 100), requestId: id.slice(0, 100) });
    expect(log.lines[0]?.fields?.id).toBe(id.slice(0, 100));
  });

  it('holds a draft’s scan to its own draft’s folder', async () => {
    const { roots, refused } = counter();
    const shape = { segments: 2, folder: 'd1' };
    expect(await roots.locate('drafts', 'd1/p.jpg', row, shape)).toMatchObject({ exists: true });
    expect(await roots.locate('drafts', 'd2/p.jpg', { ...row, id: 'a2' }, shape)).toBeNull();
    expect(await roots.locate('drafts', 'd1/x/p.jpg', { ...row, id: 'a3' }, shape)).toBeNull();
    expect(refused.list().map((r) => [r.rowId, r.reason])).toEqual([
      ['a3', 'misplaced'],
      ['a2', 'misplaced'],
    ]);
  });

  it('says an empty name is no file, without reporting it (a purge forgot it)', async () => {
    const { roots, refused } = counter();
    expect(await roots.locate('archive', '', { table: 'documents', id: 'x', requestId: 'r' })).toBeNull();
    expect(refused.list()).toEqual([]);
  });

  it('fails a read of a refused row with a typed error the clerk can act on', async () => {
    const { roots } = counter();
    await expect(
      roots.mustLocate('clients', '/etc/shadow', { table: 'client_files', id: 'f1', requestId: null }),
    ).rejects.toMatchObject({
      code: 'register_path_refused',
      details: { table: 'client_files', id: 'f1' },
    });
  });

  it('makes the names main records from plain parts, and nothing else', () => {
    const { roots } = counter();
    expect(roots.name('Rossi Mario – RSSMRA85T10A562S', '2026-03-02 Congedo', 'a.pdf')).toBe(
      'Rossi Mario – RSSMRA85T10A562S/2026-03-02 Congedo/a.pdf',
    );
    expect(() => roots.name('..', 'a.pdf')).toThrow();
  });
});
