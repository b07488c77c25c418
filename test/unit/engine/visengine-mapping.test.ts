import { describe, expect, it } from 'vitest';
import type { PriceCheck, RemoteOutputs, RemoteRequest, RemoteSummary } from '../../../main/engine/engine.ts';
import { AlreadyClosedError, NotFoundError } from '../../../main/engine/errors.ts';
import { errorFor, readApiCode } from '../../../main/engine/visengine/errors.ts';
import {
  toOutputs,
  toPriceCheck,
  toRemoteRequest,
  toRemoteSummary,
} from '../../../main/engine/visengine/mapping.ts';
import {
  envelopeSchema,
  priceCheckSchema,
  richiestaListSchema,
  richiestaSchema,
} from '../../../main/engine/visengine/schemas.ts';
import { echoOf } from '../../../main/requests/reconcile.ts';
import {
  closedForSure,
  fateOf,
  mayBeOpen,
  stateNameOf,
  statusOfRemote,
  totalOf,
} from '../../../main/requests/remote-status.ts';
import * as visengine from '../../../main/simulator/handlers.ts';
import { READING_CHOICES, type SpecReading } from '../../../main/simulator/reading.ts';
import { SimStore } from '../../../main/simulator/store.ts';
import { CONGEDO, seedJson } from '../../support/simulator.ts';

/*
 * Visengine's answers as the Engine port's facts (main/engine/visengine/mapping.ts), under every
 * reading the simulator plays of what the spec leaves open (main/simulator/reading.ts). The same
 * story — a price check, a request opened, closed, processed to its outputs; another cancelled
 * while open; a search service's request and its choice — is told under each reading, straight
 * through the simulator's handlers and the client's schemas. The facts the money rules read are
 * the same under every reading; where a reading hides one (no `state`, no echo, no price in the
 * check), the port says "not said", never a guess, and the rules take the safe side.
 */

const CAMERALE = 'a87ff679a2f3e71d9181a67b7542122c';
const STEP = 60_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

/**
 * Every reading, but for `testCheck`: whether a price check validates only shows with data the
 * service refuses, which this story never sends (test/integration/requests covers it).
 */
function everyReading(): SpecReading[] {
  let all: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(READING_CHOICES)) {
    const played = key === 'testCheck' ? values.slice(0, 1) : values;
    all = all.flatMap((partial) => played.map((value) => ({ ...partial, [key]: value })));
  }
  return all as unknown as SpecReading[];
}

/** The `data` of a successful answer; throws with the answer otherwise. */
function data(answer: visengine.Answer): unknown {
  const envelope = envelopeSchema.parse(answer.body);
  if (!envelope.success) throw new Error(`unexpected refusal: ${JSON.stringify(answer.body)}`);
  return envelope.data;
}

/** What the client would throw for a refused PUT. */
function refusal(answer: visengine.Answer): unknown {
  const envelope = envelopeSchema.parse(answer.body);
  return errorFor(answer.status, readApiCode(envelope), String(envelope.message), true);
}

interface Story {
  quote: PriceCheck;
  opened: RemoteRequest;
  listedOpen: RemoteSummary;
  closed: RemoteRequest;
  partial: RemoteRequest;
  listedPartial: RemoteSummary;
  done: RemoteRequest;
  outputs: RemoteOutputs;
  cancelled: RemoteRequest;
  closingCancelled: unknown;
  searching: RemoteRequest;
  chosen: RemoteRequest;
}

const zips = new Map<string, Promise<Buffer>>();

async function storyUnder(reading: SpecReading): Promise<Story> {
  let now = T0;
  const ctx: visengine.SimContext = {
    store: new SimStore(10_000, null),
    now: () => now,
    durations: { toDatiDisponibili: STEP, toEvasa: STEP },
    outcomes: [],
    owner: 'prova@sportello.local',
    // Every reading's store makes the same ids at the same times: the zips (slow to build) are shared.
    zips,
    reading,
    dataRules: [],
  };
  const full = (answer: visengine.Answer) => toRemoteRequest(richiestaSchema.parse(data(answer)));
  const listed = (id: string) => {
    const list = richiestaListSchema.parse(data(visengine.listRequests(ctx))).map((r) => toRemoteSummary(r));
    return list.find((r) => r.id === id)!;
  };
  const body = { hash_visura: CONGEDO, json_visura: seedJson(), opzioni: { opzione_0: true } };

  const quote = toPriceCheck(
    priceCheckSchema.parse(data(visengine.createRequest(ctx, { ...body, state: 0, test: true }))),
  );
  const opened = full(visengine.createRequest(ctx, { ...body, state: 0 }));
  const listedOpen = listed(opened.id);
  now += 1_000;
  const closed = full(visengine.updateRequest(ctx, opened.id, { state: 1 }));
  now += STEP;
  const partial = full(visengine.getRequest(ctx, opened.id));
  const listedPartial = listed(opened.id);
  now += STEP;
  const done = full(visengine.getRequest(ctx, opened.id));
  const outputs = toOutputs(await documento(visengine.getDocument(ctx, opened.id)));

  const other = full(visengine.createRequest(ctx, { ...body, state: 0 }));
  visengine.cancelRequest(ctx, other.id, { motivo: 'prova' });
  const cancelled = full(visengine.getRequest(ctx, other.id));
  const closingCancelled = refusal(visengine.updateRequest(ctx, other.id, { state: 1 }));

  const search = full(
    visengine.createRequest(ctx, { hash_visura: CAMERALE, json_visura: { $0: 'rossi' }, state: 0 }),
  );
  const searching = full(visengine.updateRequest(ctx, search.id, { state: 1 }));
  const first = searching.search!.results[0]!;
  const chosen = full(
    visengine.chooseSearchResult(ctx, search.id, {
      id_ricerca: searching.search!.idRicerca,
      indice: first.indice,
    }),
  );
  return {
    quote,
    opened,
    listedOpen,
    closed,
    partial,
    listedPartial,
    done,
    outputs,
    cancelled,
    closingCancelled,
    searching,
    chosen,
  };
}

async function documento(answer: Promise<visengine.Answer>) {
  const d = data(await answer) as { nome: string; dimensione?: number; file: string };
  return {
    nome: d.nome,
    dimensione: d.dimensione ?? null,
    zip: new Uint8Array(Buffer.from(d.file, 'base64')),
  };
}

/** What the money rules read of a request, whatever the reading. */
function facts(r: RemoteRequest | RemoteSummary) {
  return {
    id: r.id,
    service: r.service,
    phase: r.phase,
    stateText: r.stateText,
    stateName: stateNameOf(r),
    processed: r.processed,
    price: r.price,
    createdAt: r.createdAt,
    status: statusOfRemote({ phase: r.phase }),
    ...('outcome' in r ? { outcome: r.outcome, search: r.search, resultChosen: r.resultChosen } : {}),
  };
}

/**
 * What an open request says of itself, but its phase: "In ricerca", or already "In erogazione"
 * with its stamp (the `openPhase` reading) — which is why the money rules ask `closedForSure` and
 * `mayBeOpen`, never the phase.
 */
function openFacts(r: RemoteRequest | RemoteSummary) {
  const { phase, stateText, stateName, processed, status, ...rest } = facts(r);
  void [phase, stateText, stateName, processed, status];
  return { ...rest, closedForSure: closedForSure(r), mayBeOpen: mayBeOpen(r) };
}

const sameUnderEveryReading = (s: Story) => ({
  quote: { createdId: s.quote.createdId },
  opened: openFacts(s.opened),
  listedOpen: openFacts(s.listedOpen),
  closed: { ...facts(s.closed), fate: fateOf(s.closed) },
  partial: { ...facts(s.partial), fate: fateOf(s.partial) },
  listedPartial: { ...facts(s.listedPartial), fate: fateOf(s.listedPartial) },
  done: { ...facts(s.done), fate: fateOf(s.done), status: statusOfRemote(s.done), outputs: s.done.outputs },
  zip: s.outputs.zip.byteLength,
  cancelled: { ...openFacts(s.cancelled), phase: s.cancelled.phase, closedForSure: null },
  searching: facts(s.searching),
  chosen: { ...facts(s.chosen), fate: fateOf(s.chosen) },
});

describe('Visengine answers as the Engine port’s facts, under every reading of the spec', () => {
  it('tell the same story of the money under every reading, and say "not said" where a reading hides a fact', async () => {
    const readings = everyReading();
    expect(readings).toHaveLength(
      Object.values(READING_CHOICES).reduce((n, values) => n * values.length, 1) /
        READING_CHOICES.testCheck.length,
    );
    let reference: ReturnType<typeof sameUnderEveryReading> | null = null;
    for (const reading of readings) {
      const s = await storyUnder(reading);
      const told = sameUnderEveryReading(s);
      reference ??= told;
      expect(told, JSON.stringify(reading)).toEqual(reference);

      // Without `state`, the transaction is unsaid: an open request is then of unknown fate, never closed.
      const stated = reading.state === 'present';
      expect(s.opened.transaction).toBe(stated ? 'open' : null);
      expect(s.listedOpen.transaction).toBe(stated ? 'open' : null);
      expect(s.closed.transaction).toBe(stated ? 'closed' : null);
      // The phase an open request reads is the reading's; `state`, when given, alone says open.
      const erogazione = reading.openPhase === 'in-erogazione';
      for (const open of [s.opened, s.listedOpen]) {
        expect(stateNameOf(open)).toBe(erogazione ? 'In erogazione' : 'In ricerca');
        expect(open.processed).toBe(erogazione);
        // Without `state`, only hints: an open request reading "In erogazione" looks processed.
        expect(fateOf(open)).toBe(stated ? 'open' : erogazione ? 'closed' : 'unknown');
      }
      // …but it is never closed for sure (so it is closed with the PUT), and stays a candidate.
      expect([closedForSure(s.opened), mayBeOpen(s.opened)]).toEqual([false, true]);
      // A request cancelled while open: cancelled by its word; without it, the stamps decide.
      expect(fateOf(s.cancelled)).toBe(stated || !erogazione ? 'cancelled' : 'closed');
      expect(s.cancelled.processed).toBe(erogazione);
      expect(closedForSure(s.cancelled)).toBe(!stated && erogazione);
      // A search service's request waits closed, unprocessed, for the choice: only `state` tells.
      expect(fateOf(s.searching)).toBe(stated ? 'closed' : 'unknown');

      // The echo is the only way to recognise our data; without it, nothing is echoed (time decides).
      const values = { $0: 'Mario', $1: 'Rossi', $4: 'RSSMRA85T10A562S' };
      expect(echoOf(s.opened, values)).toBe(reading.echo === 'ricerche' ? 'match' : 'none');
      expect(echoOf(s.opened, { ...values, $1: 'Bianchi' })).toBe(
        reading.echo === 'ricerche' ? 'mismatch' : 'none',
      );

      // The options the answers name follow the reading; the price never does.
      expect(s.closed.options).toEqual(
        { chosen: ['opzione_0'], null: [], all: ['opzione_0', 'opzione_1'] }[reading.opzioni],
      );
      expect(
        totalOf(s.closed, { opzioni: [{ nome: 'opzione_0', tipo: '', prezzo: 4 }] }, ['opzione_0']),
      ).toBe(
        totalOf(reference.closed, { opzioni: [{ nome: 'opzione_0', tipo: '', prezzo: 4 }] }, ['opzione_0']),
      );

      // A price check that gives no price says so; it never reads as free.
      expect(s.quote.shape).toBe(reading.priceCheck);
      expect(s.quote.base).toBe(reading.priceCheck === 'empty' ? null : s.closed.price.base);

      // Outputs listed before the end ("Dati disponibili") make the request done; a list shows none.
      const staged = reading.outputs === 'staged';
      expect(s.partial.outputs).toHaveLength(staged ? 1 : 0);
      expect(statusOfRemote(s.partial)).toBe(staged ? 'done' : 'pending');
      expect(statusOfRemote(s.listedPartial)).toBe('pending');

      // The stated size keeps its unit, or its absence.
      const bytes = s.outputs.zip.byteLength;
      expect(s.outputs.statedSize).toBe(
        { bytes, base64: Math.ceil(bytes / 3) * 4, absent: null }[reading.dimensione],
      );

      // Closing a request cancelled while open: "already closed", or "not found" — never "closed".
      expect(s.closingCancelled).toBeInstanceOf(
        reading.cancelledPut === 'already-closed' ? AlreadyClosedError : NotFoundError,
      );
      expect((s.closingCancelled as AlreadyClosedError).ambiguous).toBe(false);
    }
  }, 120_000);

  it('read the states of the spec as the phases, and keep their names', async () => {
    const s = await storyUnder(
      Object.fromEntries(
        Object.entries(READING_CHOICES).map(([k, v]) => [k, v[0]]),
      ) as unknown as SpecReading,
    );
    expect(
      [s.opened, s.closed, s.partial, s.done, s.cancelled, s.searching, s.chosen].map((r) => [
        r.phase,
        stateNameOf(r),
        r.processed,
        fateOf(r),
      ]),
    ).toEqual([
      ['searching', 'In ricerca', false, 'open'],
      ['processing', 'In erogazione', true, 'closed'],
      ['outputs_partial', 'Dati disponibili', true, 'closed'],
      ['done', 'Visura evasa', true, 'closed'],
      ['cancelled', 'Annullata', false, 'cancelled'],
      ['searching', 'In ricerca', false, 'closed'],
      ['processing', 'In erogazione', true, 'closed'],
    ]);
    expect(s.closed.price).toEqual({ base: 14.7, search: null });
    expect(s.searching.price.search).toBeGreaterThan(0);
    expect(s.searching.search?.results.length).toBeGreaterThan(0);
    expect([s.searching.resultChosen, s.chosen.resultChosen, s.chosen.search]).toEqual([false, true, null]);
    expect(s.opened.createdAt).toBe(T0);
    expect(s.done.outcome).toEqual({ codice: '0', info: 'OK' });
  });

  it('keeps a state it does not know as the service says it: in progress, no proof of a close', () => {
    const r = toRemoteRequest(
      richiestaSchema.parse({ _id: 'a'.repeat(24), stato_richiesta: 'In lavorazione', prezzo_visura: 5 }),
    );
    expect([r.phase, stateNameOf(r), r.processed, fateOf(r), statusOfRemote(r)]).toEqual([
      'other',
      'In lavorazione',
      false,
      'unknown',
      'pending',
    ]);
    const stamped = toRemoteRequest(
      richiestaSchema.parse({
        _id: 'a'.repeat(24),
        stato_richiesta: 'In lavorazione',
        timestamp_stati: { in_erogazione: 1_770_000_000 },
      }),
    );
    expect([stamped.processed, fateOf(stamped)]).toEqual([true, 'closed']);
  });
});
