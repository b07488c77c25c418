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

/** What a remote request costs: base, search and the options it carries (or the ones chosen). */
export function totalOf(
  remote: Pick<RemoteRequest, 'prezzoVisura' | 'prezzoRicerca' | 'ricerca' | 'opzioni'>,
  service: ServiceDetail | null,
  chosen: string[],
): number {
  const options = remote.opzioni.length
    ? remote.opzioni
    : (service?.opzioni ?? []).filter((o) => chosen.includes(o.nome));
  const sum =
    remote.prezzoVisura +
    (remote.ricerca ? remote.prezzoRicerca : 0) +
    options.reduce((n, o) => n + o.prezzo, 0);
  return Math.round(sum * 100) / 100;
}

export const samePrice = (a: number, b: number) => Math.abs(a - b) < 0.005;
