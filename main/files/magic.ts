/*
 * Magic bytes: what a file is, from its first bytes, never from its name. The attachments' sniff
 * (what a clerk may attach) and the outputs' unzip (what an archive may hold) both read them here.
 */

/** Some PDF writers put a few bytes before the header; readers accept up to 1 KB of them. */
const PDF_HEADER_WINDOW = 1024;

export const PDF_HEADER = ascii('%PDF-');
export const JPEG_START = [0xff, 0xd8, 0xff];
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const TIFF_LITTLE_ENDIAN = [0x49, 0x49, 0x2a, 0x00];
export const TIFF_BIG_ENDIAN = [0x4d, 0x4d, 0x00, 0x2a];
export const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];

export function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((byte, i) => bytes[offset + i] === byte);
}

export function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

/** `%PDF-` within the first kilobyte, where readers look for it. */
export function hasPdfHeader(bytes: Uint8Array): boolean {
  const last = Math.min(PDF_HEADER_WINDOW, bytes.length - PDF_HEADER.length);
  for (let offset = 0; offset <= last; offset++) {
    if (startsWith(bytes, PDF_HEADER, offset)) return true;
  }
  return false;
}

export const isJpeg = (bytes: Uint8Array) => startsWith(bytes, JPEG_START);
export const isPng = (bytes: Uint8Array) => startsWith(bytes, PNG_SIGNATURE);
export const isTiff = (bytes: Uint8Array) =>
  startsWith(bytes, TIFF_LITTLE_ENDIAN) || startsWith(bytes, TIFF_BIG_ENDIAN);
export const isWebp = (bytes: Uint8Array) =>
  startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8);
export const isZip = (bytes: Uint8Array) => startsWith(bytes, ZIP_LOCAL_HEADER);
