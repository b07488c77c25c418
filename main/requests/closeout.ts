import type { Environment } from '../../common/environments.ts';
import type { Engine } from '../engine/engine.ts';
import { NotFoundError } from '../engine/errors.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { LedgerPort } from '../store/port.ts';
import { closedForSure, fateOf } from './remote-status.ts';
import type { Register } from '../store/port.ts';

export interface CloseOutDeps {
  ledger: LedgerPort;
  store: Register;
  engine: (environment: Environment) => Promise<Engine>;
  log: Logger;
  operator: () => string;
  /**
   * Why DELETE is not to be tried here, or null when it is: `not_offered` where the probe found
   * the service does not answer it, `scope_missing` where the account lacks its scope. Not tried,
   * shown at once with the reason.
   */
  deleteRefusal: (environment: Environment) => 'not_offered' | 'scope_missing' | null;
}

/**
 * Open requests of ours that nobody wants any more — a draft discarded after its request was
 * opened, a duplicate the clerk did not adopt, a request a price check created — are closed out
 * with `DELETE /richiesta/{id}` where the service answers it (not in the published spec). One it
 * will not delete stays "abandoned" with the reason, and Home shows it: never left silently.
 */
export class CloseOut {
  private readonly d: CloseOutDeps;
  private running: Promise<number> | null = null;

  constructor(deps: CloseOutDeps) {
    this.d = deps;
  }

  /** One pass over the abandoned requests; concurrent calls share it. Resolves to how many were closed. */
  run(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    let closed = 0;
    for (const entry of await this.d.ledger.abandoned()) {
      const { environment, remoteId } = entry;
      try {
        const engine = await this.d.engine(environment);
        const remote = await engine.get(remoteId).catch((error: unknown) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        });
        if (remote && closedForSure(remote)) {
          // Closed after all (paid): not ours to delete; the charge check matches it.
          await this.d.ledger.setFate(environment, remoteId, 'closed');
          continue;
        }
        // Open by its word, or only a phase to tell ("In erogazione" may be an open request's).
        const fate = remote ? fateOf(remote) : 'cancelled';
        const refusal = fate === 'cancelled' ? null : this.d.deleteRefusal(environment);
        if (refusal) {
          await this.d.ledger.noteDeleteError(environment, remoteId, refusal);
          continue;
        }
        if (fate !== 'cancelled') await engine.cancel(remoteId, 'Richiesta non utilizzata');
        await this.d.ledger.setFate(environment, remoteId, fate === 'cancelled' ? 'cancelled' : 'deleted');
        if (await this.d.store.requests.get(entry.requestId))
          await this.d.store.trail.add(entry.requestId, 'closed_out', this.d.operator(), { remoteId });
        closed++;
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'internal';
        await this.d.ledger.noteDeleteError(environment, remoteId, code);
        this.d.log.warn('cannot close out an abandoned request', { environment, remoteId, code });
      }
    }
    return closed;
  }
}
