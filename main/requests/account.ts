import type { Environment } from '../../common/environments.ts';
import type { AccountIssue } from '../../common/requests.ts';
import type { Engine } from '../engine/engine.ts';
import { NotFoundError } from '../engine/errors.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { AccountRequest } from '../store/account.ts';
import type { Register } from '../store/port.ts';
import { closedForSure, fateOf, stateNameOf } from './remote-status.ts';

/*
 * Every remote request on the account, owned (VISENGINE.md, "The account as the truth"). The
 * account's list (`Engine.list`) is read now and then; a remote request there that no local request
 * owns — the ledger does not hold it — may have cost money under some reading of the spec, whatever
 * made it: a connection reset after the service committed a POST, another program, Openapi's
 * console. It is recorded (store/account.ts) and shown on Home under "Da controllare", with its
 * service, price, time and state, until the clerk links it to a request of the log, says it is not
 * the office's, or — while it is open — cancels it. Each decision goes in the trail. A charge
 * matched only to such a request is shown too (charges.ts).
 *
 * Nothing here is ever taken as "ours" by itself: only an uncertain POST's reconciliation adopts
 * (reconcile.ts), and a request it is still reconciling is not shown here meanwhile (its candidates
 * are the request's own page's business).
 */

export interface AccountWatchDeps {
  store: Register;
  engine: (environment: Environment) => Promise<Engine>;
  /** The services' names by hash, for the clerk (the catalog's list; a hash it lacks shows as is). */
  serviceNames: (environment: Environment) => Promise<Map<string, string>>;
  /** Why cancelling (DELETE) cannot be tried: the probe found none, or the account lacks its scope. */
  deleteRefusal: (environment: Environment) => 'not_offered' | 'scope_missing' | null;
  now: () => number;
  log: Logger;
  operator: () => string;
}

/** How many of the account's unowned requests Home lists (the count says how many more). */
export const SHOWN_ON_HOME = 20;

export class AccountWatch {
  private readonly d: AccountWatchDeps;
  private readonly running = new Map<Environment, Promise<number>>();
  private readonly lastRun = new Map<Environment, number>();

  constructor(deps: AccountWatchDeps) {
    this.d = deps;
  }

  /** Reads the account's list when the last reading is older than `maxAgeMs`. Never throws. */
  runIfStale(environment: Environment, maxAgeMs: number): Promise<number> {
    const last = this.lastRun.get(environment);
    if (last !== undefined && this.d.now() - last < maxAgeMs) return Promise.resolve(0);
    return this.run(environment);
  }

  /**
   * One reading of the account's list: records the remote requests no request owns (and the latest
   * state of those already recorded). Resolves to how many it recorded; concurrent calls share it.
   * Never throws: a list that cannot be read is logged and read again next time.
   */
  run(environment: Environment): Promise<number> {
    let running = this.running.get(environment);
    if (!running) {
      running = this.sweep(environment)
        .catch((error: unknown) => {
          this.d.log.warn('account list not read', {
            environment,
            code: error instanceof AppError ? error.code : 'internal',
          });
          return 0;
        })
        .finally(() => this.running.delete(environment));
      this.running.set(environment, running);
    }
    return running;
  }

  /** What Home shows: the unowned requests awaiting a decision, newest first. */
  async issues(environment: Environment): Promise<{ issues: AccountIssue[]; more: number }> {
    const [rows, total, busy] = await Promise.all([
      this.d.store.account.unresolved(environment, SHOWN_ON_HOME),
      this.d.store.account.unresolvedCount(environment),
      this.beingReconciled(environment),
    ]);
    const shown = rows.filter((r) => !busy.ids.has(r.remoteId) && !busy.services.has(r.serviceHash));
    const names = shown.length ? await this.d.serviceNames(environment) : new Map<string, string>();
    return {
      issues: shown.map((r) => ({
        kind: 'orphan_request',
        id: r.remoteId,
        environment,
        remoteId: r.remoteId,
        requestId: null,
        amount: r.price,
        at: r.createdAt ?? r.firstSeenAt,
        // Why it cannot be cancelled from here, when it cannot.
        detail: this.d.deleteRefusal(environment),
        serviceName: names.get(r.serviceHash) ?? null,
        stato: r.stato,
        transaction: r.transaction,
      })),
      more: Math.max(0, total - rows.length),
    };
  }

  /**
   * The clerk links an unowned remote request to a request of the log (e.g. the one a reset left
   * behind, or one made in the console for this client): from now on the ledger holds it under
   * that request, and the charges match it.
   */
  async link(environment: Environment, remoteId: string, requestId: string): Promise<void> {
    const found = await this.undecided(environment, remoteId);
    const row = await this.d.store.requests.get(requestId);
    if (!row) throw new AppError('request_not_found', `Pratica ${requestId} non trovata`);
    if (row.environment !== environment)
      throw new AppError('not_allowed', `request ${requestId} is of ${row.environment}, not ${environment}`, {
        details: { reason: 'other_environment' },
      });
    if (row.status === 'draft')
      throw new AppError('not_allowed', `request ${requestId} is a draft`, {
        details: { reason: 'link_draft' },
      });
    const operator = this.d.operator();
    const linked = await this.d.store.transaction(async () => {
      if (!(await this.d.store.account.resolve(environment, remoteId, 'linked', operator, requestId)))
        return false;
      await this.d.store.ledger.note({
        environment,
        remoteId,
        requestId,
        origin: 'adopted',
        // Open by its word stays open (the clerk may still cancel it); else it was sent: paid.
        fate: found.transaction === 'open' ? 'open' : 'closed',
        options: [],
        price: found.price,
        createdAt: found.createdAt,
      });
      await this.d.store.trail.add(requestId, 'account_linked', operator, { remoteId, environment });
      return true;
    });
    if (!linked) throw decidedAlready();
  }

  /** The clerk says the remote request is not the office's (another program's, a colleague's test…). */
  async disown(environment: Environment, remoteId: string): Promise<void> {
    await this.undecided(environment, remoteId);
    const operator = this.d.operator();
    const done = await this.d.store.transaction(async () => {
      if (!(await this.d.store.account.resolve(environment, remoteId, 'foreign', operator))) return false;
      await this.d.store.trail.add(null, 'account_foreign', operator, { environment, remoteId });
      return true;
    });
    if (!done) throw decidedAlready();
  }

  /**
   * Cancels an unowned request that is still open (DELETE, where offered): read first, so that a
   * request closed meanwhile (paid, being processed) is never cancelled from here.
   */
  async cancel(environment: Environment, remoteId: string): Promise<void> {
    await this.undecided(environment, remoteId);
    const refusal = this.d.deleteRefusal(environment);
    if (refusal)
      throw new AppError('not_allowed', `DELETE cannot be tried in ${environment}: ${refusal}`, {
        details: { reason: refusal === 'scope_missing' ? 'delete_scope_missing' : 'delete_not_offered' },
      });
    const engine = await this.d.engine(environment);
    let remote;
    try {
      remote = await engine.get(remoteId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      remote = null;
    }
    if (remote && closedForSure(remote))
      throw new AppError('not_allowed', `remote request ${remoteId} is closed (${stateNameOf(remote)})`, {
        details: { reason: 'orphan_closed' },
      });
    if (remote && fateOf(remote) !== 'cancelled')
      await engine.cancel(remoteId, 'Richiesta non riconosciuta dall’ufficio');
    const operator = this.d.operator();
    await this.d.store.transaction(async () => {
      await this.d.store.account.resolve(environment, remoteId, 'cancelled', operator);
      await this.d.store.trail.add(null, 'account_cancelled', operator, { environment, remoteId });
    });
  }

  private async sweep(environment: Environment): Promise<number> {
    this.lastRun.set(environment, this.d.now());
    const list = await (await this.d.engine(environment)).list();
    const known = await this.d.store.ledger.known(
      environment,
      list.map((r) => r.id),
    );
    const unowned = list.filter((r) => !known.has(r.id));
    await this.d.store.account.see(
      environment,
      unowned.map((r) => ({
        remoteId: r.id,
        serviceHash: r.service,
        price: r.price.base === null ? null : r.price.base + (r.price.search ?? 0),
        createdAt: r.createdAt,
        transaction: r.transaction,
        stato: stateNameOf(r),
      })),
    );
    if (unowned.length)
      this.d.log.info('account requests owned by no request', { environment, count: unowned.length });
    return unowned.length;
  }

  /**
   * What a submission is settling right now: the candidates a request shows the clerk, and the
   * services of requests whose uncertain POST is being reconciled (their new remote request is not
   * an orphan before reconciliation had its say).
   */
  private async beingReconciled(
    environment: Environment,
  ): Promise<{ ids: Set<string>; services: Set<string> }> {
    const ids = new Set<string>();
    const services = new Set<string>();
    for (const row of await this.d.store.requests.byStatus(['sending'])) {
      if (row.environment !== environment) continue;
      for (const c of row.candidates ?? []) ids.add(c.remoteId);
      if (!row.candidates && row.attemptStartedAt !== null) services.add(row.serviceHash);
    }
    return { ids, services };
  }

  private async undecided(environment: Environment, remoteId: string): Promise<AccountRequest> {
    const found = await this.d.store.account.get(environment, remoteId);
    if (!found)
      throw new AppError('not_found', `remote request ${remoteId} is not among the account's`, {
        details: { reason: 'account_request' },
      });
    if (found.resolution !== null || (await this.d.store.ledger.knows(environment, remoteId)))
      throw decidedAlready();
    return found;
  }
}

function decidedAlready(): AppError {
  return new AppError('not_allowed', 'already decided', { details: { reason: 'orphan_decided' } });
}
