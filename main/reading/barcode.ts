import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes, type ReaderOptions, type ReadResult } from 'zxing-wasm/reader';
import type { MandatoCode } from '../../common/reading.ts';
import { lookupPlace } from '../../common/validators/belfiore.ts';
import {
  checkCodiceFiscale,
  type CodiceFiscaleInfo,
  type CodiceFiscalePersonaInfo,
} from '../../common/validators/codiceFiscale.ts';
import { parseMandatoCode } from './mandato-code.ts';
import { pageImages } from './pages.ts';

/*
 * The codice fiscale printed as a Code 39 barcode on the back of the tessera sanitaria and of the
 * CIE, and the QR code the app prints on its mandato (mandato-code.ts). zxing-wasm reads them; its .wasm is read from node_modules and handed over as bytes, so the
 * library never fetches it from its default CDN (offline counters, and no third party learns that
 * a card was read). zxing already tries 90/180/270° and inverted bars; a card lying askew on the
 * glass, or faded, gets a second and a third look: contrast stretched, then turned in small steps.
 */

export interface Point {
  x: number;
  y: number;
}

export interface CardBarcode {
  /** As read, upper case. */
  cf: string;
  valid: boolean;
  /** Why the code read is not a valid CF (Italian, for the clerk); null when valid. */
  issue: string | null;
  /** Birth date, sex, Belfiore place (and its name when known); null for an invalid or numeric CF. */
  info: CodiceFiscalePersonaInfo | null;
  /** Which look found it: straight away, after a contrast stretch, or turned by `angle` degrees. */
  pass: 'direct' | 'enhanced' | 'angled';
  angle: number;
  /** 'high' for a valid CF read straight or enhanced; 'medium' when only a turned image read it. */
  confidence: 'high' | 'medium' | 'low';
  /** Corners in the (EXIF-oriented) image, for the direct and enhanced passes; null when turned. */
  position: { topLeft: Point; topRight: Point; bottomRight: Point; bottomLeft: Point } | null;
  /** Index of the image in a PDF (0 for an image file). */
  image: number;
}

export interface BarcodeOptions {
  /** Resolve the birthplace name from its Belfiore code (loads the place table on first use). */
  placeName?: boolean;
}

/** Images larger than this (longest side) are scaled down first: a 600 dpi A4 is plenty at 300. */
const MAX_SIDE = 3600;
/** The tilts tried after the straight passes, in degrees; zxing reads ±5° or so by itself. */
export const ANGLES: readonly number[] = [-8, 8, -16, 16, -24, 24, -32, 32, -40, 40, -45];

const READER: ReaderOptions = {
  formats: ['Code39', 'QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 8,
};

let ready: Promise<unknown> | null = null;
let wasmPath: string | null = null;

/** Where the zxing reader .wasm is (packaging may move it); the node_modules copy by default. */
export function setBarcodeWasmPath(path: string): void {
  wasmPath = path;
  ready = null;
}

function load(): Promise<unknown> {
  ready ??= (async () => {
    const path = wasmPath ?? createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const bytes = await readFile(path);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return prepareZXingModule({
      overrides: {
        wasmBinary,
        // Belt and braces: should anything still ask where the file is, it is the local path.
        locateFile: (file: string) => (file.endsWith('.wasm') ? path : file),
      },
      fireImmediately: true,
    });
  })();
  ready.catch(() => {
    ready = null;
  });
  return ready;
}

/**
 * Reads the CF barcode from image bytes (JPEG, PNG, TIFF, WebP) or from the pictures of a scanned
 * PDF's first pages (pages.ts). Null when no Code 39 that looks like a CF is found.
 */
export async function readCodiceFiscaleBarcode(
  bytes: Uint8Array,
  options: BarcodeOptions = {},
): Promise<CardBarcode | null> {
  await load();
  const images = await pageImages(bytes);
  for (const [index, image] of images.entries()) {
    const found = await readImage(image);
    if (!found) continue;
    const reading = { ...found, image: index };
    if (options.placeName && reading.info)
      reading.info = { ...reading.info, placeName: await lookupPlace(reading.info.placeCode) };
    return reading;
  }
  return null;
}

/** True when the clerk typed a CF and the card says another. */
export function cfMismatch(typed: string, card: CardBarcode): boolean {
  const clean = typed.replace(/\s+/g, '').toUpperCase();
  return clean !== '' && clean !== card.cf;
}

type Found = Omit<CardBarcode, 'image'>;

/** What the codes on one page say: a card's codice fiscale, the app's mandato code. */
export interface PageCodes {
  card: Found | null;
  mandato: MandatoCode | null;
  /**
   * Degrees clockwise that turn the card's barcode to read left to right (the card upright: its
   * MRZ runs the same way); null when none was seen, or only on a turned copy.
   */
  upright: number | null;
}

/** An image's pixels in grey, upright by its EXIF, at most MAX_SIDE; null when sharp cannot decode it. */
export async function greyImage(bytes: Uint8Array): Promise<GreyImage | null> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: 200_000_000 })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      // Transparent corners (a cut-out photo) would otherwise read as black.
      .flatten({ background: '#ffffff' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch {
    return null; // not an image sharp can decode: nothing to read
  }
}

/**
 * The codes of a page: straight away, then with the contrast stretched; then, for each of
 * `angles`, on a copy turned by it (a card lying askew on the glass, its tilt measured from its
 * lines: layout.ts), for the card's barcode.
 */
export async function readPageCodes(
  grey: GreyImage,
  options: { angles: readonly number[] },
): Promise<PageCodes> {
  await load();
  const direct = await decode(grey);
  let found = codesOf(direct, 'direct', 0);
  if (found.card?.valid || found.mandato) return found;
  const enhancedImage = await stretched(grey);
  const enhanced = codesOf(await decode(enhancedImage), 'enhanced', 0);
  found = merge(found, enhanced);
  for (const angle of options.angles) {
    if (found.card?.valid || found.mandato) break;
    found = merge(found, codesOf(await decode(await turn(enhancedImage, angle)), 'angled', angle));
  }
  return found;
}

function merge(a: PageCodes, b: PageCodes): PageCodes {
  const card = a.card?.valid ? a.card : (b.card ?? a.card);
  return {
    card,
    mandato: a.mandato ?? b.mandato,
    upright: card === a.card ? a.upright : b.upright,
  };
}

function codesOf(results: ReadResult[], pass: Found['pass'], angle: number): PageCodes {
  const card = pick(
    results.filter((r) => r.format === 'Code39'),
    pass,
    angle,
  );
  let mandato: MandatoCode | null = null;
  for (const result of results)
    if (result.isValid && result.format === 'QRCode') mandato ??= parseMandatoCode(result.text);
  const bars =
    card &&
    results.find((r) => r.format === 'Code39' && r.text.replace(/\s+/g, '').toUpperCase() === card.cf);
  const upright =
    bars && pass !== 'angled'
      ? -Math.round(
          (Math.atan2(
            bars.position.topRight.y - bars.position.topLeft.y,
            bars.position.topRight.x - bars.position.topLeft.x,
          ) *
            180) /
            Math.PI,
        )
      : null;
  return { card, mandato, upright };
}

async function stretched(grey: GreyImage): Promise<GreyImage> {
  const raw = { raw: { width: grey.width, height: grey.height, channels: grey.channels } };
  const out = await sharp(grey.data, raw).normalise().raw().toBuffer({ resolveWithObject: true });
  return { data: out.data, ...out.info };
}

async function turn(image: GreyImage, angle: number): Promise<GreyImage> {
  const out = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .rotate(angle, { background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: out.data, ...out.info };
}

async function readImage(bytes: Uint8Array): Promise<Found | null> {
  const grey = await greyImage(bytes);
  if (!grey) return null;
  const direct = pick(await decode(grey), 'direct', 0);
  if (direct) return direct;
  const enhancedImage = await stretched(grey);
  const enhanced = pick(await decode(enhancedImage), 'enhanced', 0);
  if (enhanced) return enhanced;
  for (const angle of ANGLES) {
    const found = pick(await decode(await turn(enhancedImage, angle)), 'angled', angle);
    if (found) return found;
  }
  return null;
}

/** Raw pixels whose first channel is the grey level (sharp may add others, e.g. after a rotation). */
export interface GreyImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/**
 * Hands a grey image to zxing as RGBA in the shape of an ImageData (zxing checks the shape, not
 * the class, which Node lacks); channels after the first are ignored.
 */
async function decode(image: GreyImage): Promise<ReadResult[]> {
  const stride = image.channels;
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; j < rgba.length; i += stride, j += 4) {
    const v = image.data[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  const pixels = { data: rgba, width: image.width, height: image.height, colorSpace: 'srgb' as const };
  return readBarcodes(pixels, READER);
}

/** The best CF-shaped result: a valid code over an invalid one. */
function pick(results: ReadResult[], pass: Found['pass'], angle: number): Found | null {
  const candidates: Found[] = [];
  for (const result of results) {
    if (!result.isValid || result.format !== 'Code39') continue;
    const text = result.text.replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z0-9]{16}$/.test(text) && !/^\d{11}$/.test(text)) continue;
    const check = checkCodiceFiscale(text);
    const info: CodiceFiscaleInfo | null = check.ok ? (check.info ?? null) : null;
    candidates.push({
      cf: text,
      valid: check.ok,
      issue: check.ok ? null : check.issue.message,
      info: info?.kind === 'persona' ? info : null,
      pass,
      angle,
      confidence: !check.ok ? 'low' : pass === 'angled' ? 'medium' : 'high',
      position:
        pass === 'angled'
          ? null
          : {
              topLeft: point(result.position.topLeft),
              topRight: point(result.position.topRight),
              bottomRight: point(result.position.bottomRight),
              bottomLeft: point(result.position.bottomLeft),
            },
    });
  }
  return candidates.find((c) => c.valid) ?? candidates[0] ?? null;
}

function point(p: Point): Point {
  return { x: p.x, y: p.y };
}
