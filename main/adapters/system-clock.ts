import type { Clock } from '../ports.ts';

/**
 * Node's timers take at most 2^31 - 1 ms (about 24.8 days): a longer delay fires at once, with a
 * warning. A wait that long is cut there; whoever armed it finds nothing due and arms again.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    return { cancel: () => clearTimeout(handle) };
  },
};
