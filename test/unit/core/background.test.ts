import { describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../../main/background.ts';
import { ManualClock } from '../../support/clock.ts';
import { memoryLogger } from '../../support/logger.ts';

describe('periodic background work', () => {
  it('runs every period, never before; stops when cancelled', async () => {
    const clock = new ManualClock();
    const work = new BackgroundWork(memoryLogger());
    let runs = 0;
    const handle = work.every(clock, 'tick', 1_000, async () => {
      runs++;
    });
    clock.advance(999);
    await work.idle();
    expect(runs).toBe(0);
    clock.advance(1);
    clock.advance(2_000);
    await work.idle();
    expect(runs).toBe(3);
    handle.cancel();
    clock.advance(10_000);
    await work.idle();
    expect(runs).toBe(3);
  });

  it('stops at shutdown, and a failed run neither stops the next nor escapes', async () => {
    const clock = new ManualClock();
    const log = memoryLogger();
    const work = new BackgroundWork(log);
    let runs = 0;
    work.every(clock, 'flaky', 1_000, async () => {
      runs++;
      if (runs === 1) throw new Error('boom');
    });
    clock.advance(2_000);
    await work.idle();
    expect(runs).toBe(2);
    await work.drain();
    clock.advance(10_000);
    await work.idle();
    expect(runs).toBe(2);
  });
});
