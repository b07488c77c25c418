import { describe, expect, it } from 'vitest';
import type { AppError } from '../../main/errors.ts';
import { faultKinds, type FaultRule } from '../../main/simulator/faults.ts';
import { prng } from '../../bench/support.ts';
import { startApp, type TestApp } from '../support/app.ts';
import { textPdf } from '../support/files.ts';
import { congedoDraft } from '../support/drafts.ts';

/*
 * The torture version of "exactly once": many submissions, each under random faults on every
 * method, with restarts of the whole app between steps. Only the end state is judged.
 * TORTURE_N=10000 (and TORTURE_SEED) for the long run; the default keeps CI under ~3 minutes.
 */
const N = Number(process.env.TORTURE_N ?? 200);
const SEED = Number(process.env.TORTURE_SEED ?? 20261123);

const STATUSES = [400, 402, 412, 429, 500, 502, 503, 504];

function randomFaults(random: () => number): FaultRule[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const faults: FaultRule[] = [];
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const method = pick(['POST', 'PUT', 'GET'] as const);
    faults.push({
      kind: pick(faultKinds),
      method,
      path: method === 'PUT' ? '^/richiesta/' : '/richiesta',
      times: 1 + Math.floor(random() * 3),
      // POST: sometimes the price checks (test:true) pass and the real POST is hit.
      skip: Math.floor(random() * 3),
      status: pick(STATUSES),
      // Some latencies outlast the client's timeout: the server then acts after the client gave up.
      ms: random() < 0.5 ? 20 : 600,
    });
  }
  return faults;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

describe('a refusal that arrives after the server closed the request', () => {
  // Found by the torture run below: a 4xx answered for a PUT the server had committed sent the
  // paid request back to the draft, and sending the draft again paid a second request.
  it('counts the request as sent, and a second submit of the same data charges nothing more', async () => {
    const t = await startApp();
    const pdf = await textPdf(1);
    const h = t.app.handlers;
    const draft = {
      id: await congedoDraft(t.app, {
        documents: { $5: { name: 'identita.pdf', data: pdf }, $6: { name: 'tessera.pdf', data: pdf } },
      }),
    };
    const quote = await h['requests.quote'](draft.id);
    t.simulator.faults.add({ kind: 'status-after', status: 412, method: 'PUT' });
    const sent = await h['requests.submit'](draft.id, quote.total);
    expect(sent.status).toBe('pending');
    expect(t.simulator.charges()).toHaveLength(1);
    expect(t.simulator.charges()[0]!.requestId).toBe(t.app.internals.repo.get(draft.id)!.remoteId);
  });
});

describe('exactly once under random faults and restarts', () => {
  it(
    `charges each of ${N} submissions at most once and leaves nothing paid unaccounted for`,
    { timeout: 180_000 + N * 1_500 },
    async () => {
      const random = prng(SEED);
      let t: TestApp = await startApp({
        wallet: 1_000_000,
        config: {
          engineTimeouts: { read: 400, write: 400, document: 2_000 },
          engineRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
        },
      });
      await t.app.start();
      const pdf = await textPdf(1);
      const ids: string[] = [];
      let restarts = 0;

      const newDraft = async () => {
        const id = await congedoDraft(t.app, {
          fields: { $1: `Rossi${ids.length}` },
          documents: { $5: { name: 'identita.pdf', data: pdf }, $6: { name: 'tessera.pdf', data: pdf } },
        });
        ids.push(id);
        return id;
      };

      for (let step = 0; step < N; step++) {
        t.simulator.faults.clear();
        const id = await newDraft();
        t.simulator.faults.add(...randomFaults(random));
        const quote = await failure(t.app.handlers['requests.quote'](id));
        const row = t.app.internals.repo.get(id)!;
        if (!quote && row.quote) await failure(t.app.handlers['requests.submit'](id, row.quote.total));

        // Now and then the clerk presses "Riprova" on an earlier one, or sends a draft again.
        if (random() < 0.2) {
          const earlier = ids[Math.floor(random() * ids.length)]!;
          const status = t.app.internals.repo.get(earlier)?.status;
          if (status === 'sending' || status === 'open')
            await failure(t.app.handlers['requests.retry'](earlier));
          if (status === 'draft') {
            const q = await failure(t.app.handlers['requests.quote'](earlier));
            const again = t.app.internals.repo.get(earlier)!;
            if (!q && again.quote)
              await failure(t.app.handlers['requests.submit'](earlier, again.quote.total));
          }
        }
        // Time passes: requests finish, the tracker and the downloads run (under the faults left).
        if (random() < 0.1) {
          t.clock.advance(130_000);
          await failure(t.app.handlers['requests.refreshAll']());
        }
        if (random() < 0.15) {
          t = await t.restart();
          restarts++;
          await failure(t.app.start());
        }
      }

      t.simulator.faults.clear();
      t = await t.restart();
      await t.app.start();

      const repo = t.app.internals.repo;
      const remote = new Map(t.simulator.requests().map((r) => [r._id, r]));
      const charges = t.simulator.charges();
      const chargedTimes = new Map<string, number>();
      for (const c of charges) chargedTimes.set(c.requestId, (chargedTimes.get(c.requestId) ?? 0) + 1);
      const owners = new Map<string, string>();
      const tally = { submitted: 0, notSubmitted: 0, openUnpaid: 0 };

      for (const id of ids) {
        const row = repo.get(id)!;
        expect(row.status, `request ${id}`).not.toBe('sending');
        if (row.status === 'pending' || row.status === 'done' || row.status === 'cancelled') {
          tally.submitted++;
          expect(row.remoteId, `request ${id}`).toMatch(/^[0-9a-f]{24}$/);
          expect(owners.has(row.remoteId!), `remote ${row.remoteId} owned twice`).toBe(false);
          owners.set(row.remoteId!, id);
          expect(remote.get(row.remoteId!)?.state, `request ${id}`).toBe(1);
          expect(chargedTimes.get(row.remoteId!), `request ${id}`).toBe(1);
        } else {
          // Clearly not submitted: a draft, or an open request nobody will close without the clerk.
          expect(row.submitIntent, `request ${id}`).toBe(false);
          if (row.status === 'open') tally.openUnpaid++;
          else tally.notSubmitted++;
          if (row.remoteId) {
            if (remote.get(row.remoteId)?.state !== 0 && process.env.TORTURE_DEBUG)
              console.log(
                JSON.stringify(
                  {
                    row,
                    events: repo.events(id),
                    remote: remote.get(row.remoteId),
                    charged: chargedTimes.get(row.remoteId),
                  },
                  null,
                  1,
                ),
              );
            expect(remote.get(row.remoteId)?.state, `request ${id}`).toBe(0);
            expect(chargedTimes.get(row.remoteId), `request ${id}`).toBeUndefined();
          }
        }
      }
      // No charge that no local request owns, and none twice.
      for (const [remoteId, times] of chargedTimes) {
        expect(owners.get(remoteId), `orphan charge on ${remoteId}`).toBeDefined();
        expect(times).toBe(1);
      }
      expect(charges).toHaveLength(tally.submitted);
      // The run must actually have exercised both outcomes, or it proves nothing.
      expect(tally.submitted).toBeGreaterThan(N / 4);
      expect(restarts).toBeGreaterThan(0);
      console.info(`exactly-once: ${N} drafts, ${restarts} restarts, ${JSON.stringify(tally)}`);
    },
  );
});
