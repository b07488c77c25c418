import { describe, expect, it } from 'vitest';
import type { RemoteRequest } from '../../../main/engine/engine.ts';
import { toRemoteRequest, toRemoteSummary } from '../../../main/engine/visengine/mapping.ts';
import { richiestaSchema, richiestaSummarySchema } from '../../../main/engine/visengine/schemas.ts';
import { decide, listCandidates, SKEW_MS, type Attempt } from '../../../main/requests/reconcile.ts';

/* The rule that settles an uncertain POST (main/requests/reconcile.ts), case by case. */

const HASH = 'a'.repeat(32);
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const values = { $0: 'Mario', $1: 'Rossi', $4: 'RSSMRA85T10A562S' };

function remote(id: string, createdMs: number, over: Record<string, unknown> = {}): RemoteRequest {
  return toRemoteRequest(
    richiestaSchema.parse({
      _id: id.padStart(24, '0'),
      state: 0,
      hash_visura: HASH,
      prezzo_visura: 14.7,
      stato_richiesta: 'In ricerca',
      timestamp_creation: Math.floor(createdMs / 1000),
      ricerche: [],
      ...over,
    }),
  );
}

const echo = (data: Record<string, string>) => ({
  ricerche: [{ id_ricerca: 'x_0', json_ricerca: JSON.stringify(data) }],
});

const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  hash: HASH,
  startedAt: T0,
  endedAt: T0 + 2_000,
  listedAt: T0 + 25_000,
  values,
  offset: 0,
  ...over,
});

describe('settling an uncertain POST', () => {
  it('none: nothing was created', () => {
    expect(decide([], attempt())).toEqual({ kind: 'none' });
  });

  it('with an echo: the one carrying our data is ours, whatever else is open', () => {
    const ours = remote('1', T0 + 1_000, echo(values));
    const theirs = remote('2', T0 + 1_000, echo({ ...values, $1: 'Bianchi' }));
    expect(decide([theirs, ours], attempt({ offset: null }))).toEqual({ kind: 'adopt', remote: ours });
    expect(decide([theirs], attempt())).toEqual({ kind: 'none' });
  });

  it('with an echo: two carrying our data go to the clerk', () => {
    const a = remote('1', T0 + 1_000, echo(values));
    const b = remote('2', T0 + 1_500, echo(values));
    const decision = decide([a, b], attempt());
    expect(decision.kind).toBe('ask');
    expect(decision.kind === 'ask' && decision.candidates.map((c) => c.echo)).toEqual(['match', 'match']);
  });

  it('without an echo: the one created within the attempt, on the service clock, is ours', () => {
    // The service's clock runs 90 s ahead of this PC's.
    const offset = 90_000;
    const ours = remote('1', T0 + offset + 1_000);
    const earlier = remote('2', T0 + offset - 60_000);
    expect(decide([earlier, ours], attempt({ offset }))).toEqual({ kind: 'adopt', remote: ours });
    expect(decide([earlier], attempt({ offset }))).toEqual({ kind: 'none' });
  });

  it('without an echo: one created while the list was awaited is still the attempt’s (a late POST)', () => {
    const late = remote('1', T0 + 20_000);
    expect(decide([late], attempt())).toEqual({ kind: 'adopt', remote: late });
  });

  it('without an echo: two within the attempt, or no known offset, go to the clerk', () => {
    const a = remote('1', T0 + 1_000);
    const b = remote('2', T0 + 1_500);
    expect(decide([a, b], attempt()).kind).toBe('ask');
    expect(decide([a], attempt({ offset: null })).kind).toBe('ask');
    const undated = remote('3', T0, { timestamp_creation: null });
    expect(decide([undated], attempt()).kind).toBe('ask');
  });

  it('lists as candidates only open requests of the service, unknown here, within the skew window', () => {
    const list = [
      { id: '1', hash: HASH, state: 0, stato: 'In ricerca', createdAt: T0 / 1000 },
      { id: '2', hash: 'b'.repeat(32), state: 0, stato: 'In ricerca', createdAt: T0 / 1000 },
      { id: '3', hash: HASH, state: 1, stato: 'In erogazione', createdAt: T0 / 1000 },
      { id: '4', hash: HASH, state: 0, stato: 'Annullata', createdAt: T0 / 1000 },
      { id: '5', hash: HASH, state: 0, stato: 'In ricerca', createdAt: (T0 - SKEW_MS - 5_000) / 1000 },
      { id: '6', hash: HASH, state: 0, stato: 'In ricerca', createdAt: T0 / 1000 },
      { id: '7', hash: HASH, state: null, stato: 'In ricerca', createdAt: null },
    ].map((r) =>
      toRemoteSummary(
        richiestaSummarySchema.parse({
          _id: r.id,
          hash_visura: r.hash,
          state: r.state,
          stato_richiesta: r.stato,
          timestamp_creation: r.createdAt,
          nome: '',
          ricerca: false,
          prezzo_visura: 14.7,
          prezzo_ricerca: 0,
          email_target: null,
          timestamp_last_update: null,
          owner: null,
        }),
      ),
    );
    const found = listCandidates(list, attempt(), (id) => id === '6');
    expect(found.map((r) => r.id).sort()).toEqual(['1', '7']);
  });

  it('keeps as a candidate an open request that already reads "In erogazione": `state` decides, not the phase', () => {
    const list = [
      { id: '1', state: 0, stamps: { in_erogazione: T0 / 1000 } },
      { id: '2', state: null, stamps: { in_erogazione: T0 / 1000 } },
      { id: '3', state: 1, stamps: { in_erogazione: T0 / 1000 } },
    ].map((r) =>
      toRemoteSummary(
        richiestaSummarySchema.parse({
          _id: r.id,
          hash_visura: HASH,
          state: r.state,
          stato_richiesta: 'In erogazione',
          timestamp_creation: T0 / 1000,
          nome: '',
          ricerca: false,
          prezzo_visura: 14.7,
          prezzo_ricerca: 0,
          email_target: null,
          timestamp_last_update: null,
          owner: null,
        }),
        r.stamps,
      ),
    );
    // Without `state` the phase hints at a close, but that is no proof: it stays a candidate.
    expect(listCandidates(list, attempt(), () => false).map((r) => r.id)).toEqual(['1', '2']);
  });

  it('an attempt stamped on a clock since set back: looked for at any time, placed by the echo or the clerk', () => {
    const unplaced = attempt({ startedAt: null });
    // Created long before today's clock would place the attempt: still a candidate.
    const long = remote('1', T0 - 400 * 86_400_000);
    const summary = toRemoteSummary(
      richiestaSummarySchema.parse({
        _id: '1',
        hash_visura: HASH,
        state: 0,
        stato_richiesta: 'In ricerca',
        timestamp_creation: long.createdAt! / 1000,
        nome: '',
        ricerca: false,
        prezzo_visura: 14.7,
        prezzo_ricerca: 0,
        email_target: null,
        timestamp_last_update: null,
        owner: null,
      }),
    );
    expect(listCandidates([summary], unplaced, () => false).map((r) => r.id)).toEqual(['1']);
    expect(listCandidates([summary], attempt(), () => false)).toEqual([]);
    // Without an echo, time cannot place it: the clerk; with ours echoed, it is ours.
    expect(decide([long], unplaced).kind).toBe('ask');
    const echoed = remote('2', T0 - 400 * 86_400_000, echo(values));
    expect(decide([echoed], unplaced)).toEqual({ kind: 'adopt', remote: echoed });
    expect(decide([], unplaced)).toEqual({ kind: 'none' });
  });
});
