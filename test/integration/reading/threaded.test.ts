import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors.ts';
import { ThreadedReader } from '../../../main/reading/threaded.ts';
import { cieBack, MARIO, take, tesseraBack } from '../../support/documents.ts';
import { memoryLogger } from '../../support/logger.ts';

/* The app's reader: read.ts in a worker thread (worker.ts from the sources, as tests and the harness run). */

const readers: ThreadedReader[] = [];
const reader = (options: { timeoutMs?: number } = {}) => {
  const made = new ThreadedReader({ log: memoryLogger(), ...options });
  readers.push(made);
  return made;
};
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
});

describe('the document reader’s thread', () => {
  it('reads in a thread of its own: the main thread keeps answering while a card is read', async () => {
    const r = reader();
    const photo = await take(await cieBack(MARIO), { on: 'desk', rotate: -4 });
    let ticks = 0;
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 20);
    const started = performance.now();
    const reading = await r.read(photo);
    const took = performance.now() - started;
    clearInterval(timer);
    expect(reading).toMatchObject({
      paper: 'identita',
      reason: 'mrz',
      identity: { documentNumber: 'CA12345AB' },
    });
    // Decoding, zxing and OCR (seconds of CPU) ran elsewhere: no pause here came near their length.
    expect(ticks).toBeGreaterThan(0);
    expect(longest).toBeLessThan(took / 2);
  }, 180_000);

  it('reads the same bytes once: a drop places a file, then its reading fills the form', async () => {
    const r = reader();
    const card = await tesseraBack(MARIO);
    const first = r.read(card);
    const again = r.read(card);
    expect(again).toBe(first);
    expect((await first).card?.cf).toBe(MARIO.cf);
    expect(await r.read(card)).toBe(await first);
  }, 180_000);

  it('gives up a file that takes too long, saying so, and reads again after', async () => {
    const impatient = reader({ timeoutMs: 1 });
    const card = await tesseraBack(MARIO);
    const failure = await impatient.read(card).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('timeout');
    // Not kept: the next attempt reads again (and fails again, so impatient).
    await expect(impatient.read(card)).rejects.toMatchObject({ code: 'timeout' });
  }, 60_000);

  it('starts again after being closed', async () => {
    const r = reader();
    expect((await r.read(await tesseraBack(MARIO))).paper).toBe('codice_fiscale');
    await r.close();
    expect((await r.read(await cieBack(MARIO))).paper).toBe('identita');
  }, 180_000);

  it('reads nothing into a file that is no picture', async () => {
    const r = reader();
    expect(await r.read(new TextEncoder().encode('not an image'))).toMatchObject({
      paper: null,
      confidence: 'low',
    });
  }, 60_000);
});
