import type { SearchState } from '../../../common/requests.ts';
import type {
  PriceCheck,
  RemoteOutputs,
  RemotePhase,
  RemoteRequest,
  RemoteSummary,
  Submission,
} from '../engine.ts';
import {
  STATI,
  type CreateRequestBody,
  type Documento,
  type PriceCheckAnswer,
  type Richiesta,
  type RichiestaSummary,
} from './schemas.ts';

/*
 * Visengine's answers as the Engine port's facts, and the port's submissions as Visengine's
 * bodies. Only documented fields are read (VISENGINE.md, "What the spec leaves open"): `state`,
 * `stato_richiesta` and `timestamp_stati`, the prices, `timestamp_creation`, `allegati`, `esito`,
 * `ricerche` (for the echo and the search results), `opzioni` (names only, never prices); and,
 * leniently, `motivo_annullamento`, which the spec does not name.
 */

const PHASES = new Map<string, RemotePhase>([
  [STATI.inRicerca, 'searching'],
  [STATI.inErogazione, 'processing'],
  [STATI.datiDisponibili, 'outputs_partial'],
  [STATI.evasa, 'done'],
  [STATI.annullata, 'cancelled'],
]);

/** The states that only a closed request reaches: processing has begun. */
const PROCESSING_PHASES = new Set<RemotePhase>(['processing', 'outputs_partial', 'done']);
/** `timestamp_stati` keys of those states: a stamp proves the state was reached. */
const PROCESSING_STAMPS = ['in_erogazione', 'dati_disponibili', 'visura_evasa'];

/** The phase a `stato_richiesta` names; a state the API does not document is `other`. */
export function phaseOf(stato: string): RemotePhase {
  return PHASES.get(stato) ?? 'other';
}

/** A request of `GET /richiesta` (summary form), or the common part of a full one. */
export function toRemoteSummary(
  r: RichiestaSummary | Richiesta,
  timestampStati: Readonly<Record<string, number>> = {},
): RemoteSummary {
  const phase = phaseOf(r.stato);
  return {
    id: r.id,
    service: r.hash,
    // 0 open, 1 closed; anything else, or nothing, says nothing (never "closed").
    transaction: r.state === 1 ? 'closed' : r.state === 0 ? 'open' : null,
    phase,
    stateText: r.stato,
    processed: PROCESSING_PHASES.has(phase) || PROCESSING_STAMPS.some((k) => timestampStati[k] !== undefined),
    price: { base: r.prezzoVisura, search: r.ricerca ? r.prezzoRicerca : null },
    createdAt: r.createdAt === null ? null : r.createdAt * 1000,
  };
}

/** A request read in full (`GET /richiesta/{id}`, and the answers of POST and PUT). */
export function toRemoteRequest(r: Richiesta): RemoteRequest {
  return {
    ...toRemoteSummary(r, r.timestampStati),
    outputs: r.allegati,
    // The motive rides with the verdict, shown on a cancelled request's page.
    outcome: r.motivoAnnullamento === null ? r.esito : { ...r.esito, motivo: r.motivoAnnullamento },
    search: searchOf(r),
    resultChosen: r.indiceRicerca !== null,
    echoes: echoesOf(r),
    options: r.opzioni.map((o) => o.nome),
  };
}

export function toPriceCheck(answer: PriceCheckAnswer): PriceCheck {
  return {
    base: answer.prezzoVisura,
    search: answer.prezzoRicerca,
    createdId: answer.createdId,
    shape: answer.shape,
  };
}

export function toOutputs(documento: Documento): RemoteOutputs {
  return { zip: documento.zip, statedSize: documento.dimensione };
}

/** The body of `POST /richiesta` for a submission (the client adds `test` for a price check). */
export function createBody(submission: Submission, state?: 0 | 1): CreateRequestBody {
  return {
    hash_visura: submission.service,
    json_visura: { ...submission.values },
    ...(state === undefined ? {} : { state }),
    ...(submission.emailTarget ? { email_target: submission.emailTarget } : {}),
    ...(submission.options.length
      ? { opzioni: Object.fromEntries(submission.options.map((o) => [o, true])) }
      : {}),
  };
}

/**
 * The submitted data echoed back: `ricerche[].json_ricerca`, an object or a JSON string of one
 * (only the Camerali examples carry it; the Patronato answers of the seeds have `"ricerche": []`).
 */
function echoesOf(r: Richiesta): Record<string, unknown>[] {
  const echoes: Record<string, unknown>[] = [];
  for (const ricerca of r.ricerche) {
    let data: unknown = ricerca.json_ricerca;
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data);
      } catch {
        continue;
      }
    }
    if (data && typeof data === 'object' && !Array.isArray(data))
      echoes.push(data as Record<string, unknown>);
  }
  return echoes;
}

/** The search results to choose from, for services with `ricerca`: `json_risultato` of the last search. */
function searchOf(r: Richiesta): SearchState | null {
  if (!r.ricerca || r.indiceRicerca !== null) return null;
  const last = r.ricerche.at(-1);
  if (!last) return null;
  let parsed: unknown = last.json_risultato;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return null;
    }
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const results = Object.entries(parsed as Record<string, unknown>)
    .map(([key, value]) => ({ index: /^indice_(\d+)$/.exec(key)?.[1], value }))
    .filter(
      (x): x is { index: string; value: Record<string, unknown> } =>
        x.index !== undefined && typeof x.value === 'object' && x.value !== null,
    )
    .map((x) => ({ indice: Number(x.index), label: labelOf(x.value), data: x.value }))
    .sort((a, b) => a.indice - b.indice);
  return { idRicerca: last.id_ricerca, results };
}

function labelOf(data: Record<string, unknown>): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const address = data.Indirizzo as Record<string, unknown> | undefined;
  const parts = [
    text(data.Denominazione ?? data.denominazione ?? data.Nome),
    text(data.PIva ?? data.CodFisc),
    address ? text(address.Comune) : '',
  ].filter(Boolean);
  return parts.join(' · ') || JSON.stringify(data).slice(0, 80);
}
