import sharp from 'sharp';
import { mergeToPdf } from '../main/attachments/merge.ts';
import { normalizePart } from '../main/attachments/normalize.ts';
import { photoJpeg } from '../test/support/files.ts';
import { MB, median, type Figure } from './support.ts';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** A 12 MP phone photo (4000×3000) → the one-page PDF that goes into json_visura; then fronte+retro. */
export async function benchAttachments(runs = 5): Promise<Figure[]> {
  const front = await photoJpeg(4000, 3000, { orientation: 6 });
  const back = await photoJpeg(4000, 3000);
  const section = `attachments (12 MP JPEG, ${(front.length / MB).toFixed(1)} MB)`;
  // Warm-up: libvips and pdf-lib load lazily.
  await mergeToPdf([await normalizePart(front, 'fronte.jpg')]);

  const one: { ms: number; bytes: number }[] = [];
  const floor: number[] = [];
  const pair: { ms: number; bytes: number }[] = [];
  for (let i = 0; i < runs; i++) {
    // The floor: libvips alone decoding, turning, shrinking and re-encoding the same photo once.
    floor.push(
      (
        await timed(() =>
          sharp(front).rotate().resize(2000, 2000, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer(),
        )
      ).ms,
    );
    const single = await timed(async () => mergeToPdf([await normalizePart(front, 'fronte.jpg')]));
    one.push({ ms: single.ms, bytes: single.value.length });
    const both = await timed(async () =>
      mergeToPdf([await normalizePart(front, 'fronte.jpg'), await normalizePart(back, 'retro.jpg')]),
    );
    pair.push({ ms: both.ms, bytes: both.value.length });
  }
  const oneMs = median(one.map((o) => o.ms));
  const oneMb = median(one.map((o) => o.bytes)) / MB;
  const pairMs = median(pair.map((o) => o.ms));
  const pairMb = median(pair.map((o) => o.bytes)) / MB;
  const floorMs = median(floor);
  return [
    {
      section,
      name: 'photo → 1-page PDF, time',
      value: oneMs,
      unit: 'ms',
      baseline: { name: 'sharp resize+jpeg', value: floorMs },
      target: { text: '≤ 400 ms', pass: oneMs <= 400 },
    },
    {
      section,
      name: 'photo → 1-page PDF, size',
      value: oneMb,
      unit: 'MB',
      baseline: { name: 'input JPEG', value: front.length / MB },
      target: { text: '≤ 1 MB', pass: oneMb <= 1 },
    },
    {
      section,
      name: 'fronte+retro → 2-page PDF, time',
      value: pairMs,
      unit: 'ms',
      baseline: { name: '2 × sharp resize+jpeg', value: 2 * floorMs },
      target: { text: '≤ 800 ms', pass: pairMs <= 800 },
    },
    {
      section,
      name: 'fronte+retro → 2-page PDF, size',
      value: pairMb,
      unit: 'MB',
      baseline: { name: '2 input JPEGs', value: (front.length + back.length) / MB },
      target: { text: '≤ 2 MB', pass: pairMb <= 2 },
    },
  ];
}
