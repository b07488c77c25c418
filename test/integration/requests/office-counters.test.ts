import { describe, expect, it } from 'vitest';
import { congedoDraft, sendDraft } from '../../support/drafts.ts';
import { useOffice } from '../../support/office.ts';

/*
 * Two counters of one office on the office's PostgreSQL register, each the whole app with its own
 * name and clerk, one simulator and one clock: what one counter sent, the other sees — in the
 * duplicate guard before paying, in Pratiche's filters and in the trail.
 */
const office = useOffice();
const DAY = 86_400_000;

describe('an office of two counters on one register', () => {
  it('warns at one counter of the same client and service sent at another, with where and by whom, and records where those were sent', async () => {
    const [one, two] = await office.pair();
    const earlier = await congedoDraft(one.app);
    await sendDraft(one.app, earlier);
    one.clock.advance(2 * DAY);

    const draft = await congedoDraft(two.app);
    const found = await two.app.handlers['duplicates.check'](draft);
    expect(found).toEqual([
      expect.objectContaining({
        id: earlier,
        status: 'pending',
        counter: 'Ufficio-1',
        operator: 'Anna',
        acknowledged: false,
      }),
    ]);

    await two.app.handlers['duplicates.acknowledge'](draft, [earlier]);
    await sendDraft(two.app, draft);
    expect(one.simulator.charges()).toHaveLength(2);
    const acknowledged = (await two.app.handlers['requests.get'](draft)).events.find(
      (e) => e.kind === 'duplicate_acknowledged',
    );
    // Who went on and where, and where the earlier one was sent: counters' names, no client data.
    expect(acknowledged).toMatchObject({ operator: 'Luca', counter: 'Ufficio-2' });
    expect(acknowledged?.data).toEqual({ requests: [earlier], counters: ['Ufficio-1'] });
  });

  it('filters Pratiche by the counter and the clerk of either counter, and offers both as choices', async () => {
    const [one, two] = await office.pair();
    const fromOne = await congedoDraft(one.app);
    await sendDraft(one.app, fromOne);
    const fromTwo = await congedoDraft(two.app, { fields: { $4: 'BNCGLI90A41H501E' } });
    await sendDraft(two.app, fromTwo);

    for (const counter of [one, two]) {
      const h = counter.app.handlers;
      expect(await h['requests.choices']()).toEqual({
        counters: ['Ufficio-1', 'Ufficio-2'],
        operators: ['Anna', 'Luca'],
      });
      const list = async (filter: { counter?: string; operator?: string }) =>
        (await h['requests.list'](filter)).rows.map((r) => [r.id, r.counter, r.operator]);
      expect(await list({ operator: 'Anna' })).toEqual([[fromOne, 'Ufficio-1', 'Anna']]);
      expect(await list({ counter: 'Ufficio-2' })).toEqual([[fromTwo, 'Ufficio-2', 'Luca']]);
      expect(await list({ counter: 'Ufficio-2', operator: 'Anna' })).toEqual([]);
    }

    // Each step of the trail says at which counter it was taken.
    const trail = (await two.app.handlers['requests.get'](fromOne)).events;
    expect(trail.length).toBeGreaterThan(0);
    expect(new Set(trail.map((e) => e.counter))).toEqual(new Set(['Ufficio-1']));
  });
});
