import sharp from 'sharp';
import type { NormalizedPart } from './part.ts';

/**
 * A small JPEG data URL for the renderer's list of parts. Null for PDFs, which the renderer draws
 * itself with pdf.js, and for an image that cannot be read: a missing preview must not stop the
 * clerk from attaching a file that normalisation already accepted.
 */
export async function imageThumbnail(part: NormalizedPart, size = 160): Promise<string | null> {
  if (part.mime !== 'image/jpeg') return null;
  try {
    const jpeg = await sharp(part.bytes)
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 70, mozjpeg: true })
      .toBuffer();
    return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  } catch {
    return null;
  }
}
