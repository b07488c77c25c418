import bwipjs from 'bwip-js';
import sharp, { type OverlayOptions } from 'sharp';

/*
 * Card-like test images: the back of a tessera sanitaria / CIE with the codice fiscale as a real
 * Code 39 barcode (bwip-js), on a textured, noisy background with a magnetic stripe and some print,
 * then rotated, faded or JPEG-compressed as a hurried scan or a phone photo would be.
 */

/** ID-1 card, 85.60 × 53.98 mm, at 300 dpi. */
export const CARD_WIDTH = 1011;
export const CARD_HEIGHT = 638;

export interface CardOptions {
  /** The text of the barcode; null for a card with no barcode at all. */
  cf?: string | null;
  /** Degrees clockwise; any angle (small ones tilt the card on the glass). */
  rotate?: number;
  /** Bars grey on grey, as a faded card or an over-exposed photo. */
  lowContrast?: boolean;
  format?: 'png' | 'jpeg';
  jpegQuality?: number;
  /** Lay the card on an A4 page scanned at 300 dpi, off-centre, as a flatbed scan of it. */
  onPage?: boolean;
  seed?: number;
}

export async function cardBack(options: CardOptions = {}): Promise<Buffer> {
  const cf = options.cf === undefined ? 'RSSMRA85T10A562S' : options.cf;
  const low = options.lowContrast ?? false;
  const background = texture(CARD_WIDTH, CARD_HEIGHT, options.seed ?? 7, low ? 170 : 215);
  const layers: OverlayOptions[] = [
    // Magnetic stripe and some print, which must not confuse the reader.
    { input: await solid(CARD_WIDTH, 150, low ? '#8a8a8a' : '#2b2b2b'), top: 40, left: 0 },
    { input: printedText(low), top: 210, left: 40 },
  ];
  if (cf !== null) {
    const barcode = await bwipjs.toBuffer({
      bcid: 'code39',
      text: cf,
      scale: 2,
      height: 9,
      includetext: false,
      paddingwidth: 12,
      paddingheight: 6,
      barcolor: low ? '8A8A8A' : '101010',
      backgroundcolor: low ? 'B8B8B8' : 'FAFAFA',
    });
    const meta = await sharp(barcode).metadata();
    layers.push({
      input: barcode,
      top: CARD_HEIGHT - meta.height - 60,
      left: Math.round((CARD_WIDTH - meta.width) / 2),
    });
  }
  let card = await sharp(background.pixels, { raw: { width: CARD_WIDTH, height: CARD_HEIGHT, channels: 3 } })
    .composite(layers)
    .png()
    .toBuffer();
  if (options.rotate) {
    card = await sharp(card)
      .rotate(options.rotate, { background: low ? '#b0b0b0' : '#ffffff' })
      .png()
      .toBuffer();
  }
  if (options.onPage) {
    card = await sharp({ create: { width: 2480, height: 3508, channels: 3, background: '#f4f4f0' } })
      .composite([{ input: card, top: 420, left: 300 }])
      .png()
      .toBuffer();
  }
  return options.format === 'jpeg'
    ? sharp(card)
        .jpeg({ quality: options.jpegQuality ?? 80 })
        .toBuffer()
    : sharp(card).png().toBuffer();
}

/** A pale blue-grey gradient with pixel noise (seeded: the same card every run). */
function texture(width: number, height: number, seed: number, base: number) {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      const noise = (state % 25) - 12;
      const shade = base - Math.round((x / width) * 20) + noise;
      const i = (y * width + x) * 3;
      pixels[i] = clamp(shade - 12);
      pixels[i + 1] = clamp(shade - 4);
      pixels[i + 2] = clamp(shade + 10);
    }
  }
  return { pixels };
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, v));
}

function solid(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

function printedText(low: boolean): Buffer {
  const fill = low ? '#777' : '#333';
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="120">
    <text x="0" y="30" font-family="sans-serif" font-size="26" fill="${fill}">TESSERA SANITARIA - CARTA NAZIONALE DEI SERVIZI</text>
    <text x="0" y="70" font-family="sans-serif" font-size="20" fill="${fill}">In caso di smarrimento rivolgersi alla ASL di competenza</text>
    <rect x="0" y="90" width="600" height="6" fill="${fill}"/>
  </svg>`);
}
