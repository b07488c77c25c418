/*
 * Saving what the clerk types, without React: the latest value is saved a moment after typing
 * stops, one save at a time, and `flush()` settles only when everything changed so far is saved.
 * useDraftAutosave wraps it for the draft form; the rules are tested here, on fake timers.
 */

/** What the form shows: "Salvato", "Salvataggio…", or "Non salvato" with a retry. */
export type SaveState = 'saved' | 'saving' | 'failed';

export interface AutosaveOptions<T> {
  save: (value: T) => Promise<unknown>;
  /** The pause in typing after which a change is saved. */
  delayMs: number;
  onState: (state: SaveState) => void;
  /** Runs `run` after `ms`; returns what cancels it. setTimeout unless told otherwise. */
  schedule?: (run: () => void, ms: number) => () => void;
}

export interface Autosave<T> {
  /** A new value: saved after the pause (the latest wins; values in between are never sent). */
  change: (value: T) => void;
  /**
   * Saves now whatever is pending and resolves when every change made so far is saved; rejects
   * with the save's error when that fails (then nothing priced or sent may rely on it).
   */
  flush: () => Promise<void>;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

const timeout = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

export function createAutosave<T>(options: AutosaveOptions<T>): Autosave<T> {
  const schedule = options.schedule ?? timeout;
  /** The value not yet handed to `save`: only the latest change is kept. */
  let pending: { value: T } | null = null;
  let inFlight: Promise<Outcome> | null = null;
  let cancelTimer: (() => void) | null = null;
  let state: SaveState = 'saved';

  const show = (next: SaveState) => {
    if (next === state) return;
    state = next;
    options.onState(next);
  };
  const stopTimer = () => {
    cancelTimer?.();
    cancelTimer = null;
  };

  /** Hands the pending value to `save`; its outcome, never a rejection. */
  const start = (): Promise<Outcome> => {
    const taken = pending!;
    pending = null;
    show('saving');
    const run = (async (): Promise<Outcome> => {
      try {
        await options.save(taken.value);
        return { ok: true };
      } catch (error) {
        return { ok: false, error };
      }
    })();
    inFlight = run;
    void run.then((outcome) => {
      inFlight = null;
      if (!outcome.ok) {
        console.warn('bozza non salvata', outcome.error);
        // Kept for a retry (or the next change, or a flush), unless something newer replaces it.
        if (!pending) {
          pending = taken;
          return show('failed');
        }
      }
      // A change made meanwhile whose pause is over: saved now.
      if (pending && !cancelTimer) void start();
      else show(pending ? 'saving' : 'saved');
    });
    return run;
  };

  return {
    change: (value) => {
      pending = { value };
      show('saving');
      stopTimer();
      cancelTimer = schedule(() => {
        cancelTimer = null;
        // A save in flight starts the next one when it ends (one at a time).
        if (!inFlight && pending) void start();
      }, options.delayMs);
    },

    flush: async () => {
      stopTimer();
      for (;;) {
        if (inFlight) {
          await inFlight;
          continue;
        }
        if (!pending) return;
        const outcome = await start();
        // Failed, and nothing newer to save instead: what is in main is not what was typed.
        if (!outcome.ok && state === 'failed') throw outcome.error;
        stopTimer();
      }
    },
  };
}
