import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../main/adapters/system-clock.ts';

describe('systemClock', () => {
  it('does not fire at once a wait longer than a Node timer can hold (a poll a year away)', async () => {
    let fired = false;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const far = systemClock.setTimeout(() => (fired = true), 365 * 86_400_000);
    await new Promise((resolve) => setTimeout(resolve, 40));
    far.cancel();
    process.off('warning', onWarning);
    expect(fired).toBe(false);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('fires a short wait, and never one cancelled', async () => {
    let fired = 0;
    systemClock.setTimeout(() => fired++, 1);
    systemClock.setTimeout(() => fired++, 1).cancel();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBe(1);
  });
});
