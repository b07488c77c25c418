import type { SubmissionCandidate } from '../../common/requests.ts';
import type { RemoteRequest, RemoteSummary } from '../engine/engine.ts';
import { mayBeOpen, stateNameOf } from './remote-status.ts';

/*
 * After a POST whose outcome is unknown (timeout, reset, 5xx), did it create our request? The
 * service may have charged it already (nothing says an open request is free), so a second POST is
 * never sent blind. The answer comes only from facts the engine documents — the list of the
 * account's requests and each one read in full (service, creation time, transaction, prices, id)
 * — plus the echo of the submitted data where the service gives one (Visengine:
 * `ricerche[].json_ricerca`).
 *
 * A candidate is a request on the account that
 *   - is of the same service,
 *   - this PC does not already know (the ledger: every request created, adopted, or disowned here),
 *   - is not closed (by the service's word: `state`) nor cancelled: our POST asked for an open
 *     request — which may already read "In erogazione", so the phase does not exclude it,
 *   - was created within the attempt, widened by 5 minutes each side for an unknown clock skew
 *     (or has no creation time to tell),
 *   - and, where the service echoes the data, carries ours (an echo that differs excludes it).
 *
 * The rule:
 *   - with an echo, the candidate carrying our data is ours (several: the clerk chooses);
 *   - without one, only time places a candidate: with the offset between the clocks learnt from
 *     the requests this PC created (their creation time against their answers' arrival), the
 *     attempt's span — from its start to the reading of the list, give or take 10 seconds — is
 *     moved to the service's clock; candidates created outside it are not ours, and of those
 *     inside: none → nothing was created, one → ours, several → the clerk;
 *   - none at all: the POST created nothing; it may be sent again, but only once the server has
 *     had time to finish what it received (submit.ts: settle), or a late creation would be missed;
 *   - a candidate that cannot be placed (no offset learnt yet, no timestamp) → the clerk decides,
 *     seeing the candidates: adopt one, or send again knowingly;
 *   - nor can an attempt made before this PC's clock moved (submit.ts tells: stamped later than
 *     the list is read, or the offset learnt from earlier requests no longer the one the service's
 *     answers tell): its span means nothing on today's clock. Every open request of the service
 *     this PC does not know, created before the list, is then a candidate: the echo still
 *     decides; without one, the clerk.
 */

/** Clock skew tolerated between this PC and the service when the offset is not known. */
export const SKEW_MS = 5 * 60_000;
/** Tolerance around the attempt once the offset is known: seconds truncation, answer latency. */
export const TIGHT_MS = 10_000;

export type Decision =
  | { kind: 'none' }
  | { kind: 'adopt'; remote: RemoteRequest }
  | { kind: 'ask'; candidates: SubmissionCandidate[] };

export interface Attempt {
  hash: string;
  /**
   * When the first uncertain attempt began and the last one ended (ms, this PC's clock); null when
   * the attempt cannot be placed on today's clock (made before this PC's clock moved).
   */
  startedAt: number | null;
  endedAt: number;
  /** When the list was read: the latest the attempt's request can have been created. */
  listedAt: number;
  /** The non-file values sent, by key: what an echo must carry. */
  values: Record<string, string>;
  /** How far the service's clock is ahead of this PC's (ms); null when not learnt yet. */
  offset: number | null;
}

/** Which requests of the list may be the attempt's, before reading them in full. */
export function listCandidates(
  list: readonly RemoteSummary[],
  attempt: Attempt,
  known: (remoteId: string) => boolean,
): RemoteSummary[] {
  const shift = attempt.offset ?? 0;
  const from = attempt.startedAt === null ? -Infinity : attempt.startedAt + shift - SKEW_MS;
  const to = attempt.endedAt + shift + SKEW_MS;
  return list
    .filter((r) => {
      if (r.service !== attempt.hash || known(r.id) || !mayBeOpen(r)) return false;
      return r.createdAt === null || within(r.createdAt, from, to);
    })
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.id < b.id ? -1 : 1));
}

/** A creation time (ms, perhaps truncated to the second) within [from, to], allowing that second. */
function within(createdAt: number, from: number, to: number): boolean {
  return createdAt + 999 >= from && createdAt <= to;
}

/** The rule above, on the candidates read in full. */
export function decide(candidates: readonly RemoteRequest[], attempt: Attempt): Decision {
  const judged = candidates
    .map((remote) => ({ remote, echo: echoOf(remote, attempt.values) }))
    .filter((c) => c.echo !== 'mismatch');
  const matched = judged.filter((c) => c.echo === 'match');
  if (matched.length === 1) return { kind: 'adopt', remote: matched[0]!.remote };
  if (matched.length > 1) return ask(matched);
  if (judged.length === 0) return { kind: 'none' };
  // No echo to read: only the time can place a candidate, and only with the clocks' offset known.
  const { offset, startedAt } = attempt;
  if (offset === null || startedAt === null || judged.some((c) => c.remote.createdAt === null))
    return ask(judged);
  // The service may create the request until the list is read (a late POST: see settle).
  const from = startedAt + offset - TIGHT_MS;
  const to = attempt.listedAt + offset + TIGHT_MS;
  const inAttempt = judged.filter((c) => within(c.remote.createdAt!, from, to));
  if (inAttempt.length === 0) return { kind: 'none' };
  if (inAttempt.length === 1) return { kind: 'adopt', remote: inAttempt[0]!.remote };
  return ask(inAttempt);
}

function ask(pool: readonly { remote: RemoteRequest; echo: 'match' | 'none' | 'mismatch' }[]): Decision {
  return {
    kind: 'ask',
    candidates: pool.map(({ remote, echo }) => ({
      remoteId: remote.id,
      createdAt: remote.createdAt,
      state: remote.transaction === null ? null : remote.transaction === 'closed' ? 1 : 0,
      stato: stateNameOf(remote),
      prezzoVisura: remote.price.base,
      echo: echo === 'match' ? 'match' : 'none',
    })),
  };
}

/**
 * `match`: some echo carries every value we sent; `mismatch`: the service echoes data and none of
 * it is ours; `none`: nothing is echoed (the Patronato answers of the seeds).
 */
export function echoOf(
  remote: Pick<RemoteRequest, 'echoes'>,
  values: Record<string, string>,
): 'match' | 'mismatch' | 'none' {
  const keys = Object.keys(values);
  for (const theirs of remote.echoes) {
    if (keys.length && keys.every((k) => typeof theirs[k] === 'string' && theirs[k].trim() === values[k]))
      return 'match';
  }
  return remote.echoes.length ? 'mismatch' : 'none';
}
