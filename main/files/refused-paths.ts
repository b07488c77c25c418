import type { PathRefusalReason, RefusedPath, RegisterPathTable } from '../../common/register-paths.ts';
import type { Logger } from '../ports.ts';

/** A row of the register that names a file. */
export interface RegisterRow {
  table: RegisterPathTable;
  id: string;
  requestId: string | null;
}

/** More than a clerk reads; past it, the oldest notices go (the log keeps every one). */
const MAX_NOTICES = 200;
/** Longer than any id Sportello makes (a UUID). */
const MAX_ID = 100;

/**
 * The register's rows whose paths this counter refused since it started, for Home («Da
 * controllare»). Each is logged once, by code and row id: never the path (it carries the client's
 * name and codice fiscale, or whatever another counter wrote). Kept in memory: a row still wrong
 * after a restart is refused, and listed, again at its next use.
 */
export class RefusedPaths {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly notices = new Map<string, RefusedPath>();

  constructor(deps: { log: Logger; now: () => number }) {
    this.log = deps.log;
    this.now = deps.now;
  }

  report(row: RegisterRow, reason: PathRefusalReason): void {
    // Ids are whatever the register holds (a request id may itself be the hostile path): kept short.
    const id = row.id.slice(0, MAX_ID);
    const key = `${row.table}:${id}`;
    const known = this.notices.get(key);
    if (!known || known.reason !== reason)
      this.log.warn('register path refused', { table: row.table, id, reason });
    this.notices.delete(key);
    this.notices.set(key, {
      kind: 'register_path_refused',
      table: row.table,
      rowId: id,
      requestId: row.requestId?.slice(0, MAX_ID) ?? null,
      reason,
      at: this.now(),
    });
    if (this.notices.size > MAX_NOTICES) this.notices.delete(this.notices.keys().next().value!);
  }

  /** The most recent first. */
  list(): RefusedPath[] {
    return [...this.notices.values()].reverse();
  }
}
