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

/** Some PDF writers put a few bytes before the header; readers accept up to 1 KB of them. */
const PDF_HEADER_WINDOW = 1024;

const PDF_HEADER = ascii('%PDF-');
const JPEG_START = [0xff, 0xd8, 0xff];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TIFF_LITTLE_ENDIAN = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BIG_ENDIAN = [0x4d, 0x4d, 0x00, 0x2a];

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx']);
/** Generic HEIF brands: AVIF files carry them too, so they count only when no codec brand decides. */
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1']);

/**
 * The kind of a file from its magic bytes, never from its name: a clerk's "documento.pdf" may
 * well be a renamed ZIP or a Word file. Null when it is none of the accepted kinds.
 */
export function sniff(bytes: Uint8Array): FileKind | null {
  if (startsWith(bytes, JPEG_START)) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, TIFF_LITTLE_ENDIAN) || startsWith(bytes, TIFF_BIG_ENDIAN)) return 'tiff';
  const heif = heifKind(bytes);
  if (heif) return heif;
  if (hasPdfHeader(bytes)) return 'pdf';
  return null;
}

function hasPdfHeader(bytes: Uint8Array): boolean {
  const last = Math.min(PDF_HEADER_WINDOW, bytes.length - PDF_HEADER.length);
  for (let offset = 0; offset <= last; offset++) {
    if (startsWith(bytes, PDF_HEADER, offset)) return true;
  }
  return false;
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

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}
