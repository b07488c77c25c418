import { createHash } from 'node:crypto';
import type { ServiceDetail } from '../../common/catalog.ts';
import type { Environment } from '../../common/environments.ts';
import { checkForm } from '../../common/form.ts';
import { samePrice } from '../../common/money.ts';
import type { Quote, SubmissionCandidate, SubmissionChoice } from '../../common/requests.ts';
import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import type { Engine, RemoteRequest, Submission } from '../engine/engine.ts';
import { AlreadyClosedError, NotFoundError, TooLargeError, ValidationFailedError } from '../engine/errors.ts';
import { AppError, toErrorData } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { LedgerPort } from '../store/port.ts';
import type { Lifecycle } from './lifecycle.ts';
import { claimedElsewhere, leasedElsewhere } from './rules.ts';
import { decide, listCandidates, SKEW_MS, type Decision } from './reconcile.ts';
import { closedForSure, fateOf, mayBeOpen, stateNameOf, statusOfRemote, totalOf } from './remote-status.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { Register } from '../store/port.ts';

/*
 * Exactly-once submission (VISENGINE.md, "Submitting exactly once" and "What the spec leaves open").
 * Every request is paid, creating one is not idempotent, and nothing says when the charge is
 * taken: at the close, or already when the request is created open. So, in the Engine port's
 * terms (Visengine's calls in brackets):
 *   1. the clerk confirms a price just checked (`priceCheck`: `test:true`) for exactly this data;
 *   2. the request is recorded locally ('sending') before anything is sent;
 *   3. `open` (POST with state 0) creates an OPEN request; its id goes at once into the row ('open')
 *      and into the ledger of remote requests — from then on this row owns exactly that request;
 *   4. `close` (PUT state 1) submits it; repeating it is safe: "already closed" (400/239) — which is
 *      also what a request cancelled while open may answer, so it is confirmed with a `get` (closed,
 *      not cancelled) before a charge is recorded;
 *   5. if the `open`'s outcome is unknown (`AppError.ambiguous`), it is never sent again blind: the
 *      account's list decides, by the rule in reconcile.ts (none → send again once the server has
 *      settled; one → ours; several → the clerk chooses, and the choice goes in the trail).
 * A crash at any point leaves a row in 'sending' or 'open' that `resume` completes at start. The
 * charged price is the answer's base and search prices plus the chosen options priced from the
 * catalog — never the options the answer names, which may be every option or none. *
 * Several counters on one register (the office's PostgreSQL): every operation on a request holds
 * its sending lease (`exclusive`: requests.claim, a compare-and-set on claim_owner/claim_until,
 * owner = this installation's id), renewed while it runs and checked again right before a POST.
 * A counter that dies mid-way leaves a lease that runs out; another counter then resumes the
 * request (`resumeExpired`) by the same rules. The scans stay on the disk of the counter that
 * created the request: what needs them again (a POST, a price check, a close that sends the data
 * again) is left to that counter (`filesElsewhere`); reading the outcome, adopting what an
 * uncertain POST created and closing without data need only the register.
 */

/** PUT attempts when its outcome is unknown; each is checked with a GET first. */
const CLOSE_ATTEMPTS = 3;
/** POSTs per submission when the first one's outcome was unknown and the list showed nothing. */
const POST_ATTEMPTS = 2;
/** After an uncertain POST, how long the server may still be finishing it: nothing is concluded before. */
export const DEFAULT_SETTLE_MS = 20_000;
/** How long a counter's sending lease on a request lasts unless renewed (app clock). */
export const DEFAULT_LEASE_MS = 60_000;

interface Prepared {
  service: ServiceDetail;
  values: Record<string, string>;
  /** What is sent: the values and the files, by field key. */
  payload: Record<string, string>;
  options: string[];
  fingerprint: string;
  /** Whether the scans are on this PC (false: another counter's request, `payload` without files). */
  files: boolean;
}

export interface SubmitterDeps {
  store: Register;
  /** Every change of a request's status, and every note on it, goes through here. */
  lifecycle: Lifecycle;
  ledger: LedgerPort;
  catalog: CatalogService;
  attachments: AttachmentStore;
  engine: (environment: Environment) => Promise<Engine>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  operator: () => string;
  /** A request was accepted: the tracker takes over. */
  accepted: (id: string) => Promise<void>;
  /** An open request of ours was abandoned: close it out (in the background). */
  abandoned: () => void;
  /** How long to let an uncertain POST settle before reading the list as "nothing created". */
  settleMs?: number;
  /** This installation's id (core.counterId): the owner of the sending leases it takes. */
  owner: string;
  /** This counter's name, to tell another counter's requests from its own in messages. */
  counter?: () => string;
  /** The sending lease's length (app clock; default DEFAULT_LEASE_MS) and how often it is renewed (real time). */
  leaseMs?: number | undefined;
  renewMs?: number | undefined;
  /**
   * What the office's settings give a request as it leaves the draft: the prefix of its number,
   * and the price asked of the client for its service (Impostazioni).
   */
  office?: { numberPrefix(): string; clientPrice(serviceHash: string): number } | undefined;
}

export class Submitter {
  private readonly d: SubmitterDeps;
  private readonly busy = new Set<string>();
  private sweeping = false;

  constructor(deps: SubmitterDeps) {
    this.d = deps;
  }

  /** Validates the draft here and on the API (`test:true`) and prices it; nothing is created or paid. */
  async quote(draftId: string): Promise<Quote> {
    return this.exclusive(draftId, async () => {
      const row = await this.row(draftId, ['draft']);
      const prepared = await this.prepare(row);
      const quote = await this.price(row, prepared);
      await this.d.lifecycle.note(row.id, ['draft'], {
        patch: { quote, quoteFingerprint: prepared.fingerprint, lastError: null },
        event: { kind: 'validated', data: { total: quote.total } },
        push: false,
      });
      return quote;
    });
  }

  /**
   * Sends the draft, charging `confirmedTotal` (the price the clerk saw) and nothing else. Throws
   * `price_changed` when the data or the price moved since the confirmation.
   */
  async submit(draftId: string, confirmedTotal: number): Promise<RequestRow> {
    return this.exclusive(draftId, async () => {
      const row = await this.row(draftId, ['draft', 'sending', 'open']);
      if (row.status !== 'draft') return this.resumeRow(row);
      const prepared = await this.prepare(row);
      if (!row.quote || row.quoteFingerprint !== prepared.fingerprint) {
        throw new AppError(
          'price_changed',
          'I dati sono cambiati dopo il controllo del prezzo: confermate di nuovo',
          { details: { reason: 'data_changed' } },
        );
      }
      if (!samePrice(row.quote.total, confirmedTotal)) {
        throw new AppError('price_changed', 'Il prezzo confermato non è quello proposto', {
          details: { price: row.quote.total, confirmed: confirmedTotal },
        });
      }
      const fresh = await this.price(row, prepared);
      if (!samePrice(fresh.total, confirmedTotal)) {
        await this.d.lifecycle.note(row.id, ['draft'], { patch: { quote: fresh }, push: false });
        throw priceChanged(fresh.total, confirmedTotal);
      }
      // The lock that keeps two clicks, two windows or a restart from sending it twice. The
      // pratica's number is given with it: the receipt may be printed as soon as it is sent.
      const office = this.d.office;
      const sending = await this.d.lifecycle.move(row.id, ['draft'], 'sending', {
        patch: {
          submitIntent: true,
          confirmedPrice: confirmedTotal,
          fields: prepared.values,
          options: prepared.options,
          candidates: null,
          lastError: null,
          ...(office && row.clientPrice === null ? { clientPrice: office.clientPrice(row.serviceHash) } : {}),
          // A draft begun before its clerk gave a name (asked at the first send) records who sends it.
          ...(!row.operator.trim() && this.d.operator().trim() ? { operator: this.d.operator().trim() } : {}),
        },
        event: { kind: 'validated', data: { total: confirmedTotal, confirmed: true } },
        also: async () => {
          const year = new Date(this.d.now()).getFullYear();
          await this.d.store.requests.assignNumber(row.id, office?.numberPrefix() ?? '', year);
        },
      });
      if (!sending) throw new AppError('not_allowed', 'La pratica è già in invio');
      return this.send(sending, prepared);
    });
  }

  /** Completes a request left 'sending' or 'open' (after a failure, or a crash): the "Riprova" button. */
  async resume(id: string): Promise<RequestRow> {
    return this.exclusive(id, async () => this.resumeRow(await this.row(id, ['sending', 'open'])));
  }

  /** At start: every request a crash or an outage left mid-way, with the clerk's intent to send. */
  async resumeAll(): Promise<void> {
    for (const row of await this.d.store.requests.unfinishedSubmissions()) {
      // Waiting for the clerk's choice among candidates: nothing to do without them.
      if (row.candidates) continue;
      // Another counter of the office is sending it now (this counter's own lease, left by a
      // crash, is taken back at once).
      if (this.leasedElsewhere(row)) continue;
      try {
        await this.resume(row.id);
      } catch (error) {
        this.d.log.warn('resume failed', { id: row.id, code: codeOf(error) });
      }
    }
  }

  /**
   * The office's safety net (PostgreSQL: app.ts runs it periodically): requests whose sending lease
   * ran out — the counter sending them died mid-way — are completed here, by the same rules as a
   * resume at start. What needs the scans again (a new POST) stays for the counter that has them.
   */
  async resumeExpired(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const row of await this.d.store.requests.unfinishedSubmissions()) {
        if (row.candidates || this.busy.has(row.id)) continue;
        if (row.claimOwner === null || row.claimUntil === null || row.claimUntil >= this.d.now()) continue;
        this.d.log.info('resuming a request whose sending lease expired', { id: row.id });
        try {
          await this.resume(row.id);
        } catch (error) {
          this.d.log.warn('resume of an expired lease failed', { id: row.id, code: codeOf(error) });
        }
      }
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * The clerk's answer when an uncertain POST could not be decided: adopt one candidate (it is this
   * request; the others are left alone), or send again knowing a candidate may be ours.
   */
  async resolve(id: string, choice: SubmissionChoice): Promise<RequestRow> {
    return this.exclusive(id, async () => {
      const row = await this.row(id, ['sending']);
      const candidates = row.candidates ?? [];
      if (!candidates.length) throw new AppError('not_allowed', 'Questa pratica non attende una scelta');
      const prepared = await this.prepare(row);
      const engine = await this.d.engine(row.environment);
      if ('adopt' in choice) {
        const chosen = candidates.find((c) => c.remoteId === choice.adopt);
        if (!chosen) throw new AppError('invalid_argument', 'La richiesta scelta non è tra quelle proposte');
        const remote = await engine.get(chosen.remoteId);
        const decided = await this.d.lifecycle.note(row.id, ['sending'], {
          event: {
            kind: 'decided',
            data: {
              choice: 'adopt',
              remoteId: chosen.remoteId,
              candidates: candidates.map((c) => c.remoteId),
            },
          },
          also: () => this.disown(row, candidates, chosen.remoteId),
        });
        if (!decided) throw new AppError('not_allowed', 'La pratica non attende più una scelta');
        return this.own(decided, prepared, remote, 'adopted', true);
      }
      const decided = await this.d.lifecycle.note(row.id, ['sending'], {
        patch: { candidates: null, attemptStartedAt: null, attemptEndedAt: null },
        event: {
          kind: 'decided',
          data: { choice: 'send_again', candidates: candidates.map((c) => c.remoteId) },
        },
        also: () => this.disown(row, candidates, null),
      });
      if (!decided) throw new AppError('not_allowed', 'La pratica non attende più una scelta');
      return this.create(engine, decided, prepared, false);
    });
  }

  // -------------------------------------------------------------------------------------------

  private async resumeRow(row: RequestRow): Promise<RequestRow> {
    const prepared = await this.prepare(row);
    if (row.status === 'open') {
      const open = await this.d.lifecycle.note(row.id, ['open'], {
        patch: { submitIntent: true },
        push: false,
      });
      return this.send(open ?? (await this.row(row.id, ['open'])), prepared);
    }
    if (!row.attemptStartedAt) {
      // Nothing was sent yet, and sending needs the scans: only their counter can.
      if (!prepared.files) return this.filesElsewhere(row);
      // Nothing was sent yet: the price may have moved since the confirmation.
      const fresh = await this.price(row, prepared);
      if (row.confirmedPrice === null || !samePrice(fresh.total, row.confirmedPrice)) {
        return this.backToDraft(row, priceChanged(fresh.total, row.confirmedPrice), { quote: fresh });
      }
    }
    const sending = await this.d.lifecycle.note(row.id, ['sending'], {
      patch: { submitIntent: true, candidates: null },
      push: false,
    });
    return this.send(sending ?? (await this.row(row.id, ['sending'])), prepared);
  }

  /** Reuses the open remote request this row owns, or creates (or recovers) one; then closes it. */
  private async send(row: RequestRow, prepared: Prepared): Promise<RequestRow> {
    const engine = await this.d.engine(row.environment);
    if (!row.remoteId) return this.create(engine, row, prepared, true);
    let remote: RemoteRequest;
    try {
      remote = await engine.get(row.remoteId);
    } catch (error) {
      if (error instanceof NotFoundError) return this.remoteGone(row, error);
      return this.failed(row, error, 'send');
    }
    // Closed means paid: this row owns it, and sending another one would charge twice.
    if (closedForSure(remote)) return this.accept(row, remote);
    if (fateOf(remote) === 'cancelled') return this.remoteCancelled(row);
    // Open, or only a phase to tell ("In erogazione" may be an open request's): this row opened
    // it, so it closes it; closing is safe either way (a closed one answers 239).
    return this.own(row, prepared, remote, null, true);
  }

  /**
   * POST state 0, after settling any earlier uncertain attempt from the list. Once the outcome of a
   * POST is unknown, the list decides (reconcile.ts); another POST follows only when it shows none.
   */
  private async create(
    engine: Engine,
    row: RequestRow,
    prepared: Prepared,
    reconcileFirst: boolean,
  ): Promise<RequestRow> {
    let current = row;
    if (reconcileFirst && current.attemptStartedAt !== null) {
      // A crash or a failure left an attempt whose outcome is unknown: settle it first.
      const decided = await this.settle(engine, current, prepared);
      if (decided) return decided;
      current = await this.row(row.id, ['sending']);
    }
    for (let attempt = 1; attempt <= POST_ATTEMPTS; attempt++) {
      // A POST needs the scans: without them (another counter's request) it stays for that counter.
      if (!prepared.files) return this.filesElsewhere(current);
      // And the lease, held still: a counter that lost it (stalled past its end) must not POST.
      await this.stillHeld(current.id);
      // Recorded before the POST goes: a crash from here on leaves an attempt to settle at start.
      await this.d.lifecycle.note(current.id, ['sending'], {
        patch: { attemptStartedAt: current.attemptStartedAt ?? this.d.now(), attemptEndedAt: null },
        push: false,
      });
      let remote: RemoteRequest;
      try {
        remote = await engine.open(submissionOf(current, prepared));
      } catch (error) {
        if (!isAmbiguous(error)) {
          // Refused for sure (data, credit, key, size): nothing was created.
          return this.backToDraft(await this.row(current.id, ['sending']), error, {
            attemptStartedAt: null,
            attemptEndedAt: null,
          });
        }
        await this.d.lifecycle.note(current.id, ['sending'], {
          patch: { attemptEndedAt: this.d.now() },
          push: false,
        });
        this.d.log.warn('POST outcome unknown: reconciling', {
          id: current.id,
          attempt,
          code: codeOf(error),
        });
        const decided = await this.settle(engine, await this.row(current.id, ['sending']), prepared, error);
        if (decided) return decided;
        if (attempt >= POST_ATTEMPTS)
          return this.failed(await this.row(current.id, ['sending']), error, 'send');
        current = await this.row(current.id, ['sending']);
        continue;
      }
      return this.own(await this.row(current.id, ['sending']), prepared, remote, 'created', false);
    }
    throw new AppError('internal', 'unreachable');
  }

  /**
   * Settles the row's uncertain attempt from the list: adopts or asks (returns the row, or throws
   * `needs_decision`), or returns null when nothing was created — only after the server had time
   * to finish what it may have received, so a late creation is never missed.
   */
  private async settle(
    engine: Engine,
    row: RequestRow,
    prepared: Prepared,
    cause?: unknown,
  ): Promise<RequestRow | null> {
    // Never later than now: an attempt stamped on a clock since set back would wait for days.
    const endedAt = Math.min(row.attemptEndedAt ?? row.updatedAt, this.d.now());
    const wait = endedAt + (this.d.settleMs ?? DEFAULT_SETTLE_MS) - this.d.now();
    if (wait > 0) await this.d.sleep(wait);
    let decision: Decision;
    try {
      decision = await this.reconcile(engine, row, prepared);
    } catch (checkError) {
      // The outcome stays unknown while the list cannot be read: never POST again blind.
      this.d.log.warn('cannot reconcile the uncertain POST now', { id: row.id, code: codeOf(checkError) });
      return this.failed(row, cause ?? checkError, 'send');
    }
    if (decision.kind === 'none') {
      await this.d.lifecycle.note(row.id, ['sending'], {
        patch: { attemptStartedAt: null, attemptEndedAt: null },
        push: false,
      });
      return null;
    }
    if (decision.kind === 'adopt') {
      this.d.log.info('recovered the request of an uncertain POST', {
        id: row.id,
        remoteId: decision.remote.id,
      });
      return this.own(row, prepared, decision.remote, 'adopted', false);
    }
    return this.needsDecision(row, decision.candidates);
  }

  private async reconcile(engine: Engine, row: RequestRow, prepared: Prepared): Promise<Decision> {
    const now = this.d.now();
    const list = await engine.list();
    // The offset learnt from our own requests' creation times; else what the engine's answers tell.
    const learnt = await this.d.ledger.clockOffset(row.environment);
    const told = engine.clockOffset();
    // The attempt cannot be placed on today's clock when this PC's clock moved since (reconcile.ts):
    // stamped later than now (set back), or the offset the earlier requests taught is no longer
    // the one the service's answers tell. Whatever it may have created is then looked for at any time.
    const setBack = Math.max(row.attemptStartedAt ?? 0, row.attemptEndedAt ?? 0) > now;
    const moved = learnt !== null && told !== null && Math.abs(learnt - told) > SKEW_MS;
    const placed = !setBack && !moved;
    const attempt = {
      hash: row.serviceHash,
      startedAt: placed ? (row.attemptStartedAt ?? now) : null,
      endedAt: placed ? (row.attemptEndedAt ?? now) : now,
      listedAt: now,
      values: prepared.values,
      // Unplaced, the list's own moment is what is placed: on the clock the answers tell now.
      offset: placed ? (learnt ?? told) : (told ?? learnt),
    };
    const known = await this.d.ledger.known(
      row.environment,
      list.map((r) => r.id),
    );
    const listed = listCandidates(list, attempt, (remoteId) => known.has(remoteId));
    const full: RemoteRequest[] = [];
    for (const candidate of listed) {
      try {
        full.push(await engine.get(candidate.id));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    // Read in full, a candidate may have moved on (closed or cancelled) since the list.
    return decide(full.filter(mayBeOpen), attempt);
  }

  /**
   * This row now owns `remote` (created by its POST, recovered, adopted, or its own from before):
   * recorded before anything else, then closed — unless its price is not the one confirmed.
   */
  private async own(
    row: RequestRow,
    prepared: Prepared,
    remote: RemoteRequest,
    origin: 'created' | 'adopted' | null,
    update: boolean,
  ): Promise<RequestRow> {
    const total = totalOf(remote, prepared.service, prepared.options);
    await this.d.lifecycle.mustMove(row.id, ['sending', 'open'], 'open', {
      patch: {
        remoteId: remote.id,
        remoteState: stateNameOf(remote),
        candidates: null,
        attemptStartedAt: null,
        attemptEndedAt: null,
        lastError: null,
      },
      ...(remote.id !== row.remoteId
        ? {
            event: {
              kind: 'submitted' as const,
              data: {
                remoteId: remote.id,
                ...(origin === 'adopted' ? { adopted: true } : {}),
                ...(row.sendToClient && row.clientEmail ? { emailTarget: true } : {}),
              },
            },
          }
        : {}),
      // Recorded with the row, in the same transaction: from now on this row owns that request.
      also: async () => {
        if (!origin) return;
        await this.d.ledger.note({
          environment: row.environment,
          remoteId: remote.id,
          requestId: row.id,
          origin,
          fate: 'open',
          options: prepared.options,
          price: total,
          createdAt: remote.createdAt,
        });
      },
    });
    const owned = await this.row(row.id, ['open']);
    if (owned.confirmedPrice !== null && total !== null && !samePrice(total, owned.confirmedPrice)) {
      // The open request stays ours (recorded above): confirmed again, it is the one that gets closed.
      return this.backToDraft(owned, priceChanged(total, owned.confirmedPrice));
    }
    // Closing with the data sent again needs the scans: the open request waits for their counter.
    if (update && !prepared.files) return this.filesElsewhere(owned);
    return this.close(owned.id, update ? prepared.payload : null);
  }

  /** PUT state 1 until it is known to have happened; "already closed" is confirmed with a GET. */
  private async close(id: string, update: Record<string, string> | null): Promise<RequestRow> {
    const row = await this.row(id, ['open']);
    const engine = await this.d.engine(row.environment);
    const remoteId = row.remoteId!;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= CLOSE_ATTEMPTS; attempt++) {
      let answer: RemoteRequest;
      try {
        answer = await engine.close(remoteId, update);
      } catch (error) {
        lastError = error;
        // What happened is read from the request itself: a 239 may mean cancelled, a refusal may
        // come from something in between after the service closed (and charged) the request.
        let remote: RemoteRequest;
        try {
          remote = await engine.get(remoteId);
        } catch (checkError) {
          if (checkError instanceof NotFoundError) return this.remoteGone(row, checkError);
          // Cannot tell now; repeating the PUT is safe (a closed request answers 239). The outcome
          // stays unknown: the PUT's error (ambiguous or not, it may have closed) is what is kept.
          lastError = uncertain(error);
          this.d.log.warn('PUT outcome unknown and unreadable', { id, attempt, code: codeOf(checkError) });
          continue;
        }
        if (closedForSure(remote)) return this.accept(row, remote);
        if (fateOf(remote) === 'cancelled') return this.remoteCancelled(row);
        if (error instanceof AlreadyClosedError) {
          // "Already closed", not cancelled, and no `state` to tell: the service's own word stands.
          if (remote.transaction === null) return this.accept(row, remote);
          // Open by its own account, yet "already closed": nothing safe to conclude.
          return this.failed(row, error, 'close');
        }
        // 404 on the PUT, yet the request is there and not closed: nothing safe to conclude.
        if (error instanceof NotFoundError) return this.failed(row, error, 'close');
        if (!isAmbiguous(error)) return this.closingFailed(row, error);
        this.d.log.warn('PUT outcome unknown: still open', { id, attempt, code: codeOf(error) });
        continue;
      }
      // A successful close answers with the request: closed, by its own word.
      return this.accept(row, answer);
    }
    return this.failed(row, lastError, 'close');
  }

  /** The request is closed and paid: record it, forget the scans, hand it to the tracker. */
  private async accept(row: RequestRow, remote: RemoteRequest): Promise<RequestRow> {
    const service = (await this.d.catalog.cachedDetail(row.environment, row.serviceHash))?.detail ?? null;
    const now = this.d.now();
    const status = statusOfRemote(remote);
    const charged = (service ? totalOf(remote, service, row.options) : null) ?? row.confirmedPrice;
    const accepted = await this.d.lifecycle.mustMove(row.id, ['sending', 'open'], status, {
      patch: {
        submitIntent: false,
        chargedPrice: charged,
        remoteState: stateNameOf(remote),
        remoteEsito: remote.outcome,
        allegati: remote.outputs,
        search: remote.search,
        candidates: null,
        submittedAt: now,
        completedAt: status === 'pending' ? null : now,
        nextPollAt: now,
        pollCount: 0,
        lastError: null,
      },
      event: { kind: 'accepted', data: { remoteId: remote.id, stato: stateNameOf(remote) } },
      also: () =>
        this.d.ledger.setFate(
          row.environment,
          remote.id,
          'closed',
          charged === null ? {} : { price: charged },
        ),
    });
    await this.d.attachments.deleteScans(row.id);
    await this.d.store.trail.add(row.id, 'scans_deleted', this.d.operator());
    await this.d.accepted(row.id);
    return accepted;
  }

  /** The clerk must choose: the row waits in 'sending', shown under "Da controllare". */
  private async needsDecision(row: RequestRow, candidates: SubmissionCandidate[]): Promise<never> {
    const error = new AppError(
      'needs_decision',
      `Invio incerto: ${candidates.length} richieste possibili sul servizio, la scelta spetta all'operatore`,
      { details: { candidates: candidates.length } },
    );
    await this.d.lifecycle.note(row.id, ['sending'], {
      patch: { candidates, submitIntent: false, lastError: toErrorData(error) },
      event: {
        kind: 'error',
        data: { phase: 'send', code: error.code, candidates: candidates.map((c) => c.remoteId) },
      },
    });
    throw error;
  }

  /**
   * Candidates the clerk did not adopt. One that carries this request's data was created by one of
   * its POSTs: abandoned, to be closed out. One without an echo may be anybody's: recorded as
   * disowned, so no later reconciliation takes it for ours, and left alone.
   */
  private async disown(
    row: RequestRow,
    candidates: SubmissionCandidate[],
    adopted: string | null,
  ): Promise<void> {
    let abandoned = false;
    for (const c of candidates) {
      if (c.remoteId === adopted) continue;
      const ours = c.echo === 'match';
      abandoned ||= ours;
      await this.d.ledger.note({
        environment: row.environment,
        remoteId: c.remoteId,
        requestId: row.id,
        origin: ours ? 'duplicate' : 'disowned',
        fate: ours ? 'abandoned' : 'open',
        options: row.options,
        createdAt: c.createdAt,
      });
    }
    if (abandoned) this.d.abandoned();
  }

  /** The open request was cancelled on the service: back to the draft, to confirm and send anew. */
  private async remoteCancelled(row: RequestRow): Promise<never> {
    const remoteId = row.remoteId!;
    return this.backToDraft(
      row,
      new AppError('remote_cancelled', `La richiesta ${remoteId} risulta annullata sul servizio`),
      { remoteId: null, quote: null },
      () => this.d.ledger.setFate(row.environment, remoteId, 'cancelled'),
    );
  }

  /** The service no longer knows the request (404 on it): back to the draft without it. */
  private async remoteGone(row: RequestRow, error: unknown): Promise<never> {
    const remoteId = row.remoteId;
    return this.backToDraft(row, error, { remoteId: null, quote: null }, async () => {
      if (remoteId) await this.d.ledger.setFate(row.environment, remoteId, 'cancelled');
    });
  }

  /**
   * A failure that leaves the outcome unknown (or the request waiting): the row stays where it is,
   * with the error; nothing is sent again until a check can look at the API.
   */
  private async failed(row: RequestRow, error: unknown, phase: 'send' | 'close'): Promise<never> {
    const ambiguous = isAmbiguous(error);
    await this.d.lifecycle.note(row.id, ['sending', 'open'], {
      patch: { lastError: toErrorData(error) },
      event: {
        kind: 'error',
        data: { phase, code: codeOf(error), ...(ambiguous ? { ambiguous: true } : {}) },
      },
    });
    throw ambiguous ? uncertain(error) : error;
  }

  private async closingFailed(row: RequestRow, error: unknown): Promise<never> {
    if (error instanceof ValidationFailedError || error instanceof TooLargeError)
      return this.backToDraft(row, error);
    // Credit, key, …: the open request stays, unpaid, until the clerk retries.
    await this.d.lifecycle.note(row.id, ['open'], {
      patch: { submitIntent: false, lastError: toErrorData(error) },
      event: { kind: 'error', data: { phase: 'close', code: codeOf(error) } },
    });
    throw error;
  }

  private async backToDraft(
    row: RequestRow,
    error: unknown,
    patch: Partial<Omit<RequestRow, 'id' | 'createdAt' | 'status'>> = {},
    also?: () => Promise<void>,
  ): Promise<never> {
    await this.d.lifecycle.move(row.id, ['sending', 'open'], 'draft', {
      patch: { ...patch, submitIntent: false, candidates: null, lastError: toErrorData(error) },
      event: { kind: 'error', data: { phase: row.status, code: codeOf(error) } },
      ...(also ? { also } : {}),
    });
    throw error;
  }

  private async prepare(row: RequestRow): Promise<Prepared> {
    const service = await this.d.catalog.detail(row.environment, row.serviceHash, { fresh: true });
    const unknownField = Object.keys(row.fields).find(
      (key) => !service.fields.some((f) => f.key === key && f.tipo !== 'file'),
    );
    const unknownOption = row.options.find((o) => !service.opzioni.some((s) => s.nome === o));
    if (unknownField || unknownOption) {
      throw new AppError(
        'service_changed',
        'Il servizio è stato modificato da Openapi: ricontrollate il modulo',
        { details: { field: unknownField ?? null, option: unknownOption ?? null } },
      );
    }
    const check = checkForm(service, row.fields, await this.d.attachments.presentFields(row.id));
    if (Object.keys(check.issues).length || !check.satisfied) {
      throw new AppError('validation_failed', 'Il modulo non è completo o contiene valori non validi', {
        details: { fields: check.issues, missing: check.missing },
      });
    }
    // Another counter's request: its scans are on that counter's disk. Checking and reconciling
    // need only the fields (in the register); whatever would send the files stops (filesElsewhere).
    const here = await this.d.attachments.filesHere(row.id);
    const files = here ? await this.d.attachments.fileStrings(row.id, service) : {};
    const options = [...row.options].sort();
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify({
          hash: row.serviceHash,
          values: Object.entries(check.values).sort(),
          options,
          parts: await this.d.attachments.fingerprintParts(row.id),
        }),
      )
      .digest('hex');
    return {
      service,
      values: check.values,
      payload: { ...check.values, ...files },
      options,
      fingerprint,
      files: here,
    };
  }

  /**
   * The price of exactly this data: the base and search prices the `test:true` answer gives (the
   * fresh catalog detail's where the answer has none: its shape is not documented), plus the chosen
   * options priced from the detail. A price check that created a request anyway (a service ignoring
   * `test`) leaves it in the ledger as abandoned, to be closed out.
   */
  private async price(row: RequestRow, prepared: Prepared): Promise<Quote> {
    if (!prepared.files) throw filesElsewhereError(row);
    const engine = await this.d.engine(row.environment);
    const answer = await engine.priceCheck({
      service: row.serviceHash,
      values: prepared.payload,
      options: prepared.options,
    });
    const { service } = prepared;
    if (answer.createdId) {
      this.d.log.warn('a price check created a request: closing it out', {
        id: row.id,
        remoteId: answer.createdId,
      });
      await this.d.ledger.note({
        environment: row.environment,
        remoteId: answer.createdId,
        requestId: row.id,
        origin: 'price_check',
        fate: 'abandoned',
        options: prepared.options,
      });
      this.d.abandoned();
    }
    const base = answer.base ?? service.prezzo;
    const ricerca = service.ricerca ? (answer.search ?? service.prezzoRicerca) : 0;
    const options = service.opzioni.filter((o) => prepared.options.includes(o.nome));
    const total = Math.round((base + ricerca + options.reduce((n, o) => n + o.prezzo, 0)) * 100) / 100;
    return { base, ricerca, options, total, checkedAt: this.d.now() };
  }

  private async row(id: string, statuses: readonly RequestRow['status'][]): Promise<RequestRow> {
    const row = await this.d.store.requests.get(id);
    if (!row) throw new AppError('request_not_found', `Pratica ${id} non trovata`);
    if (!statuses.includes(row.status)) {
      throw new AppError(
        'not_allowed',
        `Operazione non consentita: la pratica è nello stato «${row.status}»`,
      );
    }
    return row;
  }

  /**
   * One operation at a time on a request: in this process (`busy`), and in the office (the sending
   * lease in the register, owned by this installation's id, renewed while `fn` runs and given back
   * after it). A counter that dies holding it leaves a lease that runs out (resumeExpired); the
   * same installation takes its own back at once after a restart.
   */
  private async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy.has(id)) throw new AppError('not_allowed', 'Operazione già in corso su questa pratica');
    this.busy.add(id);
    try {
      if (!(await this.claim(id))) throw await this.claimedElsewhere(id);
      // Renewals one after the other (a slow database must not stack them up), awaited before the release.
      let renewing: Promise<unknown> = Promise.resolve();
      const timer = setInterval(() => {
        renewing = renewing
          .then(() => this.claim(id))
          .then(
            (held) => {
              if (!held) this.d.log.warn('the sending lease was lost', { id });
            },
            (error: unknown) =>
              this.d.log.warn('the sending lease was not renewed', { id, error: String(error) }),
          );
      }, this.renewMs());
      timer.unref();
      try {
        return await fn();
      } finally {
        clearInterval(timer);
        // A renewal under way would take the lease again after its release.
        await renewing;
        await this.d.store.requests
          .release(id, this.d.owner)
          .catch((error: unknown) =>
            this.d.log.warn('the sending lease was not released', { id, error: String(error) }),
          );
      }
    } finally {
      this.busy.delete(id);
    }
  }

  private leaseMs(): number {
    return this.d.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private renewMs(): number {
    return this.d.renewMs ?? Math.max(10, Math.floor(this.leaseMs() / 3));
  }

  /** Takes or renews this counter's lease on the request. */
  private claim(id: string): Promise<boolean> {
    const now = this.d.now();
    return this.d.store.requests.claim(id, this.d.owner, now + this.leaseMs(), now);
  }

  /** A live lease of another counter on the row. */
  private leasedElsewhere(row: RequestRow): boolean {
    return leasedElsewhere(row, this.d.owner, this.d.now());
  }

  /** Right before a POST: the lease is still this counter's (renewed), or nothing is sent. */
  private async stillHeld(id: string): Promise<void> {
    if (!(await this.claim(id))) throw await this.claimedElsewhere(id);
  }

  /** The refusal when another counter holds the lease (or the request is not there at all). */
  private async claimedElsewhere(id: string): Promise<AppError> {
    const row = await this.d.store.requests.get(id);
    if (!row) return new AppError('request_not_found', `Pratica ${id} non trovata`);
    return claimedElsewhere(row, this.d.counter?.() ?? null);
  }

  /**
   * What only the counter holding the scans can do (POST, or a close that sends the data again):
   * noted on the row, which keeps its status and the intent to send, for that counter to finish.
   * Nothing was sent, nothing is lost.
   */
  private async filesElsewhere(row: RequestRow): Promise<never> {
    const error = filesElsewhereError(row);
    this.d.log.info('left for the counter holding the scans', { id: row.id, counter: row.counter });
    await this.d.lifecycle.note(row.id, ['sending', 'open'], {
      patch: { lastError: toErrorData(error) },
      event: { kind: 'error', data: { phase: row.status, code: error.code } },
    });
    throw error;
  }
}

function submissionOf(row: RequestRow, prepared: Prepared): Submission {
  return {
    service: row.serviceHash,
    values: prepared.payload,
    options: prepared.options,
    // "Invia i documenti anche al cliente": the outputs also go to the form's email.
    ...(row.sendToClient && row.clientEmail ? { emailTarget: row.clientEmail } : {}),
  };
}

function filesElsewhereError(row: RequestRow): AppError {
  const where = row.counter ? `sullo sportello «${row.counter}»` : "sullo sportello che l'ha creata";
  return new AppError(
    'files_elsewhere',
    `Le scansioni di questa pratica sono ${where}: sarà quello sportello a completarne l'invio (nulla è stato inviato di nuovo)`,
    { details: { counter: row.counter || null } },
  );
}

function priceChanged(total: number, confirmed: number | null): AppError {
  return new AppError('price_changed', `Il prezzo è cambiato: ora è ${total.toFixed(2)} €`, {
    details: { price: total, confirmed },
  });
}

/** Unknown outcome: the server may have acted. Errors that are not ours count as unknown too. */
function isAmbiguous(error: unknown): boolean {
  return !(error instanceof AppError) || error.ambiguous;
}

function codeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'internal';
}

function uncertain(error: unknown): AppError {
  const code = error instanceof AppError ? error.code : 'network';
  return new AppError(
    code,
    "Esito dell'invio non ancora certo: la pratica è registrata e verrà verificata con il servizio prima di ogni nuovo tentativo",
    { ambiguous: true, cause: error },
  );
}
