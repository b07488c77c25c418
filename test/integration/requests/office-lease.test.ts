import { describe, expect, it } from 'vitest';
import type { Register } from '../../../main/store/port.ts';
import type { TestApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { useOffice } from '../../support/office.ts';
import { engineFor } from '../../support/simulator.ts';

/*
 * The sending lease between two counters of one office (requests/submit.ts, `exclusive`): one
 * counter at a time sends a request; a counter that died mid-submission leaves a lease that runs
 * out, and another counter finishes what it can without the scans, which stay on the disk of the
 * counter that created the request — a new POST waits for that counter.
 */
const office = useOffice();
const LEASE = 60_000;

const twoCounters = () => office.pair({ config: { lease: { ms: LEASE, sweepMs: 30_000 } } });

const counterId = (t: TestApp) => t.ports.preferences.store.counterId!;

/** A request of counter `t` left open on the service, its close uncertain: 'open', to be sent again. */
async function leftOpen(t: TestApp): Promise<string> {
  const id = await congedoDraft(t.app);
  const quote = await t.app.handlers['requests.quote'](id);
  t.simulator.faults.add({ kind: 'status', status: 503, method: 'PUT', times: 3 });
  await expect(t.app.handlers['requests.submit'](id, quote.total)).rejects.toMatchObject({ ambiguous: true });
  expect(await t.app.internals.store.requests.get(id)).toMatchObject({ status: 'open', submitIntent: true });
  return id;
}

/** The counter `t` dies right after the step its state describes, holding the lease. */
async function diesHolding(t: TestApp, id: string, patch: Parameters<Register['requests']['update']>[1]) {
  const { requests } = t.app.internals.store;
  await requests.update(id, patch);
  const now = t.clock.now();
  expect(await requests.claim(id, counterId(t), now + LEASE, now)).toBe(true);
}

describe('the sending lease between the counters of an office', () => {
  it('refuses an operation while another counter holds the lease, saying which, and frees it after', async () => {
    const [one, two] = await twoCounters();
    const id = await congedoDraft(one.app);
    await one.app.handlers['requests.quote'](id);
    expect((await one.app.internals.store.requests.get(id))!.claimOwner).toBeNull();

    const now = one.clock.now();
    await one.app.internals.store.requests.claim(id, counterId(one), now + LEASE, now);
    await expect(two.app.handlers['requests.quote'](id)).rejects.toMatchObject({
      code: 'claimed_elsewhere',
      message: 'La pratica è in invio da un altro sportello (Ufficio-1)',
      details: { counter: 'Ufficio-1', until: now + LEASE },
    });
    // The same installation takes its own lease again at once (a restart after a crash).
    await one.app.handlers['requests.quote'](id);
  });

  it('does not cancel an open request another counter is closing (and may be paying for)', async () => {
    const [one, two] = await twoCounters();
    const id = await leftOpen(one);
    // Counter 1 takes its lease again, as its "Riprova" does before closing.
    const now = one.clock.now();
    expect(await one.app.internals.store.requests.claim(id, counterId(one), now + LEASE, now)).toBe(true);
    await expect(two.app.handlers['requests.cancel'](id, 'errore')).rejects.toMatchObject({
      code: 'claimed_elsewhere',
      message: 'La pratica è in invio da un altro sportello (Ufficio-1)',
    });
    const row = (await two.app.internals.store.requests.get(id))!;
    expect(row.status).toBe('open');
    expect(one.simulator.requests().filter((r) => r.cancelledAt !== null)).toHaveLength(0);
    // The lease run out (counter 1 gone): counter 2 may cancel it.
    one.clock.advance(LEASE + 1);
    expect((await two.app.handlers['requests.cancel'](id, 'errore')).status).toBe('cancelled');
  });

  it('a counter resuming a request that needs a new POST leaves it to the counter holding the scans', async () => {
    const [one, two] = await twoCounters();
    const id = await congedoDraft(one.app);
    const quote = await one.app.handlers['requests.quote'](id);
    // Counter 1 dies right after recording the intent to send, before anything was sent.
    await diesHolding(one, id, { status: 'sending', submitIntent: true, confirmedPrice: quote.total });

    // While the lease lives, counter 2 leaves it alone, at start as in its sweep.
    await two.app.internals.submitter.resumeAll();
    await two.app.internals.submitter.resumeExpired();
    expect((await two.app.internals.store.requests.get(id))!.claimOwner).toBe(counterId(one));

    one.clock.advance(LEASE + 1);
    await two.app.internals.submitter.resumeExpired();
    const left = (await two.app.internals.store.requests.get(id))!;
    expect(left).toMatchObject({ status: 'sending', submitIntent: true, claimOwner: null });
    expect(left.lastError).toMatchObject({ code: 'files_elsewhere', details: { counter: 'Ufficio-1' } });
    expect(left.lastError!.message).toContain('Ufficio-1');
    expect(one.simulator.requests()).toHaveLength(0);

    // Counter 1 starts again and sends it, once.
    const again = await one.restart();
    office.keep(again);
    await again.app.start();
    expect((await again.app.internals.store.requests.get(id))!.status).toBe('pending');
    expect(one.simulator.charges()).toHaveLength(1);
  });

  it('another counter finishes a request whose outcome it can read, without the scans', async () => {
    const [one, two] = await twoCounters();
    const id = await leftOpen(one);
    // Counter 1's "Riprova" closed (and paid) the request; it died before recording it.
    await engineFor(one.simulator).close((await one.app.internals.store.requests.get(id))!.remoteId!, null);
    await diesHolding(one, id, { submitIntent: true });
    expect(one.simulator.charges()).toHaveLength(1);

    one.clock.advance(LEASE + 1);
    await two.app.internals.submitter.resumeExpired();
    const done = (await two.app.internals.store.requests.get(id))!;
    expect(done).toMatchObject({ status: 'pending', claimOwner: null, lastError: null });
    expect(one.simulator.charges()).toHaveLength(1);
    const accepted = (await two.app.handlers['requests.get'](id)).events.filter((e) => e.kind === 'accepted');
    expect(accepted).toEqual([expect.objectContaining({ counter: 'Ufficio-2' })]);
  });

  it('an open request that must be closed with its data sent again waits for its own counter', async () => {
    const [one, two] = await twoCounters();
    const id = await leftOpen(one);
    // Counter 1 dies while sending it again ("Riprova"), before the close.
    await diesHolding(one, id, {});

    one.clock.advance(LEASE + 1);
    await two.app.internals.submitter.resumeExpired();
    const waiting = (await two.app.internals.store.requests.get(id))!;
    expect(waiting).toMatchObject({ status: 'open', submitIntent: true, claimOwner: null });
    expect(waiting.lastError).toMatchObject({ code: 'files_elsewhere', details: { counter: 'Ufficio-1' } });
    expect(one.simulator.requests().map((r) => r.state)).toEqual([0]);

    const again = await one.restart();
    office.keep(again);
    await again.app.start();
    expect((await again.app.internals.store.requests.get(id))!.status).toBe('pending');
    expect(one.simulator.requests().map((r) => r.state)).toEqual([1]);
    expect(one.simulator.charges()).toHaveLength(1);
  });
});
