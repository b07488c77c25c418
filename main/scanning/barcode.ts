import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PDFDocument, PDFName, PDFRawStream } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes, type ReaderOptions, type ReadResult } from 'zxing-wasm/reader';
import { lookupPlace } from '../../common/validators/belfiore.ts';
import {
  checkCodiceFiscale,
  type CodiceFiscaleInfo,
  type CodiceFiscalePersonaInfo,
} from '../../common/validators/codiceFiscale.ts';
import { sniff } from '../attachments/sniff.ts';

/*
 * The codice fiscale printed as a Code 39 barcode on the back of the tessera sanitaria and of the
 * CIE. zxing-wasm reads it; its .wasm is read from node_modules and handed over as bytes, so the
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
const ANGLES = [-8, 8, -16, 16, -24, 24, -32, 32, -40, 40, -45];
/** Images of a PDF page looked at: scanner PDFs hold one image a page. */
const MAX_PDF_IMAGES = 8;

const READER: ReaderOptions = {
  formats: ['Code39'],
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
 * Reads the CF barcode from image bytes (JPEG, PNG, TIFF, WebP) or from the JPEG images of a
 * scanned PDF. Null when no Code 39 that looks like a CF is found.
 */
export async function readCodiceFiscaleBarcode(
  bytes: Uint8Array,
  options: BarcodeOptions = {},
): Promise<CardBarcode | null> {
  await load();
  const images = sniff(bytes) === 'pdf' ? await pdfImages(bytes) : [bytes];
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

async function readImage(bytes: Uint8Array): Promise<Found | null> {
  let grey: GreyImage;
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: 200_000_000 })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      // Transparent corners (a cut-out photo) would otherwise read as black.
      .flatten({ background: '#ffffff' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    grey = { data, width: info.width, height: info.height, channels: info.channels };
  } catch {
    return null; // not an image sharp can decode: nothing to read
  }
  const raw = { raw: { width: grey.width, height: grey.height, channels: grey.channels } };

  const direct = pick(await decode(grey), 'direct', 0);
  if (direct) return direct;
  const stretched = await sharp(grey.data, raw).normalise().raw().toBuffer({ resolveWithObject: true });
  const enhancedImage: GreyImage = { data: stretched.data, ...stretched.info };
  const enhanced = pick(await decode(enhancedImage), 'enhanced', 0);
  if (enhanced) return enhanced;
  for (const angle of ANGLES) {
    const turned = await sharp(enhancedImage.data, {
      raw: { width: enhancedImage.width, height: enhancedImage.height, channels: enhancedImage.channels },
    })
      .rotate(angle, { background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = turned.info;
    const found = pick(await decode({ data: turned.data, width, height, channels }), 'angled', angle);
    if (found) return found;
  }
  return null;
}

/**
 * Hands a grey image to zxing as RGBA in the shape of an ImageData (zxing checks the shape, not
 * the class, which Node lacks); channels after the first are ignored.
 */
/** Raw pixels whose first channel is the grey level (sharp may add others, e.g. after a rotation). */
interface GreyImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

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
    if (!result.isValid) continue;
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

/** The JPEG images (DCTDecode streams) of a PDF: what a scanner's PDF holds, one a page. */
async function pdfImages(bytes: Uint8Array): Promise<Uint8Array[]> {
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch {
    return []; // a broken PDF has no barcode to offer; the attachment pipeline reports it
  }
  const images: Uint8Array[] = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const dict = object.dict;
    if (dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const filter = dict.get(PDFName.of('Filter'));
    if (filter !== PDFName.of('DCTDecode')) continue;
    images.push(object.contents);
    if (images.length >= MAX_PDF_IMAGES) break;
  }
  return images;
}

/** Whether an image carries a valid codice fiscale barcode: a hint for placing a dropped file. */
export async function hasCodiceFiscaleBarcode(bytes: Uint8Array): Promise<boolean> {
  return (await readCodiceFiscaleBarcode(bytes))?.valid ?? false;
}
