import { mkdir, open, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors.ts';
import { WatchFolder, type RecentScan, type WatchFolderEvent } from '../../../main/scanning/watch-folder.ts';
import { photoJpeg, pngImage, textPdf } from '../../support/files.ts';
import { tempDir } from '../../support/tmp.ts';

/* Real files in a temp dir, a real chokidar watcher. */

const watchers: WatchFolder[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
});

async function startWatching(
  folder: string,
  options: Partial<ConstructorParameters<typeof WatchFolder>[0]> = {},
) {
  const events: WatchFolderEvent[] = [];
  const watcher = new WatchFolder({ folder, stableMs: 300, pollMs: 50, ...options });
  watcher.subscribe((e) => events.push(e));
  watchers.push(watcher);
  await watcher.start();
  return { watcher, events };
}

function added(events: WatchFolderEvent[]): RecentScan[] {
  return events.flatMap((e) => (e.type === 'added' ? [e.scan] : []));
}

async function until(condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watched scan folder', () => {
  it('lists the images and PDFs of the last hours at start, newest first, sniffed by content', async () => {
    const folder = tempDir();
    const now = Date.now();
    await writeFile(join(folder, 'fronte.jpg'), await photoJpeg(400, 300));
    await writeFile(join(folder, 'retro.png'), await pngImage(200, 100));
    await writeFile(join(folder, 'mandato'), await textPdf(1)); // no extension: the bytes tell
    await writeFile(join(folder, 'note.txt'), 'non è una scansione');
    await writeFile(join(folder, 'vecchia.jpg'), await photoJpeg(100, 100));
    await utimes(join(folder, 'vecchia.jpg'), new Date(now - 30 * 3_600_000), new Date(now - 30 * 3_600_000));
    await utimes(join(folder, 'fronte.jpg'), new Date(now - 60_000), new Date(now - 60_000));
    await mkdir(join(folder, '2025-06-01'));
    await writeFile(join(folder, '2025-06-01', 'scan001.pdf'), await textPdf(2));

    const { watcher } = await startWatching(folder, { recentHours: 12 });
    await until(() => watcher.recent().length === 4);
    const recent = watcher.recent();
    expect(recent.map((s) => s.name).sort()).toEqual(['fronte.jpg', 'mandato', 'retro.png', 'scan001.pdf']);
    expect(recent.at(-1)!.name).toBe('fronte.jpg');
    const byName = Object.fromEntries(recent.map((s) => [s.name, s]));
    expect(byName['mandato']!.mime).toBe('application/pdf');
    expect(byName['retro.png']!.mime).toBe('image/png');
    expect(byName['fronte.jpg']).toMatchObject({ mime: 'image/jpeg', path: join(folder, 'fronte.jpg') });
    expect(byName['fronte.jpg']!.size).toBeGreaterThan(1000);
  });

  // TIFF has no end marker: there the size-stable check alone must hold the file back.
  it.each(['jpeg', 'tiff'] as const)(
    'offers a %s written slowly in chunks only once complete, once',
    async (format) => {
      const folder = tempDir();
      // A window of 1.5 s against a chunk every 200 ms: the write pauses far shorter than the window
      // even when a busy 2-core machine stretches a 200 ms sleep (a 300 ms window was overrun there).
      const { watcher, events } = await startWatching(folder, { stableMs: 1500 });
      const jpeg =
        format === 'jpeg'
          ? await photoJpeg(800, 600)
          : await sharp(await photoJpeg(300, 200))
              .tiff()
              .toBuffer();
      const path = join(folder, `scansione.${format}`);
      const file = await open(path, 'w');
      const chunk = Math.ceil(jpeg.length / 8);
      // A chunk every 200 ms: far more often than the stability window, like a scanner writing.
      for (let offset = 0; offset < jpeg.length; offset += chunk) {
        await file.write(jpeg.subarray(offset, offset + chunk));
        await file.sync();
        expect(added(events)).toEqual([]);
        await sleep(200);
      }
      await file.close();
      await until(() => added(events).length === 1);
      await sleep(1500);
      const scans = added(events);
      expect(scans).toHaveLength(1);
      expect(scans[0]!.size).toBe(jpeg.length);
      expect(watcher.recent()).toEqual(scans);
    },
  );

  it('waits for the end marker when a writer pauses longer than the stability window', async () => {
    const folder = tempDir();
    const { events } = await startWatching(folder, { stableMs: 150 });
    const pdf = Buffer.from(await textPdf(1));
    const path = join(folder, 'lento.pdf');
    await writeFile(path, pdf.subarray(0, pdf.length - 40));
    await sleep(700); // stable, but no %%EOF yet
    expect(added(events)).toEqual([]);
    await writeFile(path, pdf);
    await until(() => added(events).length === 1);
    expect(added(events)[0]!.size).toBe(pdf.length);
  });

  it('ignores other files, temporary files and hidden files', async () => {
    const folder = tempDir();
    const { events } = await startWatching(folder);
    await writeFile(join(folder, 'elenco.docx'), Buffer.from('PK\x03\x04 not a scan'));
    await writeFile(join(folder, 'scan.jpg.part'), await photoJpeg(100, 100));
    await writeFile(join(folder, '.nascosto.jpg'), await photoJpeg(100, 100));
    await writeFile(join(folder, 'vuoto.jpg'), '');
    await writeFile(join(folder, 'buona.png'), await pngImage(50, 50));
    await until(() => added(events).length === 1);
    await sleep(600);
    expect(added(events).map((s) => s.name)).toEqual(['buona.png']);
  });

  it('takes an item out of the tray when it is used, and drops it when the file is deleted', async () => {
    const folder = tempDir();
    const { watcher, events } = await startWatching(folder);
    await writeFile(join(folder, 'a.jpg'), await photoJpeg(100, 100));
    await writeFile(join(folder, 'b.jpg'), await photoJpeg(120, 100));
    await until(() => watcher.recent().length === 2);
    const [first, second] = watcher.recent();

    const used = watcher.take(first!.id);
    expect(used).toEqual(first);
    expect(watcher.recent()).toEqual([second]);
    expect(watcher.take(first!.id)).toBeUndefined();
    expect(events).toContainEqual({ type: 'removed', id: first!.id });

    await rm(second!.path);
    await until(() => watcher.recent().length === 0);
    expect(events).toContainEqual({ type: 'removed', id: second!.id });
  });

  it('offers a file again when it is rewritten with new content', async () => {
    const folder = tempDir();
    const { watcher, events } = await startWatching(folder);
    const path = join(folder, 'scan.png');
    await writeFile(path, await pngImage(60, 60));
    await until(() => added(events).length === 1);
    watcher.take(added(events)[0]!.id);
    await sleep(50);
    await writeFile(path, await pngImage(90, 90));
    await until(() => added(events).length === 2);
    expect(watcher.recent()).toHaveLength(1);
    expect(watcher.recent()[0]!.id).not.toBe(added(events)[0]!.id);
  });

  it('refuses a folder that does not exist, in Italian', async () => {
    const watcher = new WatchFolder({ folder: join(tempDir(), 'manca') });
    const error = await watcher.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/non esiste/);
  });
});
