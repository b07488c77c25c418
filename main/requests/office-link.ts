import type { Logger } from '../ports.ts';
import type { Leadership, Office, OfficeChange, OfficeListening } from '../store/office.ts';
import type { Tracker } from './tracker.ts';

export interface OfficeLinkDeps {
  office: Office;
  /** This counter (Core.counterId): its own notices come back and are ignored. */
  counterId: string;
  tracker: Pick<Tracker, 'start' | 'stop' | 'poke'>;
  /** Re-reads a request and pushes it to this counter's screen (services.ts). */
  pushChange: (id: string) => void;
  /** Tells this counter's screen that what it shows may be stale: it reads it all again. */
  pushStale: () => void;
  log: Logger;
}

/**
 * One tracker per office (issue: several counters, one register): the tracker runs on the counter
 * that holds the office's 'tracker' role and stops when it loses it; every counter hears the others'
 * changes and pushes them to its own screen. A counter on its own (SQLite) is always the leader and
 * hears nothing: the tracker simply runs, as it always did.
 */
export class OfficeLink {
  private readonly d: OfficeLinkDeps;
  private leadership: Leadership | null = null;
  private listening: OfficeListening | null = null;

  constructor(deps: OfficeLinkDeps) {
    this.d = deps;
  }

  /** Whether this counter runs the office's tracker now. */
  get leading(): boolean {
    return this.leadership?.held ?? false;
  }

  async start(): Promise<void> {
    const { office, tracker, log } = this.d;
    if (office.shared)
      this.listening = await office.listen(
        (change) => this.heard(change),
        (error) => log.warn('office changes unheard, listening again', { error: String(error) }),
        () => this.resumed(),
      );
    this.leadership = await office.lead('tracker', {
      gained: () => {
        if (office.shared) log.info('this counter now runs the office tracker');
        tracker.start();
      },
      lost: () => {
        if (office.shared) log.warn('this counter no longer runs the office tracker');
        void tracker.stop();
      },
      failed: (error) =>
        log.warn('office tracker role: the register is unreachable', { error: String(error) }),
    });
  }

  async close(): Promise<void> {
    const { leadership, listening } = this;
    this.leadership = null;
    this.listening = null;
    await leadership?.stop();
    await this.d.tracker.stop();
    await listening?.stop();
  }

  /** Back after a break: the changes told meanwhile were not heard. */
  private resumed(): void {
    this.d.log.info('office changes heard again: this counter reads its screens afresh');
    this.d.pushStale();
    this.d.tracker.poke();
  }

  private heard(change: OfficeChange): void {
    if (change.counterId === this.d.counterId) return;
    for (const id of change.ids) this.d.pushChange(id);
    // A request sent from another counter: the leader's tracker looks at when to poll next.
    this.d.tracker.poke();
  }
}
