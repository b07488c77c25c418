import { describe, expect, it } from 'vitest';
import { createAutosave, type SaveState } from '../../../renderer/lib/autosave.ts';

/** A clock moved by hand: the pause after typing passes when the test says so. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    schedule(run: () => void, ms: number) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    async pass(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.run();
      await settle();
    },
  };
}

/** Lets every promise callback queued so far run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A fake main: each save waits until the test answers it. */
function fakeMain() {
  const calls: { value: string; answer: (ok: boolean) => Promise<void> }[] = [];
  let running = 0;
  let most = 0;
  return {
    calls,
    saved: () => calls.map((c) => c.value),
    mostAtOnce: () => most,
    save(value: string) {
      running++;
      most = Math.max(most, running);
      return new Promise<void>((resolve, reject) => {
        calls.push({
          value,
          answer: async (ok) => {
            running--;
            if (ok) resolve();
            else reject(new Error('rete assente'));
            await settle();
          },
        });
      });
    },
  };
}

function setup() {
  const clock = manualClock();
  const main = fakeMain();
  const states: SaveState[] = [];
  const autosave = createAutosave<string>({
    save: (value) => main.save(value),
    delayMs: 300,
    onState: (state) => states.push(state),
    schedule: (run, ms) => clock.schedule(run, ms),
  });
  return { clock, main, states, autosave, last: () => states.at(-1) ?? 'saved' };
}

describe('saving what the clerk types', () => {
  it('saves once, the latest value, when typing pauses', async () => {
    const { clock, main, autosave, last } = setup();
    autosave.change('R');
    await clock.pass(100);
    autosave.change('Ro');
    await clock.pass(100);
    autosave.change('Ros');
    expect(last()).toBe('saving');
    await clock.pass(299);
    expect(main.saved()).toEqual([]);
    await clock.pass(1);
    expect(main.saved()).toEqual(['Ros']);
    await main.calls[0]!.answer(true);
    expect(last()).toBe('saved');
  });

  it('never has two saves in flight: what is typed meanwhile goes when the first ends', async () => {
    const { clock, main, autosave, last } = setup();
    autosave.change('Rossi');
    await clock.pass(300);
    autosave.change('Rossi Mario');
    await clock.pass(300);
    expect(main.saved()).toEqual(['Rossi']);
    expect(last()).toBe('saving');
    await main.calls[0]!.answer(true);
    expect(main.saved()).toEqual(['Rossi', 'Rossi Mario']);
    expect(last()).toBe('saving');
    await main.calls[1]!.answer(true);
    expect(last()).toBe('saved');
    expect(main.mostAtOnce()).toBe(1);
  });

  it('flush saves at once and settles only when everything typed is saved', async () => {
    const { main, autosave, last } = setup();
    autosave.change('Rossi');
    let done = false;
    const flushed = autosave.flush().then(() => (done = true));
    await settle();
    expect(main.saved()).toEqual(['Rossi']);
    expect(done).toBe(false);
    await main.calls[0]!.answer(true);
    await flushed;
    expect(last()).toBe('saved');
  });

  it('flush waits for the save in flight, then saves what was typed after it started', async () => {
    const { clock, main, autosave } = setup();
    autosave.change('Rossi');
    await clock.pass(300);
    autosave.change('Rossi Mario');
    let done = false;
    const flushed = autosave.flush().then(() => (done = true));
    await main.calls[0]!.answer(true);
    expect(main.saved()).toEqual(['Rossi', 'Rossi Mario']);
    expect(done).toBe(false);
    await main.calls[1]!.answer(true);
    await flushed;
    expect(main.mostAtOnce()).toBe(1);
  });

  it('flush with nothing to save settles at once, calling nobody', async () => {
    const { main, autosave } = setup();
    await autosave.flush();
    expect(main.saved()).toEqual([]);
  });

  it('says when a save failed, keeps the value, and saves it on retry', async () => {
    const { clock, main, autosave, last } = setup();
    autosave.change('Rossi');
    await clock.pass(300);
    await main.calls[0]!.answer(false);
    expect(last()).toBe('failed');
    // Nothing is tried again behind the clerk's back…
    await clock.pass(10_000);
    expect(main.saved()).toEqual(['Rossi']);
    // … the retry (a flush) sends the same value.
    const retried = autosave.flush();
    await settle();
    expect(main.saved()).toEqual(['Rossi', 'Rossi']);
    await main.calls[1]!.answer(true);
    await retried;
    expect(last()).toBe('saved');
  });

  it('flush fails when the save fails: nothing is priced or sent on data main does not have', async () => {
    const { main, autosave, last } = setup();
    autosave.change('Rossi');
    const flushed = expect(autosave.flush()).rejects.toThrow('rete assente');
    await settle();
    await main.calls[0]!.answer(false);
    await flushed;
    expect(last()).toBe('failed');
  });

  it('a change after a failure replaces the failed value: the latest is what gets saved', async () => {
    const { clock, main, autosave, last } = setup();
    autosave.change('Rossi');
    await clock.pass(300);
    await main.calls[0]!.answer(false);
    autosave.change('Rossi Mario');
    expect(last()).toBe('saving');
    await clock.pass(300);
    expect(main.saved()).toEqual(['Rossi', 'Rossi Mario']);
    await main.calls[1]!.answer(true);
    expect(last()).toBe('saved');
  });

  it('a save that fails while a newer value waits gives way to it', async () => {
    const { clock, main, autosave, last } = setup();
    autosave.change('Rossi');
    await clock.pass(300);
    autosave.change('Rossi Mario');
    await clock.pass(300);
    await main.calls[0]!.answer(false);
    expect(main.saved()).toEqual(['Rossi', 'Rossi Mario']);
    await main.calls[1]!.answer(true);
    expect(last()).toBe('saved');
  });
});
