import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFilesAtomically } from '../../../main/documents/archive.ts';
import { markFromInternet, ZONE_IDENTIFIER } from '../../../main/documents/zone.ts';
import { tempDir } from '../../support/tmp.ts';

const files = [
  { name: 'esito.pdf', bytes: new TextEncoder().encode('%PDF-1.7\n%%EOF') },
  { name: 'ricevuta.xml', bytes: new TextEncoder().encode('<?xml version="1.0"?><r/>') },
];

describe.skipIf(process.platform === 'win32')('outputs on a POSIX disk', () => {
  it('are readable by the clerk’s account only: folders 0700, files 0600', async () => {
    const root = tempDir();
    const target = join(root, 'Archivio', 'Rossi Mario – RSSMRA85T10A562S', '2026-03-02 Congedo – 5f28');
    const written = await writeFilesAtomically(target, files);
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(join(root, 'Archivio'))).toBe(0o700);
    expect(mode(join(root, 'Archivio', 'Rossi Mario – RSSMRA85T10A562S'))).toBe(0o700);
    expect(mode(target)).toBe(0o700);
    for (const file of written) expect(mode(file.path), file.name).toBe(0o600);
    // No stray ":Zone.Identifier" file where there are no alternate streams.
    expect(readdirSync(target).sort()).toEqual(['esito.pdf', 'ricevuta.xml']);
  });
});

describe('the Mark-of-the-Web', () => {
  it('is written on Windows for every output, as an Internet download (ZoneId=3)', async () => {
    const streams: { path: string; text: string }[] = [];
    const target = join(tempDir(), 'Cliente', 'Pratica');
    await writeFilesAtomically(target, files, {
      platform: 'win32',
      writeZone: async (path, text) => {
        streams.push({ path, text });
      },
    });
    expect(streams.map((s) => s.path.split(/[\\/]/).at(-1))).toEqual([
      'esito.pdf:Zone.Identifier',
      'ricevuta.xml:Zone.Identifier',
    ]);
    for (const { text } of streams) expect(text).toMatch(/^\[ZoneTransfer\]\r\nZoneId=3\r\n/);
  });

  it('never blocks the save where the volume cannot hold it', async () => {
    const target = join(tempDir(), 'Cliente', 'Pratica');
    const written = await writeFilesAtomically(target, files, {
      platform: 'win32',
      writeZone: () => Promise.reject(Object.assign(new Error('not supported'), { code: 'EINVAL' })),
    });
    expect(written).toHaveLength(2);
  });

  it('is written nowhere but Windows', async () => {
    const writes: string[] = [];
    const write = async (path: string) => void writes.push(path);
    expect(await markFromInternet('/a/esito.pdf', { platform: 'linux', write })).toBe(false);
    expect(await markFromInternet('/a/esito.pdf', { platform: 'darwin', write })).toBe(false);
    expect(
      await markFromInternet('C:\\a\\esito.pdf', {
        platform: 'win32',
        write,
        hostUrl: 'https://visengine2.altravia.com/',
      }),
    ).toBe(true);
    expect(writes).toEqual(['C:\\a\\esito.pdf:Zone.Identifier']);
    expect(ZONE_IDENTIFIER).toBe('[ZoneTransfer]\r\nZoneId=3\r\n');
  });
});
