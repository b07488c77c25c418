import type { Environment } from '../../common/environments.ts';
import type { Statements } from './statements.ts';

/**
 * How this PC came to know a remote request (migration 004): created by a POST whose answer
 * arrived, adopted after an uncertain POST, a duplicate one of a request's POSTs created (the
 * clerk adopted another), created by a price check, or disowned by the clerk (not this PC's).
 */
export type RemoteOrigin = 'created' | 'adopted' | 'duplicate' | 'price_check' | 'disowned';
/**
 * What became of it: still open, closed (paid), cancelled on the service, abandoned (ours, no longer
 * wanted: to be closed out with DELETE), or deleted (closed out).
 */
export type RemoteFate = 'open' | 'closed' | 'cancelled' | 'abandoned' | 'deleted';

export interface RemoteEntry {
  environment: Environment;
  remoteId: string;
  /** The local request it belongs to (for a disowned one: the request whose clerk disowned it). */
  requestId: string;
  origin: RemoteOrigin;
  fate: RemoteFate;
  /** The options it was created with: the service cannot change them later (PUT has no `opzioni`). */
  options: string[];
  /** What it costs (net of IVA), as this PC priced it: base from the answer, options from the catalog. */
  price: number | null;
  /** The service's `timestamp_creation`, in ms; null when the answer had none. */
  createdAt: number | null;
  closedAt: number | null;
  /** Why the last DELETE of an abandoned request failed (e.g. the service does not offer DELETE). */
  deleteError: string | null;
  notedAt: number;
  updatedAt: number;
}

/** Every remote request this PC knows of: the ledger the money rules read and write. */
export class RemoteLedger {
  private readonly s: Statements;
  private readonly now: () => number;

  constructor(s: Statements, now: () => number) {
    this.s = s;
    this.now = now;
  }

  /** Records a remote request (or updates what is known of it); the first origin and owner stay. */
  note(entry: {
    environment: Environment;
    remoteId: string;
    requestId: string;
    origin: RemoteOrigin;
    fate: RemoteFate;
    options?: string[];
    price?: number | null;
    createdAt?: number | null;
  }): void {
    const now = this.now();
    this.s
      .prepare(
        `INSERT INTO remote_requests (environment, remote_id, request_id, origin, fate, options_json, price,
                                    created_at, noted_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (environment, remote_id) DO UPDATE SET
         fate = excluded.fate,
         price = coalesce(excluded.price, price),
         created_at = coalesce(excluded.created_at, created_at),
         updated_at = excluded.updated_at`,
      )
      .run(
        entry.environment,
        entry.remoteId,
        entry.requestId,
        entry.origin,
        entry.fate,
        JSON.stringify(entry.options ?? []),
        entry.price ?? null,
        entry.createdAt ?? null,
        now,
        now,
      );
  }

  /** Moves a known remote request to a new fate (closed also stamps when). */
  setFate(
    environment: Environment,
    remoteId: string,
    fate: RemoteFate,
    patch: { price?: number } = {},
  ): void {
    const now = this.now();
    this.s
      .prepare(
        `UPDATE remote_requests SET fate = ?, updated_at = ?, price = coalesce(?, price),
         closed_at = CASE WHEN ? = 'closed' THEN coalesce(closed_at, ?) ELSE closed_at END
       WHERE environment = ? AND remote_id = ?`,
      )
      .run(fate, now, patch.price ?? null, fate, now, environment, remoteId);
  }

  noteDeleteError(environment: Environment, remoteId: string, reason: string): void {
    this.s
      .prepare(
        'UPDATE remote_requests SET delete_error = ?, updated_at = ? WHERE environment = ? AND remote_id = ?',
      )
      .run(reason, this.now(), environment, remoteId);
  }

  get(environment: Environment, remoteId: string): RemoteEntry | null {
    const raw = this.s
      .prepare('SELECT * FROM remote_requests WHERE environment = ? AND remote_id = ?')
      .get(environment, remoteId) as Record<string, unknown> | undefined;
    return raw ? decodeRemoteEntry(raw) : null;
  }

  /** True when this PC knows the remote request: it is never taken for the result of another POST. */
  knows(environment: Environment, remoteId: string): boolean {
    return (
      this.s
        .prepare('SELECT 1 FROM remote_requests WHERE environment = ? AND remote_id = ?')
        .get(environment, remoteId) !== undefined
    );
  }

  /** Which of `remoteIds` this PC knows (one question for a whole list). */
  known(environment: Environment, remoteIds: readonly string[]): Set<string> {
    const known = new Set<string>();
    for (let i = 0; i < remoteIds.length; i += 500) {
      const chunk = remoteIds.slice(i, i + 500);
      const rows = this.s
        .prepare(
          `SELECT remote_id FROM remote_requests WHERE environment = ? AND remote_id IN (${chunk.map(() => '?').join(', ')})`,
        )
        .all(environment, ...chunk) as { remote_id: string }[];
      for (const r of rows) known.add(r.remote_id);
    }
    return known;
  }

  forRequest(requestId: string): RemoteEntry[] {
    return (
      this.s
        .prepare('SELECT * FROM remote_requests WHERE request_id = ? ORDER BY noted_at')
        .all(requestId) as Record<string, unknown>[]
    ).map(decodeRemoteEntry);
  }

  /**
   * How far the service's clock is ahead of this PC's (ms), from the requests this PC created:
   * their `timestamp_creation` against when their answer arrived here (the median of the last
   * ones, so one slow answer does not move it). Null when no request was created here yet.
   */
  clockOffset(environment: Environment): number | null {
    const offsets = (
      this.s
        .prepare(
          `SELECT created_at - noted_at AS offset FROM remote_requests
          WHERE environment = ? AND origin = 'created' AND created_at IS NOT NULL
          ORDER BY noted_at DESC LIMIT 15`,
        )
        .all(environment) as { offset: number }[]
    ).map((r) => r.offset);
    return medianOf(offsets);
  }

  /** Open requests of ours nobody wants any more: to close out with DELETE, or to show. */
  abandoned(): RemoteEntry[] {
    return (
      this.s
        .prepare("SELECT * FROM remote_requests WHERE fate = 'abandoned' ORDER BY noted_at")
        .all() as Record<string, unknown>[]
    ).map(decodeRemoteEntry);
  }

  /** The remote requests that may carry a charge, in a time range (ms): what charges are matched to. */
  chargeable(environment: Environment, from: number, to: number): RemoteEntry[] {
    return (
      this.s
        .prepare(
          `SELECT * FROM remote_requests WHERE environment = ? AND origin <> 'disowned'
           AND coalesce(created_at, noted_at) <= ? AND coalesce(closed_at, updated_at) >= ?`,
        )
        .all(environment, to, from) as Record<string, unknown>[]
    ).map(decodeRemoteEntry);
  }
}

/** A row of `remote_requests` as the ledger answers it (both registers store the same columns). */
export function decodeRemoteEntry(raw: Record<string, unknown>): RemoteEntry {
  return {
    environment: raw.environment as Environment,
    remoteId: raw.remote_id as string,
    requestId: raw.request_id as string,
    origin: raw.origin as RemoteOrigin,
    fate: raw.fate as RemoteFate,
    options: JSON.parse(raw.options_json as string) as string[],
    price: raw.price as number | null,
    createdAt: raw.created_at as number | null,
    closedAt: raw.closed_at as number | null,
    deleteError: raw.delete_error as string | null,
    notedAt: raw.noted_at as number,
    updatedAt: raw.updated_at as number,
  };
}

/** The middle value (the upper one of an even count), or null for none. */
export function medianOf(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null;
}
