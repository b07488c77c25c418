import { ascii, hasPdfHeader, isJpeg, isPng, isTiff, isWebp, startsWith } from '../files/magic.ts';

/** The formats a clerk may attach, as told by a file's first bytes. */
export type FileKind = 'pdf' | 'jpeg' | 'png' | 'webp' | 'tiff' | 'heic' | 'avif';

export const MIME_OF: Record<FileKind, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
  heic: 'image/heic',
  avif: 'image/avif',
};

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx']);
/** Generic HEIF brands: AVIF files carry them too, so they count only when no codec brand decides. */
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1']);

/**
 * The kind of a file from its magic bytes, never from its name: a clerk's "documento.pdf" may
 * well be a renamed ZIP or a Word file. Null when it is none of the accepted kinds.
 */
export function sniff(bytes: Uint8Array): FileKind | null {
  if (isJpeg(bytes)) return 'jpeg';
  if (isPng(bytes)) return 'png';
  if (isWebp(bytes)) return 'webp';
  if (isTiff(bytes)) return 'tiff';
  const heif = heifKind(bytes);
  if (heif) return heif;
  if (hasPdfHeader(bytes)) return 'pdf';
  return null;
}

/** HEIC and AVIF are both ISO-BMFF files opening with an `ftyp` box that lists brands. */
function heifKind(bytes: Uint8Array): 'heic' | 'avif' | null {
  if (bytes.length < 16 || !startsWith(bytes, ascii('ftyp'), 4)) return null;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (boxSize < 16) return null;
  const end = Math.min(boxSize, bytes.length);
  const major = brandAt(bytes, 8);
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= end; offset += 4) compatible.push(brandAt(bytes, offset));

  if (AVIF_BRANDS.has(major)) return 'avif';
  if (HEVC_BRANDS.has(major)) return 'heic';
  if (compatible.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (compatible.some((brand) => HEVC_BRANDS.has(brand))) return 'heic';
  if ([major, ...compatible].some((brand) => GENERIC_HEIF_BRANDS.has(brand))) return 'heic';
  return null;
}

function brandAt(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}
