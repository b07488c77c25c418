import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_FILES_FOLDER } from '../../../main/scanning/page-files.ts';
import { startApp } from '../../support/app.ts';
import { pngImage } from '../../support/files.ts';
import { tempDir } from '../../support/tmp.ts';

describe('page images a scan left behind', () => {
  it('are removed when the app starts, older versions’ folders too; nothing else is touched', async () => {
    const root = tempDir();
    const temp = join(root, 'tmp');
    const folder = join(root, 'userData', PAGE_FILES_FOLDER);
    const page = await pngImage();
    mkdirSync(join(folder, 'sportello-scan-Ab12Cd'), { recursive: true });
    writeFileSync(join(folder, 'sportello-scan-Ab12Cd', 'page-0001.png'), page);
    mkdirSync(join(folder, 'sportello-wia-Xy34Zw'));
    writeFileSync(join(folder, 'sportello-wia-Xy34Zw', 'page-0001.png'), page);
    mkdirSync(join(temp, 'sportello-scan-vecchio'), { recursive: true });
    writeFileSync(join(temp, 'sportello-scan-vecchio', 'page-0002.png'), page);
    writeFileSync(join(temp, 'altro-programma.txt'), 'non nostro');

    await startApp({ root });

    expect(readdirSync(folder)).toEqual([]);
    if (process.platform !== 'win32') expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(existsSync(join(temp, 'sportello-scan-vecchio'))).toBe(false);
    expect(readdirSync(temp)).toEqual(['altro-programma.txt']);
  });
});
