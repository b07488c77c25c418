import type { Clock, TimerHandle } from '../../main/ports.ts';

/** A clock that moves only when told: lifecycles and pollers stepped by hand. */
export class ManualClock implements Clock {
  private time: number;
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  constructor(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.time = start;
  }

  now = (): number => this.time;

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.time + Math.max(0, ms), fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.time = target;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
