import { errorFields } from './log/redact.ts';
import type { Clock, Logger } from './ports.ts';

/**
 * Work started without anyone awaiting it (a download after "Visura evasa", a catalog refresh,
 * the retention purge). Kept here so shutdown can wait for it before the database closes: a
 * download cut in half by `close()` would otherwise log into a folder that is gone, or write to
 * a closed database.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers = new Set<{ cancel(): void }>();
  private closing = false;

  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  /** Starts `work` unless shutdown has begun; its failure is logged, never thrown. */
  run(label: string, work: () => Promise<unknown>): void {
    if (this.closing) return;
    const promise = work()
      .catch((error: unknown) =>
        this.log.warn(`${label} failed`, {
          ...errorFields(error),
          code: typeof error === 'object' && error && 'code' in error ? String(error.code) : 'internal',
        }),
      )
      .finally(() => this.pending.delete(promise));
    this.pending.add(promise);
  }

  /**
   * Runs `work` every `ms` on `clock` (the first time after `ms`), each run as `run` does, until
   * the answer is cancelled or shutdown begins (`drain`).
   */
  every(clock: Clock, label: string, ms: number, work: () => Promise<unknown>): { cancel(): void } {
    let timer: { cancel(): void } | null = null;
    let cancelled = false;
    const next = () => {
      if (cancelled || this.closing) return;
      timer = clock.setTimeout(() => {
        this.run(label, work);
        next();
      }, ms);
    };
    const handle = {
      cancel: () => {
        cancelled = true;
        timer?.cancel();
        this.timers.delete(handle);
      },
    };
    this.timers.add(handle);
    next();
    return handle;
  }

  /** Resolves once no work is under way (work started meanwhile included); new work still runs. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Refuses new work, stops the periodic work, and waits for what is under way. */
  async drain(): Promise<void> {
    this.closing = true;
    for (const timer of [...this.timers]) timer.cancel();
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
