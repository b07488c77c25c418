import type { RequestStatus } from '../../common/requests.ts';
import { PHASE_NAMES } from '../engine/engine.ts';
import { AppError } from '../errors.ts';
import type { RequestRow } from '../store/request-row.ts';

/*
 * The rules of a request's life, written once: the transitions lifecycle.ts allows, and what the
 * screens show (needs attention, can cancel, can retry). The attention query of store/requests.ts
 * (ATTENTION_SQL) is `needsAttention` in SQL: test/integration/requests/lifecycle.test.ts checks the
 * two agree.
 */

/** The transitions allowed, from each status. Staying in a status is a note, not a transition. */
export const TRANSITIONS = {
  // Sent; or, sent back after its request was opened, retired (discarded, or stale: retention).
  draft: ['sending', 'cancelled'],
  // The POST answered (or the list recovered its request): open. Refused for sure, or the price
  // moved: back to the draft. The open request this draft kept turned out closed already: sent.
  sending: ['open', 'draft', 'pending', 'done', 'cancelled'],
  // Closed: sent (and processed at once, or refused at once). Cancelled before the close.
  // Refused, price moved, or cancelled on the service: back to the draft.
  open: ['pending', 'done', 'cancelled', 'draft'],
  pending: ['done', 'cancelled'],
  // "Annullata" after outputs were given at "Dati disponibili".
  done: ['cancelled'],
  cancelled: [],
} as const satisfies Record<RequestStatus, readonly RequestStatus[]>;

export function allowed(from: RequestStatus, to: RequestStatus): boolean {
  return (TRANSITIONS[from] as readonly RequestStatus[]).includes(to);
}

type RuleRow = Pick<RequestRow, 'status' | 'lastError' | 'documentsState' | 'search' | 'remoteState'>;

/** A search service waiting on the clerk: results to choose from, or none found (to cancel). */
function searchWaiting(row: Pick<RequestRow, 'status' | 'search' | 'remoteState'>): boolean {
  return row.status === 'pending' && row.search !== null && row.remoteState === PHASE_NAMES.searching;
}

/** A search service with results for the clerk to choose from ("Scegli il risultato"). */
export function awaitingChoice(row: Pick<RequestRow, 'status' | 'search' | 'remoteState'>): boolean {
  return searchWaiting(row) && (row.search?.results.length ?? 0) > 0;
}

/**
 * The clerk must do something: an uncertain or unfinished submission, a failure after the draft,
 * outputs that did not download, a search result to choose.
 */
export function needsAttention(row: RuleRow): boolean {
  return (
    row.status === 'sending' ||
    row.status === 'open' ||
    row.documentsState === 'failed' ||
    (row.status !== 'draft' && row.lastError !== null) ||
    searchWaiting(row)
  );
}

/** Cancelled on the clerk's word: open (nothing paid at the close), or processing not yet given outputs. */
export function canCancel(row: Pick<RequestRow, 'status' | 'remoteState'>): boolean {
  return (
    row.status === 'open' || (row.status === 'pending' && row.remoteState !== PHASE_NAMES.outputs_partial)
  );
}

/** A live sending lease of another counter (`owner`: this counter's id) on the row. */
export function leasedElsewhere(
  row: Pick<RequestRow, 'claimOwner' | 'claimUntil'>,
  owner: string,
  now: number,
): boolean {
  return (
    row.claimOwner !== null && row.claimOwner !== owner && row.claimUntil !== null && row.claimUntil >= now
  );
}

/**
 * The refusal when another counter holds the request's lease. The counter holding it is known by
 * id only; the one that created it (named unless it is this one) is often the one sending.
 */
export function claimedElsewhere(
  row: Pick<RequestRow, 'counter' | 'claimUntil'>,
  mine: string | null,
): AppError {
  const counter = row.counter && row.counter !== mine ? row.counter : null;
  return new AppError(
    'claimed_elsewhere',
    `La pratica è in invio da un altro sportello${counter ? ` (${counter})` : ''}`,
    { details: { counter, until: row.claimUntil } },
  );
}

/** "Riprova": finishes a submission (after a check with the service), or downloads the outputs again. */
export function canRetry(row: Pick<RequestRow, 'status' | 'documentsState'>): boolean {
  return row.status === 'sending' || row.status === 'open' || row.documentsState === 'failed';
}
