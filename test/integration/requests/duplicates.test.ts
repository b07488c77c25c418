import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../main/errors.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { CONGEDO, congedoDraft, sendDraft } from '../../support/drafts.ts';
import { RISCATTO } from '../../support/simulator.ts';

const DAY = 86_400_000;

const send = (t: TestApp, id: string) => sendDraft(t.app, id);

const error = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

describe('duplicate guard on this counter', () => {
  it('finds the same client and service sent in the last 30 days, and writes the clerk’s choice to go on in the trail', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    await h['settings.update']({ counterName: 'Ufficio-1', operatorName: 'Anna' });
    const first = await congedoDraft(t.app);
    await send(t, first);
    t.clock.advance(10 * DAY);

    const again = await congedoDraft(t.app);
    const found = await h['duplicates.check'](again);
    expect(found).toEqual([
      expect.objectContaining({
        id: first,
        serviceName: 'Indennità per congedo parentale',
        status: 'pending',
        counter: 'Ufficio-1',
        operator: 'Anna',
        acknowledged: false,
      }),
    ]);
    // The trail says what happened, never only that something did.
    expect((await t.app.internals.store.trail.of(again)).map((e) => e.kind)).not.toContain(
      'duplicate_acknowledged',
    );

    const acknowledged = await h['duplicates.acknowledge'](again, [first]);
    expect(acknowledged[0]?.acknowledged).toBe(true);
    await send(t, again);
    expect(t.simulator.charges()).toHaveLength(2);
    const trail = (await h['requests.get'](again)).events;
    expect(trail.find((e) => e.kind === 'duplicate_acknowledged')).toMatchObject({
      data: { requests: [first], counters: ['Ufficio-1'] },
    });
    // The new one is itself a duplicate of the first for a third request.
    const third = await congedoDraft(t.app);
    expect((await h['duplicates.check'](third)).map((d) => d.id).sort()).toEqual([first, again].sort());
  });

  it('does not count another service, another client, a cancelled request, or one older than 30 days', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    // Refused by the CAF ("+annulla" in the email makes the simulator refuse it): not a duplicate.
    const refusedOne = await congedoDraft(t.app, { fields: { $2: 'mario+annulla@example.it' } });
    await send(t, refusedOne);
    t.clock.advance(200_000);
    expect((await h['requests.refresh'](refusedOne)).status).toBe('cancelled');
    const afterRefusal = await congedoDraft(t.app);
    expect(await h['duplicates.check'](afterRefusal)).toEqual([]);

    const first = await congedoDraft(t.app);
    await send(t, first);

    const otherService = await h['drafts.create'](RISCATTO);
    await h['drafts.update'](otherService.id, {
      fields: {
        $0: 'Mario',
        $1: 'Rossi',
        $2: 'mario.rossi@example.it',
        $3: '3331234567',
        $4: 'RSSMRA85T10A562S',
      },
    });
    expect(await h['duplicates.check'](otherService.id)).toEqual([]);
    const otherClient = await congedoDraft(t.app, { fields: { $4: 'BNCGLI90A41H501E' } });
    expect(await h['duplicates.check'](otherClient)).toEqual([]);

    t.clock.advance(31 * DAY);
    const later = await congedoDraft(t.app);
    expect(await h['duplicates.check'](later)).toEqual([]);
    await send(t, later);
    expect(t.simulator.charges()).toHaveLength(3);
  });

  it('answers as soon as the codice fiscale is typed, as people write it, before any document is attached', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const first = await congedoDraft(t.app);
    await send(t, first);

    for (const typed of ['rss mra 85t10 a562s', ' RSSMRA85T10A562S ', 'RSS MRA 85T10 A562S']) {
      const draft = await h['drafts.create'](CONGEDO);
      await h['drafts.update'](draft.id, { fields: { $4: typed } });
      expect((await h['duplicates.check'](draft.id)).map((d) => d.id)).toEqual([first]);
      // The register keeps the code itself: the client's page and the search find it.
      expect((await t.app.internals.store.requests.get(draft.id))?.clientCf).toBe('RSSMRA85T10A562S');
    }
  });

  it('refuses to acknowledge a request that is not a duplicate of the draft', async () => {
    const t = await startApp();
    const draft = await congedoDraft(t.app);
    const refused = await error(
      t.app.handlers['duplicates.acknowledge'](draft, ['00000000-0000-4000-8000-000000000000']),
    );
    expect(refused?.code).toBe('invalid_argument');
  });
});
