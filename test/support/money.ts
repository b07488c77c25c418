import type { Charge, SimRequest } from '../../main/simulator/store.ts';

/** A local request as the money check needs it (read from the repository or straight from SQLite). */
export interface LocalRow {
  id: string;
  status: string;
  remoteId: string | null;
  submitIntent: boolean;
  /** Waiting for the clerk's choice among candidates (an uncertain POST the API could not settle). */
  awaitingChoice: boolean;
  /** The remote ids the clerk is shown meanwhile: not in the ledger until the choice, yet not silent. */
  candidates?: readonly string[];
}

/** A remote request this PC knows of (the ledger, migration 004). */
export interface LedgerRow {
  remoteId: string;
  requestId: string;
  origin: string;
  fate: string;
}

export interface MoneyReport {
  /** Local requests, by how they ended. */
  submitted: number;
  notSubmitted: number;
  awaitingChoice: number;
  /** Charges, and remote requests paid while open that wait for the clerk to finish them (charge at creation). */
  charges: number;
  paidOpen: number;
  /** Every broken promise, in words: empty when the money is right. */
  problems: string[];
}

/**
 * The money promises, checked on the end state of a run against the simulator's own books:
 * - 0 double charges: no local request has more than one charged remote request, no remote
 *   request is charged twice;
 * - 0 lost: every charge belongs to a remote request the ledger knows and ties to a local request;
 *   a submitted request owns a closed, charged remote request; a charged request that is not
 *   submitted is still the one its row will close (so finishing it costs nothing more);
 * - 0 stuck: no request is left "sending" or "open" with the intent to send, except one waiting
 *   for the clerk's choice;
 * - nothing left silently: every request on the service is in the ledger, or shown to the clerk
 *   among the candidates of a request waiting for the choice (which then records it either way).
 */
export function checkMoney(
  rows: readonly LocalRow[],
  ledger: readonly LedgerRow[],
  remote: readonly SimRequest[],
  charges: readonly Charge[],
): MoneyReport {
  const problems: string[] = [];
  const byRemote = new Map(remote.map((r) => [r._id, r]));
  const known = new Map(ledger.map((e) => [e.remoteId, e]));
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const shown = new Set(rows.flatMap((r) => (r.awaitingChoice ? (r.candidates ?? []) : [])));
  const chargedTimes = new Map<string, number>();
  for (const c of charges) {
    // A search service pays its search, then the service: two charges of two kinds are one request's.
    const key = `${c.requestId}:${c.what}`;
    chargedTimes.set(key, (chargedTimes.get(key) ?? 0) + 1);
  }
  const charged = (remoteId: string) => charges.some((c) => c.requestId === remoteId);
  const report: MoneyReport = {
    submitted: 0,
    notSubmitted: 0,
    awaitingChoice: 0,
    charges: charges.length,
    paidOpen: 0,
    problems,
  };

  for (const [key, times] of chargedTimes)
    if (times > 1) problems.push(`remote request ${key} charged ${times} times`);

  for (const r of remote) {
    const entry = known.get(r._id);
    if (!entry) {
      if (shown.has(r._id)) continue;
      problems.push(`remote request ${r._id} (state ${r.state}) is not in the ledger: left silently`);
      continue;
    }
    if (!charged(r._id)) continue;
    if (entry.origin === 'disowned') continue; // the clerk saw it and said it is not this request's
    const owner = rowById.get(entry.requestId);
    if (!owner) {
      if (entry.fate !== 'abandoned' && entry.fate !== 'deleted')
        problems.push(`charged remote request ${r._id} belongs to no local request`);
      continue;
    }
    const finished = ['pending', 'done', 'cancelled'].includes(owner.status);
    if (finished && owner.remoteId !== r._id && entry.fate !== 'abandoned' && entry.fate !== 'deleted')
      problems.push(`request ${owner.id} is submitted as ${owner.remoteId} but ${r._id} was charged too`);
    if (!finished) {
      if (owner.remoteId === r._id && r.state === 0) report.paidOpen++;
      else if (entry.fate !== 'abandoned' && entry.fate !== 'deleted')
        problems.push(
          `charged remote request ${r._id} of unsent request ${owner.id} is not the one it will close`,
        );
    }
  }

  const chargedPerRow = new Map<string, number>();
  for (const e of ledger) {
    if (e.origin === 'disowned' || !charged(e.remoteId)) continue;
    chargedPerRow.set(e.requestId, (chargedPerRow.get(e.requestId) ?? 0) + 1);
  }
  for (const [requestId, n] of chargedPerRow)
    if (n > 1) problems.push(`request ${requestId} has ${n} charged remote requests: paid twice`);

  for (const row of rows) {
    // A draft sent back with an open request and then discarded (or retired by retention) ends
    // "cancelled" with its request abandoned on the service: not submitted.
    const retired =
      row.remoteId !== null && ['abandoned', 'deleted'].includes(known.get(row.remoteId)?.fate ?? '');
    if (['pending', 'done', 'cancelled'].includes(row.status) && !retired) {
      report.submitted++;
      const r = row.remoteId ? byRemote.get(row.remoteId) : undefined;
      if (!r) problems.push(`submitted request ${row.id} has no remote request`);
      else if (r.state !== 1) problems.push(`submitted request ${row.id}: its remote request is not closed`);
      else if (!charged(r._id))
        problems.push(`submitted request ${row.id}: its remote request was never charged`);
      continue;
    }
    if (row.awaitingChoice) {
      report.awaitingChoice++;
      continue;
    }
    report.notSubmitted++;
    if (row.status === 'sending') problems.push(`request ${row.id} stuck in "sending"`);
    if (row.submitIntent) problems.push(`request ${row.id} (${row.status}) keeps the intent to send`);
    if (row.remoteId && byRemote.get(row.remoteId)?.state === 1)
      problems.push(`unsent request ${row.id} owns a closed remote request`);
  }
  return report;
}
