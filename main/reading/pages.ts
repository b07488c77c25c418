import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import { sniff } from '../attachments/sniff.ts';

/*
 * The pictures of a file's first pages, to be read: an image is its own page; a PDF from a scanner
 * holds one picture a page — JPEG (DCTDecode) as flatbeds and feeders write them, or plain
 * Flate-compressed pixels as pdf-lib embeds a PNG (the app's own mandato carries its code so).
 * Encodings OCR could not use anyway (CCITT, JBIG2, JPEG 2000, predictors) are passed over.
 */

/** Pages looked at: what identifies a paper is on its first pages. */
export const MAX_PAGES = 3;

/** The largest picture of each of the first pages, as bytes sharp decodes. */
export async function pageImages(bytes: Uint8Array): Promise<Uint8Array[]> {
  if (sniff(bytes) !== 'pdf') return [bytes];
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch {
    return []; // a broken PDF has nothing to read; the attachment pipeline reports it
  }
  const images: Uint8Array[] = [];
  for (const page of pdf.getPages().slice(0, MAX_PAGES)) {
    const streams = pictures(page.node.Resources(), pdf);
    streams.sort((a, b) => area(b) - area(a));
    for (const stream of streams) {
      const image = await picture(stream);
      if (image) {
        images.push(image);
        break;
      }
    }
  }
  return images;
}

/** The image XObjects of a page's resources, those inside its form XObjects included. */
function pictures(resources: PDFDict | undefined, pdf: PDFDocument, depth = 0): PDFRawStream[] {
  const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xobjects || depth > 2) return [];
  const found: PDFRawStream[] = [];
  for (const [, value] of xobjects.entries()) {
    const object = value instanceof PDFRef ? pdf.context.lookup(value) : value;
    if (!(object instanceof PDFRawStream)) continue;
    const subtype = object.dict.get(PDFName.of('Subtype'));
    if (subtype === PDFName.of('Image')) found.push(object);
    else if (subtype === PDFName.of('Form'))
      found.push(...pictures(object.dict.lookupMaybe(PDFName.of('Resources'), PDFDict), pdf, depth + 1));
  }
  return found;
}

const number = (dict: PDFDict, key: string) => dict.lookupMaybe(PDFName.of(key), PDFNumber)?.asNumber() ?? 0;
const area = (stream: PDFRawStream) => number(stream.dict, 'Width') * number(stream.dict, 'Height');

async function picture(stream: PDFRawStream): Promise<Uint8Array | null> {
  const dict = stream.dict;
  const filter = dict.lookup(PDFName.of('Filter'));
  const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
  if (only === PDFName.of('DCTDecode')) return stream.contents;
  if (only !== PDFName.of('FlateDecode')) return null;
  const predictor = dict.lookupMaybe(PDFName.of('DecodeParms'), PDFDict);
  if (predictor && number(predictor, 'Predictor') > 1) return null;
  if (number(dict, 'BitsPerComponent') !== 8) return null;
  const channels = colourChannels(dict);
  const width = number(dict, 'Width');
  const height = number(dict, 'Height');
  if (!channels || !width || !height) return null;
  try {
    const pixels = inflateSync(stream.contents);
    if (pixels.length < width * height * channels) return null;
    return await sharp(pixels, { raw: { width, height, channels } }).png().toBuffer();
  } catch {
    return null; // damaged stream: nothing to read there
  }
}

/** Grey or RGB pixels (device or ICC-based); anything else (CMYK, indexed) is not read. */
function colourChannels(dict: PDFDict): 1 | 3 | null {
  const space = dict.lookup(PDFName.of('ColorSpace'));
  if (space === PDFName.of('DeviceRGB')) return 3;
  if (space === PDFName.of('DeviceGray')) return 1;
  if (space instanceof PDFArray && space.lookup(0) === PDFName.of('ICCBased')) {
    const profile = space.lookup(1);
    const n = profile instanceof PDFRawStream ? number(profile.dict, 'N') : 0;
    return n === 3 ? 3 : n === 1 ? 1 : null;
  }
  return null;
}
