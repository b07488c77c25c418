import type { ServiceDetail } from '../../common/catalog.ts';
import type { RequestStatus, SearchState } from '../../common/requests.ts';
import { STATI, type RemoteRequest, type RemoteRequestSummary } from '../engine/schemas.ts';

/** Where a remote request stands, in the app's terms. */
export function statusOfRemote(
  remote: Pick<RemoteRequest, 'stato' | 'allegati'> | RemoteRequestSummary,
): RequestStatus {
  if (remote.stato === STATI.annullata) return 'cancelled';
  if (remote.stato === STATI.evasa) return 'done';
  // "Dati disponibili" with outputs listed is done too (VISENGINE.md); the summary form has no allegati.
  if (remote.stato === STATI.datiDisponibili && 'allegati' in remote && remote.allegati.length > 0)
    return 'done';
  return 'pending';
}

const PROCESSING = new Set<string>([STATI.inErogazione, STATI.datiDisponibili, STATI.evasa]);
const PROCESSING_STAMPS = ['in_erogazione', 'dati_disponibili', 'visura_evasa'];

/**
 * Whether a remote request was closed (submitted, so charged), is still open, was cancelled before
 * being closed, or cannot be told. `state` decides when present; without it (the spec does not
 * require it) only signs of processing — a processing state, or its timestamp — prove a close: a
 * missing `state` never means closed. A request closed and then refused ("Annullata" after
 * processing) counts as closed: it was paid.
 */
export function fateOf(
  remote: Pick<RemoteRequest, 'state' | 'stato'> & Partial<Pick<RemoteRequest, 'timestampStati'>>,
): 'open' | 'closed' | 'cancelled' | 'unknown' {
  if (remote.state === 1) return 'closed';
  const processed =
    PROCESSING.has(remote.stato) || PROCESSING_STAMPS.some((k) => remote.timestampStati?.[k] !== undefined);
  if (processed) return 'closed';
  if (remote.stato === STATI.annullata) return 'cancelled';
  if (remote.state === 0) return 'open';
  return 'unknown';
}

/** The search results to choose from, for services with `ricerca`. */
export function searchOf(remote: RemoteRequest): SearchState | null {
  if (!remote.ricerca || remote.indiceRicerca !== null) return null;
  const last = remote.ricerche.at(-1);
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
      (r): r is { index: string; value: Record<string, unknown> } =>
        r.index !== undefined && typeof r.value === 'object' && r.value !== null,
    )
    .map((r) => ({ indice: Number(r.index), label: labelOf(r.value), data: r.value }))
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

/**
 * What a remote request costs (net of IVA): its base and search prices as the answer states them,
 * plus the chosen options priced from the service's detail. Never from the answer's `opzioni`, which
 * may list every option of the service, or none (VISENGINE.md). Null when the answer has no price.
 */
export function totalOf(
  remote: Pick<RemoteRequest, 'prezzoVisura' | 'prezzoRicerca' | 'ricerca'>,
  service: Pick<ServiceDetail, 'opzioni'> | null,
  chosen: readonly string[],
): number | null {
  if (remote.prezzoVisura === null) return null;
  const options = (service?.opzioni ?? []).filter((o) => chosen.includes(o.nome));
  const sum =
    remote.prezzoVisura +
    (remote.ricerca ? (remote.prezzoRicerca ?? 0) : 0) +
    options.reduce((n, o) => n + o.prezzo, 0);
  return Math.round(sum * 100) / 100;
}
