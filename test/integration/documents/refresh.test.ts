import { describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../../support/app.ts';
import { congedoDraft, sendDraft } from '../../support/drafts.ts';

/*
 * "Visura evasa" may add outputs to those of "Dati disponibili" (the staged reading): the fetch the
 * tracker then asks for must not join a download already under way, which may have been answered
 * with the old list — it fetches again after it.
 */
const SIM_STEP = 60_000;
const downloads = (t: TestApp) => t.simulator.calls.get('GET /documento') ?? 0;

async function done(t: TestApp): Promise<string> {
  const id = await congedoDraft(t.app);
  await sendDraft(t.app, id);
  for (let i = 0; i < 2; i++) {
    t.clock.advance(SIM_STEP);
    await t.app.internals.tracker.cycle();
  }
  await t.app.internals.idle();
  expect((await t.app.internals.store.requests.get(id))?.status).toBe('done');
  return id;
}

describe('fetching outputs again when they change', () => {
  it('fetches once more after a download under way, instead of joining it', async () => {
    const t = await startApp();
    const id = await done(t);
    const before = downloads(t);
    t.simulator.faults.add({ kind: 'latency', method: 'GET', path: '/documento', ms: 300 });
    const first = t.app.internals.documents.download(id);
    const joined = t.app.internals.documents.download(id);
    const again = t.app.internals.documents.refresh(id);
    await Promise.all([first, joined, again]);
    // The second download joined the first; the refresh fetched once more, after it.
    expect(downloads(t) - before).toBe(2);
    expect((await t.app.internals.store.requests.get(id))?.documentsState).toBe('ready');
    // Nothing under way any more: a new download fetches again.
    await t.app.internals.documents.download(id);
    expect(downloads(t) - before).toBe(3);
  });
});
