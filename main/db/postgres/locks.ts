/*
 * The office database's advisory locks, all in one place so that two uses never share a key.
 * PostgreSQL's two-key form: the first key names Sportello (ASCII "SPRT"), the second the use.
 */
export const LOCK_NAMESPACE = 0x53505254;

export const LOCKS = {
  /** Held while a counter migrates the register: counters starting together migrate once. */
  migrate: 1,
  /** Held, for as long as its session lasts, by the counter that runs the office's tracker. */
  tracker: 2,
  /** Held for a transaction by a counter making the office's first document key (clients/keyring.ts). */
  documentKey: 3,
} as const;
