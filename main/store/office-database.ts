import { existsSync } from 'node:fs';
import type pg from 'pg';
import type { OfficeLinkState } from '../../common/office.ts';
import { openDatabase } from '../db/database.ts';
import { eraseDatabaseFile } from '../db/erase.ts';
import { describeFailure, openPool, type OfficeDbConfig } from '../db/postgres/connection.ts';
import { PostgresSchemaTooNew, RegisterNotPrepared, registerVersion } from '../db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../db/postgres/migrations.ts';
import { counterRoleProblems, CounterRoleRefused } from '../db/postgres/privileges.ts';
import { errorFields } from '../log/redact.ts';
import type { Clock, Logger, TimerHandle } from '../ports.ts';
import { copyBackFromOffice, moveIntoOffice } from './move.ts';
import { PgRegister } from './postgres/register.ts';

export interface OfficeDatabaseDeps {
  config: OfficeDbConfig;
  /** This counter's own log (userData/pratiche.sqlite): moved in on joining, the copy kept on leaving. */
  localFile: string;
  /** The office register this counter's log was moved into (config.json), and where it says so. */
  moved: { into(): string | null; mark(registerId: string): void };
  clock: Clock;
  log: Logger;
  /** The link's state changed (the renderer's banner). */
  onChange: (state: OfficeLinkState) => void;
  /** Between attempts while the register does not answer (default 5 s). */
  retryMs?: number | undefined;
  /** How often the register is asked whether it is there (default 10 s). */
  pingMs?: number | undefined;
}

/**
 * The office's register as this counter uses it (issue items 8-9): one pool; at start, the check
 * that the register is prepared for this app and that the counter's role cannot change its schema
 * or erase its trail (it never migrates: db/postgres/prepare.ts), and this counter's local log
 * moved in (once: store/move.ts), then erased from this PC; then a look every few seconds whether
 * the server answers, so that the counter says when it does not and notices when it does again
 * (pg's pool opens new connections by itself on the next query).
 */
export class OfficeDatabase {
  readonly pool: pg.Pool;
  private readonly d: OfficeDatabaseDeps;
  private current: OfficeLinkState = { state: 'connecting', message: null, moved: false };
  private timer: TimerHandle | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(deps: OfficeDatabaseDeps) {
    this.d = deps;
    this.pool = openPool(deps.config, {
      onIdleError: (error) => {
        deps.log.warn('office register: idle connection lost', errorFields(error));
        this.failed(error);
      },
    });
  }

  /** The storage port on the office's register; it owns the pool. */
  register(now: () => number, counter: () => string): PgRegister {
    return new PgRegister(this.pool, now, counter);
  }

  get state(): OfficeLinkState {
    return this.current;
  }

  /**
   * Checks the register and the role, and moves this counter's log in, trying again until the
   * server answers and the register is prepared; then keeps watching. Resolves once the register
   * is ready; rejects if stopped first. With a refused password it never connects: it waits,
   * saying why, until the app quits.
   */
  async ready(): Promise<void> {
    for (;;) {
      if (this.stopped) throw new Error('stopped before the office register answered');
      if (this.d.config.refused) {
        this.failed(this.d.config.refused);
        await this.pause(null);
        continue;
      }
      try {
        await this.checkRegister();
        await this.moveIn();
        this.set({ state: 'ok', message: null });
        this.watch();
        return;
      } catch (error) {
        this.failed(error);
        await this.pause(this.d.retryMs ?? 5_000);
      }
    }
  }

  /** Leaving the office: the office register copied into this counter's own log. */
  async keepLocalCopy(): Promise<void> {
    const db = openDatabase(this.d.localFile);
    try {
      const report = await copyBackFromOffice(this.pool, db);
      this.d.log.info('office register copied into the local log', { written: written(report) });
    } finally {
      db.close();
    }
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.wake?.();
  }

  /** The register is at this app's version, and this counter's role is only a counter's. */
  private async checkRegister(): Promise<void> {
    const version = await registerVersion(this.pool);
    const latest = PG_MIGRATIONS.length;
    if (version > latest) throw new PostgresSchemaTooNew(version, latest);
    if (version < latest) throw new RegisterNotPrepared(version, latest);
    const problems = await counterRoleProblems(this.pool);
    if (problems.length) throw new CounterRoleRefused(problems);
  }

  private async moveIn(): Promise<void> {
    const id = (await this.pool.query<{ id: string }>('SELECT id FROM register_identity')).rows[0]?.id;
    if (!id) throw new Error('the office register has no identity');
    if (this.d.moved.into() !== id && existsSync(this.d.localFile)) {
      const db = openDatabase(this.d.localFile);
      try {
        const report = await moveIntoOffice(db, this.pool);
        this.d.log.info('local log moved into the office register', { written: written(report) });
      } finally {
        db.close();
      }
      this.d.moved.mark(id);
    } else if (this.d.moved.into() !== id) this.d.moved.mark(id);
    // Moved: the office's register holds the log now, and its copy must not linger on this PC (a
    // crash after the mark leaves it to the next start). A copy kept on leaving is written later.
    if (existsSync(this.d.localFile)) {
      eraseDatabaseFile(this.d.localFile);
      this.d.log.info('local log erased once moved into the office register');
    }
    this.current = { ...this.current, moved: true };
  }

  private watch(): void {
    if (this.stopped) return;
    this.timer = this.d.clock.setTimeout(() => {
      this.pool
        .query('SELECT 1')
        .then(
          () => this.set({ state: 'ok', message: null }),
          (error: unknown) => this.failed(error),
        )
        .finally(() => this.watch());
    }, this.d.pingMs ?? 10_000);
  }

  private failed(error: unknown): void {
    const { message, detail } = describeFailure(error, this.d.config);
    if (this.current.state !== 'unreachable') this.d.log.warn('office register unreachable', { detail });
    this.set({ state: 'unreachable', message });
  }

  private set(next: Pick<OfficeLinkState, 'state' | 'message'>): void {
    if (next.state === this.current.state && next.message === this.current.message) return;
    if (next.state === 'ok' && this.current.state === 'unreachable')
      this.d.log.info('office register reachable again');
    this.current = { ...this.current, ...next };
    this.d.onChange(this.current);
  }

  /** Waits `ms`, or until stop() when null. */
  private pause(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer =
        ms === null
          ? null
          : this.d.clock.setTimeout(() => {
              this.wake = null;
              resolve();
            }, ms);
      this.wake = () => {
        timer?.cancel();
        resolve();
      };
    });
  }
}

function written(report: Record<string, { written: number }>): number {
  return Object.values(report).reduce((sum, t) => sum + t.written, 0);
}
