import type { Environment } from '../../common/environments.ts';
import type { Engine, RemotePhase, RemoteRequest, RemoteSummary } from '../engine/engine.ts';
import { AppError, toErrorData } from '../errors.ts';
import type { Clock, Logger, TimerHandle } from '../ports.ts';
import { stateNameOf, statusOfRemote } from './remote-status.ts';
import type { Lifecycle } from './lifecycle.ts';
import { allowed } from './rules.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { Register } from '../store/port.ts';
import { nextPollDelay, retryDelay } from './schedule.ts';

export interface TrackerDeps {
  store: Register;
  engine: (environment: Environment) => Promise<Engine>;
  clock: Clock;
  log: Logger;
  random?: () => number;
  pollMinutes: () => number;
  /** Every change of a request's status, and every note on it, goes through here. */
  lifecycle: Lifecycle;
  /** The request reached "done" or "cancelled" (called once per transition). */
  finished: (row: RequestRow) => void;
  /** A done request's outputs changed ("Visura evasa" added files to "Dati disponibili"): fetch them again. */
  outputsChanged: (row: RequestRow) => void;
  /** From this many due requests of one environment, one list call replaces the single reads. */
  listThreshold?: number;
}

/** Pending requests, and done ones whose outputs may still grow ("Dati disponibili" until "Visura evasa"). */
function stillFollowed(status: RequestRow['status'], phase: RemotePhase): boolean {
  return status === 'pending' || (status === 'done' && phase === 'outputs_partial');
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export interface CycleReport {
  checked: number;
  calls: number;
  changed: number;
}

/**
 * Follows submitted requests until they end. One timer, set for the earliest due request; when
 * many are due, one GET /richiesta reads them all and only those whose state moved are read in
 * full. Every change is stored as an event and pushed to the renderer.
 */
export class Tracker {
  private readonly d: TrackerDeps;
  private timer: TimerHandle | null = null;
  private running: Promise<CycleReport> | null = null;
  private stopped = true;
  /** Each arm counts: an older one that answers late (after a newer) sets no timer. */
  private arming = 0;
  private armed: Promise<void> = Promise.resolve();
  private readonly failures = new Map<string, number>();

  constructor(deps: TrackerDeps) {
    this.d = deps;
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** Stops polling; resolves once the pass under way (if any) has finished writing. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.arming++;
    this.timer?.cancel();
    this.timer = null;
    await this.running?.catch(() => {});
    await this.armed;
  }

  /** Resolves once the last arm has set its timer (tests step the clock after it). */
  settled(): Promise<void> {
    return this.armed;
  }

  /** Something changed (a submission, a wake from sleep): recompute when to look next. */
  poke(): void {
    if (!this.stopped) this.arm();
  }

  /** Checks every pending request now ("Aggiorna tutto", resume from sleep). */
  async pollAll(): Promise<CycleReport> {
    const now = this.d.clock.now();
    for (const row of await this.d.store.requests.tracked())
      await this.d.lifecycle.note(row.id, [row.status], { patch: { nextPollAt: now }, push: false });
    return this.cycle();
  }

  /** "Aggiorna ora" for one request: a full read, whatever its schedule. */
  async refresh(id: string): Promise<RequestRow> {
    const row = await this.d.store.requests.get(id);
    if (!row) throw new AppError('request_not_found', `Pratica ${id} non trovata`);
    if (!row.remoteId || (row.status !== 'pending' && row.status !== 'done' && row.status !== 'cancelled'))
      return row;
    const remote = await (await this.d.engine(row.environment)).get(row.remoteId);
    await this.apply(row, remote);
    return (await this.d.store.requests.get(id))!;
  }

  /** One pass over the due requests. Concurrent calls share the pass under way. */
  cycle(): Promise<CycleReport> {
    if (!this.running) {
      this.running = this.runCycle().finally(() => {
        this.running = null;
        this.poke();
      });
    }
    return this.running;
  }

  private arm(): void {
    const arming = ++this.arming;
    this.armed = this.d.store.requests.nextPollAt().then(
      (next) => {
        if (arming !== this.arming || this.stopped) return;
        this.timer?.cancel();
        if (next === null) {
          this.timer = null;
          return;
        }
        const delay = Math.max(0, next - this.d.clock.now());
        this.timer = this.d.clock.setTimeout(() => {
          this.timer = null;
          void this.cycle().catch((error: unknown) =>
            this.d.log.error('tracker cycle crashed', { error: String(error) }),
          );
        }, delay);
      },
      // The register unreachable: the next change (or the next start) arms again.
      (error: unknown) => this.d.log.warn('tracker could not arm', { error: String(error) }),
    );
  }

  private async runCycle(): Promise<CycleReport> {
    const report: CycleReport = { checked: 0, calls: 0, changed: 0 };
    const due = await this.d.store.requests.duePolls(this.d.clock.now());
    const byEnvironment = new Map<Environment, RequestRow[]>();
    for (const row of due)
      byEnvironment.set(row.environment, [...(byEnvironment.get(row.environment) ?? []), row]);
    for (const [environment, rows] of byEnvironment) {
      let engine: Engine;
      try {
        engine = await this.d.engine(environment);
      } catch (error) {
        for (const row of rows) await this.failed(row, error);
        continue;
      }
      if (rows.length >= (this.d.listThreshold ?? 3)) await this.viaList(engine, rows, report);
      else for (const row of rows) await this.single(engine, row, report);
    }
    return report;
  }

  private async viaList(engine: Engine, rows: RequestRow[], report: CycleReport): Promise<void> {
    let list: RemoteSummary[];
    try {
      report.calls++;
      list = await engine.list();
    } catch (error) {
      for (const row of rows) await this.failed(row, error);
      return;
    }
    const byId = new Map(list.map((r) => [r.id, r]));
    for (const row of rows) {
      const summary = byId.get(row.remoteId!);
      // Read in full what moved, what is missing from the list, searches awaiting a choice, and
      // done requests still at "Dati disponibili" (the summary lists no outputs to compare).
      if (
        !summary ||
        stateNameOf(summary) !== row.remoteState ||
        statusOfRemote(summary) !== 'pending' ||
        row.status !== 'pending'
      ) {
        await this.single(engine, row, report);
      } else {
        report.checked++;
        await this.scheduleNext(row);
      }
    }
  }

  private async single(engine: Engine, row: RequestRow, report: CycleReport): Promise<void> {
    try {
      report.calls++;
      const remote = await engine.get(row.remoteId!);
      report.checked++;
      if (await this.apply(row, remote)) report.changed++;
    } catch (error) {
      await this.failed(row, error);
    }
  }

  /** Stores what the API says; returns true when something the clerk cares about changed. */
  private async apply(row: RequestRow, remote: RemoteRequest): Promise<boolean> {
    this.failures.delete(row.id);
    // A request is never taken back from done to pending: "Dati disponibili" without files after
    // having had some is not news worth undoing the downloaded outputs for.
    const told = statusOfRemote(remote);
    // The service's word moves the request only along the lifecycle's transitions: a request
    // never goes back from done to pending ("Dati disponibili" listing no file after having had
    // some is not news worth undoing downloaded outputs for), nor out of cancelled.
    const status = told === row.status || allowed(row.status, told) ? told : row.status;
    const search = remote.search;
    const stateName = stateNameOf(remote);
    const moved = stateName !== row.remoteState || status !== row.status;
    const searchMoved = JSON.stringify(search) !== JSON.stringify(row.search);
    const finished = status !== 'pending' && row.status === 'pending';
    // Done at "Dati disponibili", the request is followed until "Visura evasa", which may add files.
    const newOutputs =
      row.status === 'done' && status === 'done' && !sameList(remote.outputs, row.allegati ?? []);
    const now = this.d.clock.now();
    // Compare-and-set on the status it was read in: a cancel or a purge meanwhile wins.
    const written = await this.d.lifecycle.move(row.id, [row.status], status, {
      patch: {
        remoteState: stateName,
        remoteEsito: remote.outcome,
        allegati: remote.outputs,
        search,
        completedAt: finished ? now : row.completedAt,
        pollCount: row.pollCount + 1,
        lastError: null,
        nextPollAt: stillFollowed(status, remote.phase) ? now + this.delayFor(row) : null,
        // Outputs to fetch again: recorded with the new list, so that a crash before the download
        // ends leaves the request among those start-up downloads (documentsDue), never half-updated.
        ...(newOutputs ? { documentsState: 'none' as const } : {}),
      },
      ...(moved
        ? {
            event: {
              kind: 'status_changed' as const,
              data: {
                from: row.remoteState,
                to: stateName,
                ...(remote.outcome.codice !== '0' ? { esito: remote.outcome } : {}),
              },
            },
          }
        : {}),
      push: moved || searchMoved || row.lastError !== null,
    });
    if (!written) return false;
    if (finished) this.d.finished(written);
    else if (newOutputs) this.d.outputsChanged(written);
    return moved;
  }

  private async scheduleNext(row: RequestRow): Promise<void> {
    this.failures.delete(row.id);
    await this.d.lifecycle.note(row.id, [row.status], {
      patch: { pollCount: row.pollCount + 1, nextPollAt: this.d.clock.now() + this.delayFor(row) },
      push: false,
    });
  }

  private async failed(row: RequestRow, error: unknown): Promise<void> {
    const failures = (this.failures.get(row.id) ?? 0) + 1;
    this.failures.set(row.id, failures);
    this.d.log.warn('tracker check failed', {
      id: row.id,
      failures,
      code: error instanceof AppError ? error.code : 'internal',
    });
    // A network hiccup is not news for the clerk; a refused key or a vanished request is.
    const worthTelling =
      error instanceof AppError && ['unauthorized', 'not_found', 'no_api_key'].includes(error.code);
    await this.d.lifecycle.note(row.id, [row.status], {
      patch: {
        nextPollAt: this.d.clock.now() + retryDelay(failures, this.delayFor(row)),
        ...(worthTelling ? { lastError: toErrorData(error) } : {}),
      },
      push: worthTelling && !row.lastError,
    });
  }

  private delayFor(row: RequestRow): number {
    return nextPollDelay({
      environment: row.environment,
      ageMs: this.d.clock.now() - (row.submittedAt ?? row.createdAt),
      baseMinutes: this.d.pollMinutes(),
      random: (this.d.random ?? Math.random)(),
    });
  }
}
