import type { EventKind, RequestStatus } from '../../common/requests.ts';
import type { Environment } from '../../common/environments.ts';
import type { Engine } from '../engine/engine.ts';
import { AppError } from '../errors.ts';
import type { RequestRow } from '../store/request-row.ts';
import { allowed, canCancel, claimedElsewhere, leasedElsewhere } from './rules.ts';
import type { Register } from '../store/port.ts';

/*
 * A request's life on this PC, in one place (its rules and the table of transitions: rules.ts). Every change of a request's status goes through
 * `move`: a compare-and-set on the status it must be in, the event of the trail, in one
 * transaction, then the push to the renderer — so a cancel and a close arriving together cannot
 * overwrite each other, and no status is written anywhere else. The rules the screens show
 * (needs attention, can cancel, can retry) are written here once too.
 *
 *   draft ──submit──▶ sending ──POST answered / recovered──▶ open ──PUT state:1──▶ pending ──▶ done
 *     ▲                 │  │                                   │  │                   │        │
 *     └─refused, price──┘  └──already closed on the service────┼──┴──▶ cancelled ◀────┴────────┘
 *        changed, cancelled on the service ◀───────────────────┘
 *   draft (sent back, discarded or stale) ──▶ cancelled
 */

/** What the renderer must hear about: a status change, and the row it left. */
export interface Transition {
  id: string;
  from: RequestStatus;
  to: RequestStatus;
}

type Patch = Partial<Omit<RequestRow, 'id' | 'createdAt' | 'status'>>;

export interface Change {
  /** What else is written in the same transaction (the ledger of remote requests, a purge). */
  patch?: Patch;
  /** The trail's event for it. */
  event?: { kind: EventKind; data?: Record<string, unknown> };
  /** Other writes that must commit or fail with it (through the same register: they join it). */
  also?: () => Promise<void>;
  /** False for bookkeeping the clerk does not see (the next poll's time): no push. */
  push?: boolean;
}

export interface LifecycleDeps {
  store: Register;
  engine: (environment: Environment) => Promise<Engine>;
  /** Reads a request from the service and stores what it says (the tracker's "Aggiorna ora"). */
  refresh: (id: string) => Promise<RequestRow>;
  now: () => number;
  operator: () => string;
  /** This counter's id (Core.counterId), and its name: a request another counter is sending is its to finish. */
  owner: string;
  counter?: () => string;
  /** A request changed: tell the renderer (after the transaction committed). */
  changed: (id: string) => void;
  /** Every transition, as it commits (tests watch the lifecycle through it). */
  onTransition?: (transition: Transition) => void;
}

export class Lifecycle {
  private readonly d: LifecycleDeps;

  constructor(deps: LifecycleDeps) {
    this.d = deps;
  }

  /**
   * Moves the request from one of `from` to `to`, with the change's patch, event and other writes,
   * in one transaction. Null when it is not in one of `from` (someone else moved it first): then
   * nothing is written. A transition the table does not allow is a defect, refused loudly.
   */
  async move(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    change: Change = {},
  ): Promise<RequestRow | null> {
    for (const f of from) {
      if (f !== to && !allowed(f, to))
        throw new AppError('internal', `Transizione non ammessa: ${f} → ${to} (pratica ${id})`);
    }
    const result = await this.write(id, from, { ...change.patch, status: to }, change);
    if (result && result.before.status !== to) this.d.onTransition?.({ id, from: result.before.status, to });
    return result?.after ?? null;
  }

  /** As `move`, throwing `not_allowed` (with the status it is in) when the request is elsewhere. */
  async mustMove(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    change: Change = {},
  ): Promise<RequestRow> {
    return (await this.move(id, from, to, change)) ?? fail(await this.d.store.requests.get(id));
  }

  /**
   * Records something about a request that stays where it is (an error, the candidates of an
   * uncertain POST, the next poll): compare-and-set on its status all the same. Null when it moved.
   */
  async note(id: string, within: readonly RequestStatus[], change: Change): Promise<RequestRow | null> {
    return (await this.write(id, within, change.patch ?? {}, change))?.after ?? null;
  }

  /**
   * The clerk cancels a request: open (nothing paid at the close, if the service charges there),
   * or being processed. `DELETE /richiesta/{id}` is not in the spec: when the service refuses it,
   * nothing changes here and the clerk is told.
   */
  async cancel(id: string, motivo: string): Promise<RequestRow> {
    const row = await this.d.store.requests.get(id);
    if (!row) throw new AppError('request_not_found', `Pratica ${id} non trovata`);
    if (!canCancel(row) || !row.remoteId)
      throw new AppError('not_allowed', 'Questa pratica non si può annullare');
    // Another counter is closing it (and may be paying for it) right now: that counter decides.
    if (row.status === 'open' && leasedElsewhere(row, this.d.owner, this.d.now()))
      throw claimedElsewhere(row, this.d.counter?.() ?? null);
    const remoteId = row.remoteId;
    await (await this.d.engine(row.environment)).cancel(remoteId, motivo);
    const event = { kind: 'cancel_requested' as const, data: { motivo } };
    if (row.status === 'open') {
      const cancelled = await this.move(id, ['open'], 'cancelled', {
        patch: { submitIntent: false, completedAt: this.d.now(), lastError: null },
        event,
        also: () => this.d.store.ledger.setFate(row.environment, remoteId, 'cancelled'),
      });
      // Closed meanwhile (a "Riprova" that finished first): what the service says decides.
      if (cancelled) return cancelled;
    } else {
      await this.note(id, ['pending'], { event });
    }
    return this.d.refresh(id);
  }

  /** The clerk chooses one of a search's results; the service then processes (and charges) it. */
  async chooseResult(id: string, idRicerca: string, indice: number): Promise<RequestRow> {
    const row = await this.d.store.requests.get(id);
    if (!row || row.status !== 'pending' || !row.remoteId || !row.search) {
      throw new AppError('not_allowed', 'Nessun risultato da scegliere per questa pratica');
    }
    const api = await this.d.engine(row.environment);
    try {
      await api.chooseResult(row.remoteId, idRicerca, indice);
    } catch (error) {
      // A choice whose answer was lost may still have been taken: look before telling the clerk.
      if (!(error instanceof AppError) || !error.ambiguous) throw error;
      const remote = await api.get(row.remoteId);
      if (!remote.resultChosen) throw error;
    }
    await this.note(id, ['pending'], {
      event: { kind: 'search_chosen', data: { idRicerca, indice } },
      push: false,
    });
    return this.d.refresh(id);
  }

  private async write(
    id: string,
    within: readonly RequestStatus[],
    patch: Partial<Omit<RequestRow, 'id' | 'createdAt'>>,
    change: Change,
  ): Promise<{ before: RequestRow; after: RequestRow } | null> {
    const { store } = this.d;
    const result = await store.transaction(async () => {
      const before = await store.requests.get(id);
      if (!before || !within.includes(before.status)) return null;
      if (!(await store.requests.transition(id, [before.status], patch))) return null;
      if (change.event) await store.trail.add(id, change.event.kind, this.d.operator(), change.event.data);
      await change.also?.();
      return { before, after: (await store.requests.get(id))! };
    });
    if (result && change.push !== false) this.d.changed(id);
    return result;
  }
}

function fail(row: RequestRow | null): never {
  if (!row) throw new AppError('request_not_found', 'Pratica non trovata');
  throw new AppError('not_allowed', `Operazione non consentita: la pratica è nello stato «${row.status}»`, {
    details: { status: row.status },
  });
}
