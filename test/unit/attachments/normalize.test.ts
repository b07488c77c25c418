import { PDFDocument } from '@cantoo/pdf-lib';
import fc from 'fast-check';
import sharp from 'sharp';
import type { JpegOptions } from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import {
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_PAGES,
  MAX_INPUT_BYTES,
  TARGET_PAGE_BYTES,
} from '../../../main/attachments/limits.ts';
import { acceptedFormats, heicSupported, normalizePart } from '../../../main/attachments/normalize.ts';
import type { NormalizedPart } from '../../../main/attachments/part.ts';
import { AppError } from '../../../main/errors.ts';
import {
  failure,
  heavyPdf,
  heicContainer,
  MARKER,
  MB,
  multiPageTiff,
  noiseImage,
  photo,
  pixelAt,
  plainImage,
  pngClaiming,
  protectedPdf,
  textPdf,
} from './samples.ts';

/** Close to the marker despite JPEG compression and downscaling. */
const isMarker = (c: { r: number; g: number; b: number }) =>
  Math.abs(c.r - MARKER.r) < 40 && Math.abs(c.g - MARKER.g) < 40 && Math.abs(c.b - MARKER.b) < 40;

describe('normalizePart: images', () => {
  it('turns a 12 MP phone photo taken sideways (EXIF orientation 6) into an upright JPEG well under 1 MB', async () => {
    // Stored as the sensor sees it, 4000×3000, with the red block top-left; the phone was held upright.
    const input = await photo(4000, 3000, { orientation: 6 });
    expect(input.length).toBeGreaterThan(3 * MB);

    const part = await normalizePart(input, 'IMG_0001.jpg');

    expect(part).toMatchObject({ mime: 'image/jpeg', kind: 'jpeg', pages: 1, width: 1500, height: 2000 });
    expect(part.bytes.length).toBeLessThan(TARGET_PAGE_BYTES / 2);
    const meta = await sharp(part.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.orientation]).toEqual(['jpeg', 1500, 2000, undefined]);
    // Turned a quarter clockwise: the stored top-left corner is now the top-right one.
    expect(isMarker(await pixelAt(part.bytes, 1450, 50))).toBe(true);
    expect(isMarker(await pixelAt(part.bytes, 50, 50))).toBe(false);
  });

  it('keeps no metadata: no EXIF (maker, model, GPS position), no orientation, no XMP', async () => {
    const input = await photo(800, 600, { orientation: 6 });
    expect((await sharp(input).metadata()).exif).toBeDefined();
    expect(Buffer.from(input).includes('TelefonoDiProva')).toBe(true);

    const part = await normalizePart(input, 'IMG_0002.jpg');

    const meta = await sharp(part.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    const output = Buffer.from(part.bytes);
    expect(output.includes('Exif\0\0')).toBe(false);
    expect(output.includes('TelefonoDiProva')).toBe(false);
    expect(output.includes('GPS')).toBe(false);
  });

  it('flattens transparency on white, so a transparent PNG is not a black page', async () => {
    const input = await sharp({
      create: { width: 400, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: {
            create: { width: 100, height: 100, channels: 4, background: { r: 20, g: 20, b: 120, alpha: 1 } },
          },
          left: 150,
          top: 100,
        },
      ])
      .png()
      .toBuffer();

    const part = await normalizePart(input, 'firma.png');

    expect(part).toMatchObject({ mime: 'image/jpeg', kind: 'png', width: 400, height: 300 });
    const corner = await pixelAt(part.bytes, 10, 10);
    expect(Math.min(corner.r, corner.g, corner.b)).toBeGreaterThanOrEqual(250);
    const centre = await pixelAt(part.bytes, 200, 150);
    expect(centre.b).toBeGreaterThan(centre.r + 50);
  });

  it('never enlarges a small image', async () => {
    const part = await normalizePart(await plainImage('png', 120, 80), 'piccola.png');

    expect([part.width, part.height]).toEqual([120, 80]);
    const meta = await sharp(part.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([120, 80]);
  });

  it('brings the long side of a big scan down to 2000 px, keeping the proportions', async () => {
    const part = await normalizePart(await plainImage('png', 5000, 1000), 'panoramica.png');

    expect([part.width, part.height]).toEqual([2000, 400]);
  });

  it('keeps a greyscale scan greyscale', async () => {
    const input = await sharp(await plainImage('png', 300, 200, '#777777'))
      .toColourspace('b-w')
      .png()
      .toBuffer();

    const part = await normalizePart(input, 'scansione_bn.png');

    expect((await sharp(part.bytes).metadata()).channels).toBe(1);
  });

  it.each(['webp', 'tiff', 'avif'] as const)('turns a %s image into a JPEG', async (format) => {
    const part = await normalizePart(await plainImage(format, 640, 480), `foto.${format}`);

    expect(part).toMatchObject({ mime: 'image/jpeg', kind: format, pages: 1, width: 640, height: 480 });
    expect((await sharp(part.bytes).metadata()).format).toBe('jpeg');
  });

  it('keeps even a page of pure noise within the 1 MB page target, by lowering quality then size', async () => {
    const input = await noiseImage(2000, 1500);

    const part = await normalizePart(input, 'sfondo_di_sicurezza.png');

    expect(part.mime).toBe('image/jpeg');
    expect(part.bytes.length).toBeLessThanOrEqual(TARGET_PAGE_BYTES);
    expect(part.width! / part.height!).toBeCloseTo(2000 / 1500, 2);
  });

  it('encodes a phone photo once, with the fast encoder, and a noise page in fewer passes than the ladder has', async () => {
    const [phonePhoto, noise] = [await photo(4000, 3000), await noiseImage(2000, 1500)];
    const encodes = vi.spyOn(sharp.prototype, 'jpeg');
    try {
      await normalizePart(phonePhoto, 'IMG_0002.jpg');
      expect(
        encodes.mock.calls.map(([options]) => (options as JpegOptions | undefined)?.trellisQuantisation),
      ).toEqual([false]);

      encodes.mockClear();
      const part = await normalizePart(noise, 'sfondo_di_sicurezza.png');
      expect(part.bytes.length).toBeLessThanOrEqual(TARGET_PAGE_BYTES);
      // Six steps: the fast one, then trellis at 80, 70, 60 (85%), 60 (70%), 50 (50%).
      expect(encodes.mock.calls.length).toBeGreaterThan(1);
      expect(encodes.mock.calls.length).toBeLessThan(6);
    } finally {
      encodes.mockRestore();
    }
  });

  it('judges a renamed file by its bytes: a PNG called .pdf is an image', async () => {
    const part = await normalizePart(await plainImage('png', 200, 100), 'documento.pdf');

    expect(part).toMatchObject({ kind: 'png', mime: 'image/jpeg' });
  });

  it('turns every page of a multi-page TIFF (fronte and retro from the feeder) into one PDF', async () => {
    const input = await multiPageTiff(['#ff0000', '#00ff00', '#0000ff']);

    const part = await normalizePart(input, 'scansione.tif');

    expect(part).toMatchObject({
      mime: 'application/pdf',
      kind: 'tiff',
      pages: 3,
      width: null,
      height: null,
    });
    const doc = await PDFDocument.load(part.bytes);
    expect(doc.getPageCount()).toBe(3);
  });

  it(`refuses a TIFF of more than ${MAX_DOCUMENT_PAGES} pages before converting any`, async () => {
    const input = await multiPageTiff(
      Array.from({ length: MAX_DOCUMENT_PAGES + 1 }, () => '#ffffff'),
      40,
      30,
    );

    const error = await failure(normalizePart(input, 'faldone.tif'));

    expect(error.code).toBe('file_too_large');
    expect(error.details).toMatchObject({ measure: 'pages', pages: MAX_DOCUMENT_PAGES + 1 });
  });

  it('refuses an image announcing too many pixels before decoding it', async () => {
    const error = await failure(normalizePart(pngClaiming(20_000, 20_000), 'enorme.png'));

    expect(error.code).toBe('file_too_large');
    expect(error.message).toContain('20000×20000 pixel');
    expect(error.details).toMatchObject({
      name: 'enorme.png',
      measure: 'pixels',
      width: 20_000,
      height: 20_000,
    });
  });

  it('refuses a half-copied photo', async () => {
    const whole = await photo(600, 400);

    const error = await failure(normalizePart(whole.subarray(0, whole.length / 2), 'copiata_a_metà.jpg'));

    expect(error.code).toBe('file_type');
    expect(error.message).toContain('danneggiata o incompleta');
    expect(error.details).toMatchObject({ name: 'copiata_a_metà.jpg', kind: 'jpeg', reason: 'damaged' });
  });

  it('tells whether this computer reads HEIC, and says what to do when it does not', async () => {
    const error = await failure(normalizePart(heicContainer(640, 480), 'IMG_0003.HEIC'));

    expect(error.code).toBe('file_type');
    if (heicSupported()) {
      // With an HEVC decoder the container is read, and the fake picture inside is found broken.
      expect(error.details).toMatchObject({ kind: 'heic', reason: 'damaged' });
    } else {
      expect(error.message).toMatch(
        /^HEIC non supportato su questo computer: esportate la foto «IMG_0003\.HEIC» in JPEG/,
      );
      expect(error.details).toMatchObject({
        name: 'IMG_0003.HEIC',
        kind: 'heic',
        reason: 'heic_unsupported',
      });
      expect(acceptedFormats()).not.toContain('HEIC');
    }
  });
});

describe('normalizePart: PDFs', () => {
  it('keeps a PDF byte for byte and counts its pages', async () => {
    const input = await textPdf(2);

    const part = await normalizePart(input, 'mandato.pdf');

    expect(part).toEqual({
      bytes: input,
      mime: 'application/pdf',
      kind: 'pdf',
      pages: 2,
      width: null,
      height: null,
    });
  });

  it('accepts a PDF with junk before its header', async () => {
    const input = Buffer.concat([Buffer.from('\r\n\r\n'), await textPdf(1)]);

    const part = await normalizePart(input, 'da_posta_elettronica.pdf');

    expect(part.pages).toBe(1);
  });

  it('refuses a PDF over 4 MB, since it cannot be recompressed, saying how to make it smaller', async () => {
    const input = await heavyPdf(MAX_DOCUMENT_BYTES + 200_000);

    const error = await failure(normalizePart(input, 'scansione_600dpi.pdf'));

    expect(error.code).toBe('file_too_large');
    expect(error.message).toMatch(
      /^Il PDF «scansione_600dpi\.pdf» pesa 4,2 MB: il massimo per un documento è 4 MB/,
    );
    expect(error.message).toContain('scansionatelo di nuovo a 200 dpi');
    expect(error.details).toEqual({
      name: 'scansione_600dpi.pdf',
      measure: 'bytes',
      size: input.length,
      limit: MAX_DOCUMENT_BYTES,
    });
  });

  it(`refuses a PDF of more than ${MAX_DOCUMENT_PAGES} pages`, async () => {
    const error = await failure(normalizePart(await textPdf(MAX_DOCUMENT_PAGES + 1), 'fascicolo.pdf'));

    expect(error.code).toBe('file_too_large');
    expect(error.details).toMatchObject({
      measure: 'pages',
      pages: MAX_DOCUMENT_PAGES + 1,
      limit: MAX_DOCUMENT_PAGES,
    });
  });

  it('refuses a PDF that needs a password to open', async () => {
    const error = await failure(normalizePart(await protectedPdf('segreta'), 'busta_paga.pdf'));

    expect(error.code).toBe('file_type');
    expect(error.message).toContain('«busta_paga.pdf» è protetto da password');
    expect(error.details).toMatchObject({ kind: 'pdf', reason: 'encrypted' });
  });

  it('refuses a PDF that opens freely but is protected by restrictions, which could not be merged', async () => {
    const error = await failure(normalizePart(await protectedPdf(''), 'estratto_conto.pdf'));

    expect(error.details).toMatchObject({ kind: 'pdf', reason: 'encrypted' });
  });

  it('refuses a damaged PDF', async () => {
    const input = Buffer.from(
      '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );

    const error = await failure(normalizePart(input, 'rotto.pdf'));

    expect(error.code).toBe('file_type');
    expect(error.message).toBe(
      'Il PDF «rotto.pdf» è danneggiato o incompleto e non si può leggere: scaricatelo o scansionatelo di nuovo',
    );
    expect(error.details).toEqual({ name: 'rotto.pdf', kind: 'pdf', reason: 'damaged' });
  });

  it('refuses a PDF whose download was cut short, although its pages could be pieced together', async () => {
    const whole = await textPdf(2);

    const error = await failure(normalizePart(whole.subarray(0, whole.length / 2), 'scaricato_a_metà.pdf'));

    expect(error.details).toMatchObject({ kind: 'pdf', reason: 'damaged' });
  });

  it('refuses a PDF without pages', async () => {
    const error = await failure(normalizePart(Buffer.from('%PDF-1.7\n%%EOF\n'), 'vuoto.pdf'));

    expect(error.code).toBe('file_type');
    expect(error.details).toMatchObject({ kind: 'pdf' });
  });
});

describe('normalizePart: what is not accepted', () => {
  it.each([
    [
      'a ZIP renamed to .pdf',
      'documento.pdf',
      Buffer.from('PK\x03\x04\x14\0\0\0word/document.xml', 'latin1'),
    ],
    [
      'a program renamed to .jpg',
      'foto.jpg',
      Buffer.from('MZ\x90\0\x03\0\0\0This program cannot be run', 'latin1'),
    ],
    ['a text file', 'nota.txt', Buffer.from('Allego la carta d’identità')],
  ])('refuses %s, listing the accepted formats', async (_label, name, bytes) => {
    const error = await failure(normalizePart(bytes, name));

    expect(error.code).toBe('file_type');
    expect(error.message).toContain(
      `Il file «${name}» non è un PDF né un'immagine accettata: salvatelo come PDF`,
    );
    expect(error.message).toContain('PDF, JPEG, PNG, WebP, TIFF');
    expect(error.details).toMatchObject({ name, kind: null, reason: 'unknown', accepted: acceptedFormats() });
  });

  it('refuses an empty file', async () => {
    const error = await failure(normalizePart(new Uint8Array(), 'vuoto.pdf'));

    expect(error.code).toBe('file_type');
    expect(error.details).toMatchObject({ reason: 'empty' });
  });

  it('refuses a file over 40 MB before looking inside', async () => {
    const bytes = new Uint8Array(MAX_INPUT_BYTES + 1);
    bytes.set([0xff, 0xd8, 0xff]);

    const error = await failure(normalizePart(bytes, 'video.jpg'));

    expect(error.code).toBe('file_too_large');
    expect(error.message).toMatch(/^Il file «video\.jpg» pesa 40,1 MB: il massimo è 40 MB/);
    expect(error.details).toEqual({
      name: 'video.jpg',
      measure: 'bytes',
      size: MAX_INPUT_BYTES + 1,
      limit: MAX_INPUT_BYTES,
    });
  });
});

describe('normalizePart: any bytes at all', () => {
  const outcome = async (bytes: Uint8Array): Promise<NormalizedPart | AppError> => {
    try {
      return await normalizePart(bytes, 'qualunque');
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  };

  const checkOutcome = (result: NormalizedPart | AppError) => {
    if (result instanceof AppError) {
      expect(['file_type', 'file_too_large']).toContain(result.code);
      return;
    }
    expect(['application/pdf', 'image/jpeg']).toContain(result.mime);
    expect(result.pages).toBeGreaterThanOrEqual(1);
  };

  it('either yields a valid part or refuses with an AppError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) =>
        checkOutcome(await outcome(bytes)),
      ),
      { numRuns: 50 },
    );
  });

  it('does the same for garbage behind each accepted signature', async () => {
    const signatures = [
      [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a],
      [0xff, 0xd8, 0xff, 0xe0],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
      [0x49, 0x49, 0x2a, 0x00],
      [0x4d, 0x4d, 0x00, 0x2a],
      [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63, 0, 0, 0, 0, 0x6d, 0x69, 0x66, 0x31],
      [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66, 0, 0, 0, 0, 0x6d, 0x69, 0x66, 0x31],
    ];
    // Ending with %%EOF takes PDF garbage past the cheap checks, into the parser.
    const endings = [[], [...Buffer.from('\n%%EOF\n')]];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...signatures),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(...endings),
        async (signature, rest, ending) =>
          checkOutcome(await outcome(Uint8Array.from([...signature, ...rest, ...ending]))),
      ),
      { numRuns: 50 },
    );
  });
});
