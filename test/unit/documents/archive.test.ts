import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemp, writeFilesAtomically } from '../../../main/documents/archive.ts';
import type { FileToWrite } from '../../../main/documents/archive.ts';
import { extractOutputs } from '../../../main/documents/unzip.ts';
import { AppError } from '../../../main/errors.ts';
import { tempDir } from '../../support/tmp.ts';
import { craftZip, deflatedZeros, STORED, unixMode } from '../../support/zipCraft.ts';

const MB = 1024 * 1024;
const pdf = (label: string) => Buffer.from(`%PDF-1.7\n% ${label}\n%%EOF\n`);
const file = (name: string, text = name): FileToWrite => ({ name, bytes: Buffer.from(text) });

/** Every path under `root` (folders end in "/", symlinks in "@"), with file contents: the whole disk state. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path);
      const info = lstatSync(path);
      if (info.isSymbolicLink()) out[`${rel}@`] = '';
      else if (info.isDirectory()) {
        out[`${rel}/`] = '';
        walk(path);
      } else out[rel] = readFileSync(path, 'latin1');
    }
  };
  walk(root);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('the write succeeded');
}

describe('atomic archive writes', () => {
  it('writes the files into a new folder, creating its parents, and reports path, size and sha256', async () => {
    const root = tempDir();
    const target = join(root, 'Rossi Mario – RSSMRA85T10A562S', '2026-11-23 ISEE – 5f2829ce065afc21cc60ad0e');
    const bytes = pdf('esito');

    const written = await writeFilesAtomically(target, [
      { name: 'esito.pdf', bytes },
      file('note.txt', 'ciao'),
    ]);

    expect(written).toEqual([
      {
        name: 'esito.pdf',
        path: join(target, 'esito.pdf'),
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
      expect.objectContaining({ name: 'note.txt', path: join(target, 'note.txt'), size: 4 }),
    ]);
    expect(tree(root)).toEqual({
      'Rossi Mario – RSSMRA85T10A562S/': '',
      'Rossi Mario – RSSMRA85T10A562S/2026-11-23 ISEE – 5f2829ce065afc21cc60ad0e/': '',
      'Rossi Mario – RSSMRA85T10A562S/2026-11-23 ISEE – 5f2829ce065afc21cc60ad0e/esito.pdf':
        bytes.toString('latin1'),
      'Rossi Mario – RSSMRA85T10A562S/2026-11-23 ISEE – 5f2829ce065afc21cc60ad0e/note.txt': 'ciao',
    });
  });

  it('reports the sha256 unzip already computed instead of hashing the bytes again', async () => {
    const root = tempDir();
    const {
      files: [extracted],
    } = await extractOutputs(craftZip([{ name: 'esito.pdf', data: pdf('esito') }]));
    const known = { ...extracted!, sha256: 'a'.repeat(64) };

    const [written] = await writeFilesAtomically(join(root, 'cliente', 'pratica'), [known]);

    expect(written!.sha256).toBe('a'.repeat(64));
    expect(readFileSync(written!.path)).toEqual(Buffer.from(extracted!.bytes));
  });

  it('replaces an existing folder (a re-download) with exactly the new files, leaving nothing aside', async () => {
    const root = tempDir();
    const target = join(root, 'cliente', 'pratica');
    await writeFilesAtomically(target, [file('vecchio.pdf'), file('esito.pdf', 'prima')]);

    await writeFilesAtomically(target, [file('esito.pdf', 'dopo'), file('ricevuta.pdf')]);

    expect(tree(root)).toEqual({
      'cliente/': '',
      'cliente/pratica/': '',
      'cliente/pratica/esito.pdf': 'dopo',
      'cliente/pratica/ricevuta.pdf': 'ricevuta.pdf',
    });
  });

  it('leaves the old folder intact and no temp folder behind when a write fails mid-way', async () => {
    const root = tempDir();
    const target = join(root, 'cliente', 'pratica');
    await writeFilesAtomically(target, [file('esito.pdf', 'prima')]);
    const before = tree(root);
    let calls = 0;
    const failingSecondWrite = async (path: string, bytes: Uint8Array) => {
      if (++calls === 2) throw Object.assign(new Error('disco pieno'), { code: 'ENOSPC' });
      await writeFile(path, bytes, { flag: 'wx' });
    };

    const error = await failure(
      writeFilesAtomically(target, [file('a.pdf'), file('b.pdf'), file('c.pdf')], {
        writeFile: failingSecondWrite,
      }),
    );

    expect(error.code).toBe('internal');
    expect(error.details).toEqual({ reason: 'write_failed', errno: 'ENOSPC' });
    expect(calls).toBe(2);
    expect(tree(root)).toEqual(before);
  });

  it('leaves no trace when the file system itself refuses a name (too long)', async () => {
    const root = tempDir();
    const target = join(root, 'cliente', 'pratica');
    await writeFilesAtomically(target, [file('esito.pdf', 'prima')]);
    const before = tree(root);

    const error = await failure(
      writeFilesAtomically(target, [file('a.pdf'), file(`${'a'.repeat(300)}.pdf`)]),
    );

    expect(error.details).toMatchObject({ reason: 'write_failed', errno: 'ENAMETOOLONG' });
    expect(tree(root)).toEqual(before);
  });

  it('refuses a target folder that is a symlink and writes nothing, there or where it points', async () => {
    const root = tempDir();
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, 'segreto.txt'), 'intatto');
    mkdirSync(join(root, 'cliente'));
    symlinkSync(elsewhere, join(root, 'cliente', 'pratica'), 'dir');
    const before = tree(root);

    const error = await failure(writeFilesAtomically(join(root, 'cliente', 'pratica'), [file('esito.pdf')]));

    expect(error.code).toBe('unsafe_archive');
    expect(error.details).toEqual({ reason: 'target_symlink' });
    expect(tree(root)).toEqual(before);
    expect(tree(elsewhere)).toEqual({ 'segreto.txt': 'intatto' });
  });

  it('refuses a file standing where the folder should be', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'pratica'), 'un file');

    const error = await failure(writeFilesAtomically(join(root, 'pratica'), [file('esito.pdf')]));

    expect(error.details).toEqual({ reason: 'target_not_directory' });
    expect(tree(root)).toEqual({ pratica: 'un file' });
  });

  it.each([
    ['a parent reference', ['../fuori.pdf']],
    ['a path', ['cartella/esito.pdf']],
    ['a Windows path', ['cartella\\esito.pdf']],
    ['an alternate data stream', ['esito.pdf:nascosto']],
    ['an empty name', ['']],
    ['a dot', ['.']],
    ['a name twice, differing in case', ['Esito.pdf', 'esito.pdf']],
  ])('refuses %s before writing anything', async (_, names) => {
    const root = tempDir();
    const error = await failure(
      writeFilesAtomically(
        join(root, 'cliente', 'pratica'),
        names.map((n) => file(n)),
      ),
    );
    expect(error.code).toBe('invalid_argument');
    expect(tree(root)).toEqual({});
  });

  describe('with safe unzip: a hostile document never reaches the disk', () => {
    const hostile: [string, () => Promise<Buffer>][] = [
      [
        'path traversal',
        async () =>
          craftZip([
            { name: 'ok.pdf', data: pdf('1') },
            { name: '../../evil.pdf', data: pdf('2') },
          ]),
      ],
      ['absolute name', async () => craftZip([{ name: 'C:\\x.pdf', data: pdf('1') }])],
      [
        'symlink',
        async () =>
          craftZip([
            { name: 'a.pdf', data: '/etc/passwd', method: STORED, externalAttributes: unixMode(0o120777) },
          ]),
      ],
      [
        'lying bomb',
        async () => {
          const zeros = await deflatedZeros(50 * MB);
          return craftZip([
            { name: 'a.pdf', payload: zeros.payload, crc32: zeros.crc32, uncompressedSize: 1024 },
          ]);
        },
      ],
      ['corrupt archive', async () => Buffer.from('non è uno zip')],
    ];

    for (const [label, build] of hostile) {
      it(`writes nothing for a ${label}`, async () => {
        const root = tempDir();
        const zip = await build();
        const error = await failure(
          extractOutputs(zip).then(({ files }) =>
            writeFilesAtomically(join(root, 'cliente', 'pratica'), files),
          ),
        );
        expect(error.code).toBe('unsafe_archive');
        expect(tree(root)).toEqual({});
      });
    }

    for (const [label, hostile] of [
      ['an EXE renamed .pdf', { name: 'b.pdf', data: 'MZ\x90\x00\x03' }],
      ['an .html entry', { name: 'b.html', data: '<html>' }],
    ] as const) {
      it(`writes the good files and never ${label}, which is left out`, async () => {
        const root = tempDir();
        const { files, leftOut } = await extractOutputs(
          craftZip([{ name: 'ok.pdf', data: pdf('1') }, hostile]),
        );
        await writeFilesAtomically(join(root, 'cliente', 'pratica'), files);
        expect(leftOut.map((f) => f.name)).toEqual([hostile.name]);
        expect(tree(root)).toEqual({
          'cliente/': '',
          'cliente/pratica/': '',
          'cliente/pratica/ok.pdf': pdf('1').toString('latin1'),
        });
      });
    }

    it('writes exactly the outputs of a good document', async () => {
      const root = tempDir();
      const zip = craftZip([
        { name: 'esiti/', data: '' },
        { name: 'esiti/esito.pdf', data: pdf('1') },
        { name: 'altro/esito.pdf', data: pdf('2') },
        { name: '__MACOSX/esiti/._esito.pdf', data: 'x' },
      ]);
      const { files } = await extractOutputs(zip);
      await writeFilesAtomically(join(root, 'cliente', 'pratica'), files);
      expect(tree(root)).toEqual({
        'cliente/': '',
        'cliente/pratica/': '',
        'cliente/pratica/esito.pdf': pdf('1').toString('latin1'),
        'cliente/pratica/esito (2).pdf': pdf('2').toString('latin1'),
      });
    });
  });

  describe('cleaning up after a crash', () => {
    const later = () => Date.now() + 60 * 60_000;

    it('removes temp and old folders at the root and in client folders, and nothing else', async () => {
      const root = tempDir();
      const outside = tempDir();
      writeFileSync(join(outside, 'altrove.pdf'), 'intatto');
      for (const dir of [
        '.sportello-tmp-aa11/mezzo',
        '.sportello-old-bb22',
        'Rossi Mario – RSS/.sportello-tmp-cc33',
        'Rossi Mario – RSS/.sportello-old-dd44/vecchio',
        'Rossi Mario – RSS/2026-11-23 ISEE – id',
        'Rossi Mario – RSS/2026-11-23 ISEE – id/.sportello-tmp-too-deep',
      ]) {
        mkdirSync(join(root, dir), { recursive: true });
      }
      writeFileSync(join(root, 'Rossi Mario – RSS', '2026-11-23 ISEE – id', 'esito.pdf'), 'esito');
      writeFileSync(join(root, '.sportello-tmp-un-file'), 'non una cartella');
      symlinkSync(outside, join(root, '.sportello-tmp-link'), 'dir');

      const removed = await removeStaleTemp(root, { now: later() });

      expect(removed.map((p) => relative(root, p)).sort()).toEqual([
        '.sportello-old-bb22',
        '.sportello-tmp-aa11',
        'Rossi Mario – RSS/.sportello-old-dd44',
        'Rossi Mario – RSS/.sportello-tmp-cc33',
      ]);
      expect(tree(root)).toEqual({
        '.sportello-tmp-link@': '',
        '.sportello-tmp-un-file': 'non una cartella',
        'Rossi Mario – RSS/': '',
        'Rossi Mario – RSS/2026-11-23 ISEE – id/': '',
        'Rossi Mario – RSS/2026-11-23 ISEE – id/.sportello-tmp-too-deep/': '',
        'Rossi Mario – RSS/2026-11-23 ISEE – id/esito.pdf': 'esito',
      });
      expect(tree(outside)).toEqual({ 'altrove.pdf': 'intatto' });
    });

    it('keeps fresh leftovers: another PC may be writing to a shared archive right now', async () => {
      const root = tempDir();
      mkdirSync(join(root, 'cliente', '.sportello-tmp-ee55'), { recursive: true });
      expect(await removeStaleTemp(root)).toEqual([]);
      expect(Object.keys(tree(root))).toContain('cliente/.sportello-tmp-ee55/');
    });

    it('accepts an archive root that does not exist yet', async () => {
      expect(await removeStaleTemp(join(tempDir(), 'mai creato'))).toEqual([]);
    });
  });
});
