import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestStatuses, type RequestStatus } from '../../../common/requests.ts';
import type { AppError } from '../../../main/errors.ts';
import type { Transition } from '../../../main/requests/lifecycle.ts';
import { allowed, needsAttention, TRANSITIONS } from '../../../main/requests/rules.ts';
import { requestRow } from '../../../bench/support.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { textPdf } from '../../support/files.ts';
import { congedoDraft } from '../../support/drafts.ts';

/*
 * The lifecycle (main/requests/lifecycle.ts) is the only place a request's status changes. Driven
 * by random interleavings of what the counter and the service do at once — submit, track, cancel,
 * retry, purge, time passing, faults — only the transitions of its table ever happen, and a
 * request once cancelled never moves again.
 */

const settle = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

type Op = 'submit' | 'track' | 'cancel' | 'retry' | 'purge' | 'time' | 'fault';

describe('the request lifecycle', () => {
  it(
    'allows only the transitions of its table, under random interleavings of everything at once',
    { timeout: 300_000 },
    async () => {
      const pdf = await textPdf(1);
      const reached = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.array(
              fc.tuple(
                fc.constantFrom<Op>('submit', 'track', 'cancel', 'retry', 'purge', 'time', 'fault'),
                fc.nat(2),
              ),
              { minLength: 1, maxLength: 3 },
            ),
            { minLength: 6, maxLength: 16 },
          ),
          fc.boolean(),
          async (rounds, chargeAtOpen) => {
            const seen: Transition[] = [];
            const t: TestApp = await startApp({
              reading: chargeAtOpen ? { charge: 'open', echo: 'none' } : {},
              config: {
                onTransition: (tr) => seen.push(tr),
                engineTimeouts: { read: 300, write: 300, document: 2_000 },
              },
            });
            // The retention is confirmed in main's dialog: the clerk says yes.
            t.ports.dialogs.answer({ confirm: true });
            await t.app.handlers['settings.update']({ retentionDays: 1 });
            const h = t.app.handlers;
            const ids: string[] = [];
            for (let i = 0; i < 3; i++)
              ids.push(
                await congedoDraft(t.app, {
                  fields: { $1: `Rossi${i}` },
                  documents: { $5: { name: 'id.pdf', data: pdf }, $6: { name: 'cf.pdf', data: pdf } },
                }),
              );
            const run = ([op, which]: [Op, number]): Promise<unknown> => {
              const id = ids[which]!;
              switch (op) {
                case 'submit':
                  return h['requests.quote'](id).then((q) => h['requests.submit'](id, q.total));
                case 'track':
                  return h['requests.refreshAll']();
                case 'cancel':
                  return h['requests.cancel'](id, 'il cliente ha cambiato idea');
                case 'retry':
                  return h['requests.retry'](id);
                case 'purge':
                  t.clock.advance(2 * 86_400_000);
                  return t.app.internals.retention.run();
                case 'time':
                  t.clock.advance(70_000);
                  return Promise.resolve();
                case 'fault':
                  t.simulator.faults.add({ kind: 'reset-after', method: 'PUT', times: 1 });
                  return Promise.resolve();
              }
            };
            // The ops of a round run at the same moment: their writes interleave.
            const errors: AppError[] = [];
            for (const round of rounds) {
              const outcomes = await Promise.all(round.map((op) => settle(run(op))));
              errors.push(...outcomes.filter((e): e is AppError => e !== null));
            }
            // A transition the table does not allow is refused loudly (an internal error): none.
            expect(
              errors.filter((e) => /Transizione non ammessa/.test(e.message)).map((e) => e.message),
            ).toEqual([]);

            for (const tr of seen) {
              expect(allowed(tr.from, tr.to), `${tr.from} → ${tr.to}`).toBe(true);
              reached.add(`${tr.from}→${tr.to}`);
            }
            expect(seen.filter((tr) => tr.from === 'cancelled')).toEqual([]);
            // Every status a row is in was reached through the table (or never left draft).
            for (const id of ids) {
              const status = (await t.app.internals.store.requests.get(id))!.status;
              const path = seen.filter((tr) => tr.id === id).map((tr) => tr.to);
              expect(path.at(-1) ?? 'draft').toBe(status);
            }
          },
        ),
        { numRuns: 25, seed: 20261130 },
      );
      // The runs must have gone through the lifecycle's main paths, or they prove nothing.
      for (const path of ['draft→sending', 'sending→open', 'open→pending', 'pending→done'])
        expect([...reached], path).toContain(path);
      expect(
        [...reached].some((p) => p.endsWith('→cancelled')),
        [...reached].join(', '),
      ).toBe(true);
    },
  );

  it('is the same rule for "needs attention" in the views and in the attention query', () => {
    return (async () => {
      const t = await startApp();
      const store = t.app.internals.store;
      const random = fc.sample(
        fc.record({
          status: fc.constantFrom<RequestStatus>(...requestStatuses),
          lastError: fc.option(fc.constant({ code: 'network' as const, message: 'x' }), { nil: null }),
          documentsState: fc.constantFrom('none' as const, 'ready' as const, 'failed' as const),
          search: fc.option(
            fc.record({ idRicerca: fc.constant('r_0'), results: fc.constant([] as never[]) }),
            { nil: null },
          ),
          remoteState: fc.option(fc.constantFrom('In ricerca', 'In erogazione', 'Dati disponibili'), {
            nil: null,
          }),
        }),
        { numRuns: 300, seed: 7 },
      );
      for (const [i, r] of random.entries())
        await store.requests.insert(
          requestRow({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, ...r }),
        );
      const viaSql = new Set((await store.requests.attention(10_000)).map((r) => r.id));
      for (let i = 0; i < random.length; i++) {
        const row = (await store.requests.get(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`))!;
        expect(viaSql.has(row.id), JSON.stringify(random[i])).toBe(needsAttention(row));
      }
    })();
  });

  it('has a table every status appears in, and cancelled as the only end', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...requestStatuses].sort());
    const ends = requestStatuses.filter((s) => TRANSITIONS[s].length === 0);
    expect(ends).toEqual(['cancelled']);
  });
});
