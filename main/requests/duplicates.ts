import type { Duplicate } from '../../common/clients.ts';
import { AppError } from '../errors.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { Register } from '../store/port.ts';
import { stateOf } from './views.ts';

/** How far back a request counts as a possible duplicate of a new one. */
export const DUPLICATE_WINDOW_DAYS = 30;
const DAY = 86_400_000;

/**
 * The duplicate guard of this counter: the same client (codice fiscale) and the same service sent
 * in the last 30 days is most often the same request twice — paid twice. Before paying, the form
 * asks this (`duplicates.check`) and holds the send button until the clerk goes on knowingly
 * (`duplicates.acknowledge`), a choice written in the trail. The whole register is looked at: on
 * an office's PostgreSQL, a request sent at another counter counts as well, and the warning says
 * where and by whom. Submission itself (submit.ts) is not involved.
 */
export class DuplicateGuard {
  private readonly store: Register;
  private readonly now: () => number;
  private readonly operator: () => string;

  constructor(deps: { store: Register; now: () => number; operator: () => string }) {
    this.store = deps.store;
    this.now = deps.now;
    this.operator = deps.operator;
  }

  /** The requests a draft would duplicate, newest first, each marked if the clerk already went on. */
  async check(draftId: string): Promise<Duplicate[]> {
    const draft = await this.draft(draftId);
    const found = await this.found(draft);
    const acknowledged = await this.acknowledged(draftId);
    return found.map((row) => ({
      id: row.id,
      serviceName: row.serviceName,
      status: row.status,
      state: stateOf(row),
      remoteState: row.remoteState,
      sentAt: row.submittedAt ?? row.createdAt,
      operator: row.operator,
      counter: row.counter,
      acknowledged: acknowledged.has(row.id),
    }));
  }

  /** The clerk goes on knowingly: recorded in the trail, with the requests it may duplicate. */
  async acknowledge(draftId: string, ids: readonly string[]): Promise<void> {
    const draft = await this.draft(draftId);
    const found = new Map((await this.found(draft)).map((r) => [r.id, r]));
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length) {
      throw new AppError('invalid_argument', 'Pratiche non corrispondenti al controllo dei doppioni', {
        details: { reason: 'not_a_duplicate', requests: unknown },
      });
    }
    // Which counters sent them, for whoever reads the trail later: names of counters, no client data.
    const counters = [...new Set(ids.map((id) => found.get(id)?.counter ?? ''))];
    await this.store.trail.add(draftId, 'duplicate_acknowledged', this.operator(), {
      requests: [...ids],
      counters,
    });
  }

  private async found(draft: RequestRow): Promise<RequestRow[]> {
    if (!draft.clientCf) return [];
    const since = this.now() - DUPLICATE_WINDOW_DAYS * DAY;
    // Created up to a month earlier (a draft lives 30 days at most), sent within the window.
    return (
      await this.store.requests.sameClientAndService(
        draft.environment,
        draft.clientCf,
        draft.serviceHash,
        since - 30 * DAY,
        draft.id,
      )
    ).filter((r) => (r.submittedAt ?? r.createdAt) >= since);
  }

  private async acknowledged(draftId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const event of await this.store.trail.ofKind(draftId, 'duplicate_acknowledged')) {
      const requests = event.data?.requests;
      if (Array.isArray(requests)) for (const id of requests) if (typeof id === 'string') ids.add(id);
    }
    return ids;
  }

  private async draft(draftId: string): Promise<RequestRow> {
    const row = await this.store.requests.get(draftId);
    if (!row || row.status !== 'draft') throw new AppError('draft_not_found', `Bozza ${draftId} non trovata`);
    return row;
  }
}
