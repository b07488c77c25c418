/*
 * The office: what the counters sharing one register tell each other (issue: several counters,
 * one register). Two adapters, as for the register: a counter on its own (SQLite) is always the
 * leader and has nobody to tell; on the office's PostgreSQL a role is a session-level advisory
 * lock held on a connection of its own, and changes go by NOTIFY to every counter that LISTENs
 * (postgres/office.ts). Nothing here knows about `pg`: main/requests uses this port only.
 */

/** A role only one counter of the office plays at a time. */
export type OfficeRole = 'tracker';

/** A change that committed on one counter, for the others' screens. */
export interface OfficeChange {
  /** What changed: the push event the other counters re-emit ('requestChanged': these requests). */
  kind: 'requestChanged';
  ids: string[];
  /** The counter that made it (Core.counterId): a counter ignores its own. */
  counterId: string;
}

export interface LeadershipHandlers {
  /** This counter now plays the role (start what it does). */
  gained: () => void;
  /** It no longer does (its connection broke, or `stop`): stop what it does. */
  lost: () => void;
  /** Trying failed (the register unreachable): the first failure of a streak, for the log. */
  failed?: ((error: unknown) => void) | undefined;
}

export interface Leadership {
  /** Whether this counter plays the role now. */
  readonly held: boolean;
  /** Gives the role up (calling `lost` if it was held) and stops trying. */
  stop(): Promise<void>;
}

export interface OfficeListening {
  stop(): Promise<void>;
}

export interface Office {
  /** Whether other counters share the register (false: a counter on its own, nothing to do). */
  readonly shared: boolean;
  /**
   * Plays `role` whenever this counter can: `gained` when it gets it, `lost` when it loses it, then
   * it tries again. Resolves once the first try has answered (held or not), so a counter starting
   * alone is the leader when this resolves. On a counter on its own, the role is its at once.
   */
  lead(role: OfficeRole, handlers: LeadershipHandlers): Promise<Leadership>;
  /**
   * Tells the other counters about a change. Call it once the change committed (or from within the
   * transaction that makes it, synchronously: then it is told when that commits, and never if it
   * rolls back).
   */
  publish(change: OfficeChange): Promise<void>;
  /**
   * Hears every counter's changes, this one's included (the listener filters by counterId), on a
   * connection opened again whenever it breaks (`failed`: the first failure of a streak). Changes
   * told while it was broken are not heard again: `resumed` says it listens again after a break,
   * so that the counter reads afresh whatever it shows.
   */
  listen(
    listener: (change: OfficeChange) => void,
    failed?: (error: unknown) => void,
    resumed?: () => void,
  ): Promise<OfficeListening>;
  /** Ends what `lead` and `listen` hold (the register's close calls it). */
  close(): Promise<void>;
}

/** A counter on its own: always the leader, nobody to tell, nothing to hear. */
export class SoloOffice implements Office {
  readonly shared = false;

  async lead(_role: OfficeRole, handlers: LeadershipHandlers): Promise<Leadership> {
    let held = true;
    handlers.gained();
    return {
      get held() {
        return held;
      },
      stop: async () => {
        if (!held) return;
        held = false;
        handlers.lost();
      },
    };
  }

  async publish(): Promise<void> {}

  async listen(): Promise<OfficeListening> {
    return { stop: async () => {} };
  }

  async close(): Promise<void> {}
}
