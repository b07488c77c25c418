import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { expect } from 'vitest';
import { AppError } from '../../../main/errors.ts';

/** Real bytes for the attachment tests: everything is generated, nothing depends on a camera. */

export const MB = 1024 * 1024;

/** Pure red, as put in the stored top-left corner of `photo` to tell which way it was turned. */
export const MARKER = { r: 230, g: 20, b: 20 };

/**
 * A camera-like JPEG: colour gradients, a wavy pattern and per-pixel noise, so that it does not
 * compress trivially, with a red block in the top-left corner of the stored pixels.
 */
export async function photo(
  width: number,
  height: number,
  options: { orientation?: number; quality?: number } = {},
): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 0x5eed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const noise = ((seed >>> 24) - 128) / 3;
      if (x < width / 4 && y < height / 4) {
        pixels[i] = MARKER.r;
        pixels[i + 1] = MARKER.g;
        pixels[i + 2] = MARKER.b;
        continue;
      }
      pixels[i] = clamp((x / width) * 200 + 30 + noise);
      pixels[i + 1] = clamp((y / height) * 200 + 30 - noise);
      pixels[i + 2] = clamp(128 + 90 * Math.sin(x / 37) * Math.cos(y / 53) + noise);
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({
    quality: options.quality ?? 92,
  });
  // What a phone writes: maker, model and where the photo was taken.
  image.withExif({
    IFD0: { Make: 'TelefonoDiProva', Model: 'Modello X' },
    IFD3: {
      GPSLatitudeRef: 'N',
      GPSLatitude: '41/1 53/1 2400/100',
      GPSLongitudeRef: 'E',
      GPSLongitude: '12/1 29/1 0/1',
    },
  });
  if (options.orientation) image.withMetadata({ orientation: options.orientation });
  return image.toBuffer();
}

/** A flat-colour image in any format sharp writes. */
export async function plainImage(
  format: 'png' | 'webp' | 'tiff' | 'avif' | 'jpeg',
  width: number,
  height: number,
  colour = '#3366cc',
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();
}

/** A multi-page TIFF, as an ADF scanner writes fronte and retro. */
export async function multiPageTiff(colours: string[], width = 600, height = 400): Promise<Buffer> {
  const pages = await Promise.all(colours.map((colour) => plainImage('png', width, height, colour)));
  return sharp(pages, { join: { animated: true } })
    .tiff()
    .toBuffer();
}

/** Random pixels: the worst case for JPEG, like a scan of a security background. */
export async function noiseImage(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** A PDF with a line of text on each A4 page. */
export async function textPdf(pages: number, label = 'Pagina'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    doc.addPage([595.28, 841.89]).drawText(`${label} ${n} di ${pages}`, { x: 72, y: 760, size: 18, font });
  }
  return doc.save();
}

/** A one-page PDF that also carries `bytes` of incompressible data, like a 600 dpi colour scan. */
export async function heavyPdf(bytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  await doc.attach(randomBytes(bytes), 'scansione.bin', { mimeType: 'application/octet-stream' });
  return doc.save();
}

/** A PDF with AES-256 protection: with a password to open it, or with restrictions only. */
export async function protectedPdf(userPassword: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  doc.encrypt({ userPassword, ownerPassword: 'proprietario' });
  return doc.save();
}

/**
 * A structurally valid HEIC (ftyp `heic`, one `hvc1` item with its `hvcC` and `ispe`) whose HEVC
 * payload is not a real picture: enough to see whether this computer has an HEVC decoder, since
 * none of our tools can encode HEVC.
 */
export function heicContainer(width: number, height: number): Buffer {
  const payload = Buffer.from([0, 0, 0, 4, 0x26, 0x01, 0xaf, 0x00]);
  const ftyp = box('ftyp', ascii('heic'), u32(0), ascii('mif1heic'));
  const hdlr = fullBox('hdlr', 0, u32(0), ascii('pict'), Buffer.alloc(12), Buffer.from([0]));
  const pitm = fullBox('pitm', 0, u16(1));
  const iinf = fullBox(
    'iinf',
    0,
    u16(1),
    fullBox('infe', 2, u16(1), u16(0), ascii('hvc1'), Buffer.from([0])),
  );
  const hvcC = box(
    'hvcC',
    Buffer.from([
      1, 1, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5d, 0xf0, 0, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f, 0,
    ]),
  );
  const ispe = fullBox('ispe', 0, u32(width), u32(height));
  const iprp = box(
    'iprp',
    box('ipco', hvcC, ispe),
    fullBox('ipma', 0, u32(1), u16(1), Buffer.from([2, 0x81, 0x02])),
  );
  const meta = (dataOffset: number) =>
    fullBox(
      'meta',
      0,
      hdlr,
      pitm,
      fullBox(
        'iloc',
        0,
        Buffer.from([0x44, 0x00]),
        u16(1),
        u16(1),
        u16(0),
        u16(1),
        u32(dataOffset),
        u32(payload.length),
      ),
      iinf,
      iprp,
    );
  const dataOffset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(dataOffset), box('mdat', payload)]);
}

/** A PNG header announcing `width`×`height` pixels, followed by almost no data: a decompression bomb's shape. */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.concat([u32(width), u32(height), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The AppError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the promise to be refused');
}

/** The same, for a synchronous call. */
export function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to be refused');
}

/** The colour of one pixel of an encoded image. */
export async function pixelAt(
  image: Uint8Array,
  x: number,
  y: number,
): Promise<{ r: number; g: number; b: number }> {
  const { data, info } = await sharp(image).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

function box(type: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([u32(8 + content.length), ascii(type), content]);
}

function fullBox(type: string, version: number, ...body: Buffer[]): Buffer {
  return box(type, Buffer.from([version, 0, 0, 0]), ...body);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([ascii(type), data]);
  return Buffer.concat([u32(data.length), typed, u32(crc32(typed))]);
}
