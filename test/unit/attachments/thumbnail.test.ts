import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { normalizePart } from '../../../main/attachments/normalize.ts';
import { imageThumbnail } from '../../../main/attachments/thumbnail.ts';
import { multiPageTiff, photo, plainImage, textPdf } from './samples.ts';

const PREFIX = 'data:image/jpeg;base64,';

async function decode(dataUrl: string | null) {
  expect(dataUrl?.startsWith(PREFIX)).toBe(true);
  return sharp(Buffer.from(dataUrl!.slice(PREFIX.length), 'base64')).metadata();
}

describe('imageThumbnail', () => {
  it('is a small JPEG data URL, 160 px on its long side', async () => {
    const part = await normalizePart(await photo(1200, 900, { orientation: 6 }), 'foto.jpg');

    const meta = await decode(await imageThumbnail(part));

    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 120, 160]);
  });

  it('takes another size when asked', async () => {
    const part = await normalizePart(await plainImage('png', 1000, 500), 'scansione.png');

    const meta = await decode(await imageThumbnail(part, 64));

    expect([meta.width, meta.height]).toEqual([64, 32]);
  });

  it('does not enlarge an image smaller than the thumbnail', async () => {
    const part = await normalizePart(await plainImage('png', 40, 30), 'icona.png');

    const meta = await decode(await imageThumbnail(part));

    expect([meta.width, meta.height]).toEqual([40, 30]);
  });

  it('is null for a PDF, which the renderer draws with pdf.js', async () => {
    expect(await imageThumbnail(await normalizePart(await textPdf(1), 'mandato.pdf'))).toBeNull();
    expect(
      await imageThumbnail(await normalizePart(await multiPageTiff(['#fff', '#000']), 'adf.tif')),
    ).toBeNull();
  });

  it('is null, not an error, when the stored bytes cannot be read', async () => {
    const broken = { bytes: new Uint8Array([1, 2, 3]), mime: 'image/jpeg' as const, kind: 'jpeg' as const };

    expect(await imageThumbnail({ ...broken, pages: 1, width: 10, height: 10 })).toBeNull();
  });
});
