import sharp from 'sharp';

/*
 * Which way a page's lines of text run, before any OCR: ink is what is darker than its
 * surroundings (so a dark desk around a photographed card is not ink), in marks the size of
 * characters (a card's edge against the desk, a rule, a photo are not), and the rows of ink are
 * sharpest — the largest jumps between one row's ink and the next (Postl's criterion) — when the
 * lines lie horizontal. Turned a quarter, the same measure is flat. A page with no such contrast
 * (a photo, noise, a blank sheet) has no text worth reading. Upside down and upright look the
 * same here: OCR's confidence tells those apart.
 */

export interface Layout {
  /** Whether the page has any marks at all (not blank, not a photo of nothing). */
  ink: boolean;
  /** Whether the page has lines of text (ink in rows). */
  text: boolean;
  /** Degrees clockwise that bring the lines horizontal: a quarter turn or none, plus the tilt. */
  angle: number;
  /** How much sharper the rows are at `angle` than a quarter turn away (1 = no direction). */
  contrast: number;
  /**
   * Where the ink is once turned by `angle`, as fractions of the turned picture's width and height
   * (the outermost 1% of ink left out): the paper without the desk around it.
   */
  region: Region;
}

export interface Region {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const WHOLE: Region = { left: 0, top: 0, right: 1, bottom: 1 };

/** Side of the small copy the measure is made on. */
const SIDE = 900;
/** Ink is darker than its neighbourhood by this share of its brightness, and by at least INK_STEP. */
const INK_RATIO = 0.9;
const INK_STEP = 6;
/** Marks wider or taller than this share of the picture are not characters. */
const MAX_MARK = 0.1;
/** Marks of fewer pixels are grain, not print (a character here is some 10 to 60 pixels). */
const MIN_MARK = 8;
/** Below this share of ink there is nothing to read; above it, a photo or a dark mess. */
const MIN_INK = 0.003;
const MAX_INK = 0.35;
/** Rows at least this much sharper along the lines than across them: text. */
const TEXT_CONTRAST = 1.6;
const COARSE = [-12, -9, -6, -3, 0, 3, 6, 9, 12];
const FINE = [-1.5, -1, -0.5, 0.5, 1, 1.5];

interface Mask {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * The page's lines. `base`: the quarter turn already known (from a card's barcode); only the tilt
 * around it is looked for.
 */
export async function layoutOf(image: Uint8Array | Buffer, options: { base?: number } = {}): Promise<Layout> {
  const mask = await inkMask(image);
  const ink = mask.data.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.data.length;
  if (ink < MIN_INK || ink > MAX_INK)
    return { ink: false, text: false, angle: 0, contrast: 1, region: WHOLE };
  const scores = new Map<number, number>();
  const score = async (angle: number) => {
    const key = Math.round(angle * 10) / 10;
    if (!scores.has(key)) scores.set(key, await rowSharpness(mask, key));
    return scores.get(key)!;
  };
  let best = { angle: 0, score: -1 };
  for (const base of options.base === undefined ? [0, 90] : [options.base])
    for (const tilt of COARSE) {
      const s = await score(base + tilt);
      if (s > best.score) best = { angle: base + tilt, score: s };
    }
  const coarse = best.angle;
  for (const step of FINE) {
    const s = await score(coarse + step);
    if (s > best.score) best = { angle: coarse + step, score: s };
  }
  const across = await score(best.angle + 90);
  const contrast = across > 0 ? best.score / across : 1;
  return {
    ink: true,
    text: contrast >= TEXT_CONTRAST,
    angle: best.angle,
    contrast,
    region: await inkRegion(mask, best.angle),
  };
}

/** The box holding all but the outermost 1% of the ink on each side, once turned. */
async function inkRegion(mask: Mask, angle: number): Promise<Region> {
  const { data, width, height, channels } = await turnedMask(mask, angle);
  const rows = new Float64Array(height);
  const columns = new Float64Array(width);
  let total = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0, i = y * width * channels; x < width; x++, i += channels)
      if (data[i]! > 127) {
        rows[y] = rows[y]! + 1;
        columns[x] = columns[x]! + 1;
        total++;
      }
  if (total === 0) return WHOLE;
  const span = (sums: Float64Array) => {
    let from = 0;
    let to = sums.length - 1;
    for (let seen = 0; from < sums.length && (seen += sums[from]!) < total * 0.01;) from++;
    for (let seen = 0; to > 0 && (seen += sums[to]!) < total * 0.01;) to--;
    return [from / sums.length, (to + 1) / sums.length] as const;
  };
  const [left, right] = span(columns);
  const [top, bottom] = span(rows);
  return { left, top, right, bottom };
}

async function turnedMask(mask: Mask, angle: number) {
  const turned = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .rotate(angle, { background: { r: 0, g: 0, b: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: turned.data, ...turned.info };
}

/** 255 where a pixel is clearly darker than the area around it. */
export async function inkMask(image: Uint8Array | Buffer): Promise<Mask> {
  const small = await sharp(image, { limitInputPixels: 200_000_000 })
    .rotate()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize({ width: SIDE, height: SIDE, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = small.info;
  const grey = channels === 1 ? small.data : firstChannel(small.data, channels);
  // One channel in, one out: libvips would otherwise hand back sRGB.
  const blurred = await sharp(grey, { raw: { width, height, channels: 1 } })
    .blur(6)
    .extractChannel(0)
    .raw()
    .toBuffer();
  const data = Buffer.alloc(width * height);
  for (let i = 0; i < data.length; i++) {
    const around = blurred[i]!;
    data[i] = grey[i]! < around * INK_RATIO && grey[i]! + INK_STEP < around ? 255 : 0;
  }
  keepCharacters(data, width, height);
  return { data, width, height };
}

/**
 * Erases marks that cannot be characters: grain (fewer than MIN_MARK pixels), and anything wider
 * or taller than MAX_MARK of the picture (edges, rules, drawings). 8-connected marks.
 */
function keepCharacters(data: Buffer, width: number, height: number): void {
  const seen = new Uint8Array(data.length);
  const stack: number[] = [];
  const members: number[] = [];
  const maxWidth = width * MAX_MARK;
  const maxHeight = height * MAX_MARK;
  for (let start = 0; start < data.length; start++) {
    if (!data[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    members.length = 0;
    let x0 = width;
    let x1 = 0;
    let y0 = height;
    let y1 = 0;
    while (stack.length) {
      const i = stack.pop()!;
      members.push(i);
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (data[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
    }
    if (members.length < MIN_MARK || x1 - x0 > maxWidth || y1 - y0 > maxHeight)
      for (const i of members) data[i] = 0;
  }
}

/** Sum of squared differences between the ink of consecutive rows, per unit of ink squared. */
export async function rowSharpness(mask: Mask, angle: number): Promise<number> {
  const turned = await turnedMask(mask, angle);
  const { width, height, channels } = turned;
  const rows = new Float64Array(height);
  let total = 0;
  for (let y = 0; y < height; y++) {
    let sum = 0;
    for (let x = 0, i = y * width * channels; x < width; x++, i += channels) if (turned.data[i]! > 127) sum++;
    rows[y] = sum;
    total += sum;
  }
  if (total === 0) return 0;
  let jumps = 0;
  for (let y = 1; y < height; y++) jumps += (rows[y]! - rows[y - 1]!) ** 2;
  return jumps / total;
}

function firstChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.alloc(data.length / channels);
  for (let i = 0, j = 0; j < out.length; i += channels, j++) out[j] = data[i]!;
  return out;
}
