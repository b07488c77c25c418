import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import sharp from 'sharp';

/** A photo-like JPEG (noise over a gradient, so it does not compress to nothing). */
export async function photoJpeg(
  width = 1600,
  height = 1200,
  options: { orientation?: number } = {},
): Promise<Buffer> {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  let seed = 42;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = (i / channels) % width;
    pixels[i] = Math.min(255, Math.floor((x / width) * 200) + (seed % 56));
  }
  let image = sharp(pixels, { raw: { width, height, channels } }).jpeg({ quality: 92 });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return image.toBuffer();
}

export async function pngImage(width = 800, height = 500): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 30, g: 120, b: 200, alpha: 0.8 } } })
    .png()
    .toBuffer();
}

/** A real PDF with `pages` pages of text. */
export async function textPdf(pages = 2, title = 'Documento'): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = pdf.addPage([595.28, 841.89]);
    page.drawText(`${title} – pagina ${i}`, { x: 60, y: 760, size: 18, font });
  }
  return pdf.save();
}

/** A one-page PDF holding a lossless image of noise: a scan that no compression can shrink. */
export async function noiseScanPdf(width = 1000, height = 1000): Promise<Uint8Array> {
  const pixels = randomBytes(width * height * 3);
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const pdf = await PDFDocument.create();
  const image = await pdf.embedPng(png);
  const page = pdf.addPage([595.28, 841.89]);
  page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  return pdf.save();
}
