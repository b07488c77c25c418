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
 * being closed, or cannot be told. The service's word on the transaction decides when it gives
 * one; without it (Visengine's spec does not require `state`) only signs of processing prove a
 * close: an unstated transaction never means closed. A request closed and then refused (cancelled
 * after processing) counts as closed: it was paid.
 */
export function fateOf(
  remote: Pick<RemoteSummary, 'transaction' | 'processed' | 'phase'>,
): 'open' | 'closed' | 'cancelled' | 'unknown' {
  if (remote.transaction === 'closed') return 'closed';
  if (remote.processed) return 'closed';
  if (remote.phase === 'cancelled') return 'cancelled';
  if (remote.transaction === 'open') return 'open';
  return 'unknown';
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
