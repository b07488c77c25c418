import type { ServiceDetail } from '../../common/catalog.ts';
import type { RequestStatus } from '../../common/requests.ts';
import { PHASE_NAMES, type RemoteRequest, type RemoteSummary } from '../engine/engine.ts';

/** Where a remote request stands, in the app's terms. */
export function statusOfRemote(
  remote: Pick<RemoteSummary, 'phase'> & Partial<Pick<RemoteRequest, 'outputs'>>,
): RequestStatus {
  if (remote.phase === 'cancelled') return 'cancelled';
  if (remote.phase === 'done') return 'done';
  // Outputs listed before the end count as done too (VISENGINE.md); a list's summary lists none.
  if (remote.phase === 'outputs_partial' && remote.outputs !== undefined && remote.outputs.length > 0)
    return 'done';
  return 'pending';
}

/**
 * Whether a remote request was closed (submitted, so charged), is still open, was cancelled before
 * being closed, or cannot be told. The service's word on the transaction (`state`) decides when
 * the answer carries it: a service without a search step may show an open request already "In
 * erogazione", with its stamp (VISENGINE.md, "`state` vs the phase"), so a phase never outranks it.
 * Only without `state` (the spec does not require it) do signs of processing count as a close —
 * an unstated transaction never means closed by itself. A request closed and then refused
 * (cancelled after processing) counts as closed: it was paid.
 */
export function fateOf(
  remote: Pick<RemoteSummary, 'transaction' | 'processed' | 'phase'>,
): 'open' | 'closed' | 'cancelled' | 'unknown' {
  if (remote.transaction === 'closed') return 'closed';
  if (remote.transaction === 'open') return remote.phase === 'cancelled' ? 'cancelled' : 'open';
  if (remote.processed) return 'closed';
  if (remote.phase === 'cancelled') return 'cancelled';
  return 'unknown';
}

/**
 * Closed beyond what a PUT could change: by the service's word, or, without `state`, having reached
 * an end of its processing that only a closed request reaches (outputs, or refused after
 * processing). "In erogazione" alone is not enough: an open request may read so. A request this
 * counter opened is closed with the PUT unless this holds (the PUT's "already closed" is then the
 * proof).
 */
export function closedForSure(remote: Pick<RemoteSummary, 'transaction' | 'processed' | 'phase'>): boolean {
  if (remote.transaction !== null) return remote.transaction === 'closed';
  if (!remote.processed) return false;
  return remote.phase === 'done' || remote.phase === 'outputs_partial' || remote.phase === 'cancelled';
}

/**
 * Whether a remote request may be the open one an uncertain POST asked for: not closed by the
 * service's word, and not cancelled. Signs of processing do not rule it out (an open request may
 * read "In erogazione"): the echo, the time, or the clerk decide among the candidates.
 */
export function mayBeOpen(remote: Pick<RemoteSummary, 'transaction' | 'phase'>): boolean {
  return remote.transaction !== 'closed' && remote.phase !== 'cancelled';
}

/**
 * The remote state a request row keeps (`remoteState`, "Stato sul servizio"): the phase's Italian
 * name, or the service's own words for a phase the engine does not know.
 */
export function stateNameOf(remote: Pick<RemoteSummary, 'phase' | 'stateText'>): string {
  return remote.phase === 'other' ? remote.stateText : PHASE_NAMES[remote.phase];
}

/**
 * What a remote request costs (net of IVA): its base and search prices as the answer states them,
 * plus the chosen options priced from the service's detail. Never from the options the answer
 * names, which may be every option of the service, or none (VISENGINE.md). Null when the answer
 * has no price.
 */
export function totalOf(
  remote: Pick<RemoteSummary, 'price'>,
  service: Pick<ServiceDetail, 'opzioni'> | null,
  chosen: readonly string[],
): number | null {
  if (remote.price.base === null) return null;
  const options = (service?.opzioni ?? []).filter((o) => chosen.includes(o.nome));
  const sum = remote.price.base + (remote.price.search ?? 0) + options.reduce((n, o) => n + o.prezzo, 0);
  return Math.round(sum * 100) / 100;
}
