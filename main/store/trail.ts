import type { EventKind } from '../../common/requests.ts';
import { scrubTrail } from './personal-data.ts';
import type { Statements } from './statements.ts';

/** One event of the trail: who did what to a request, when (the data: TRAIL_KEYS once purged). */
export interface EventRow {
  kind: string;
  at: number;
  operator: string;
  /** The counter where it happened (migration 008; '' before). */
  counter: string;
  data: Record<string, unknown> | null;
}

/** The trail (`events`): what happened to each request, appended and never rewritten but by a purge. */
export class Trail {
  private readonly s: Statements;
  private readonly now: () => number;
  private readonly counter: () => string;

  constructor(s: Statements, now: () => number, counter: () => string = () => '') {
    this.s = s;
    this.now = now;
    this.counter = counter;
  }

  add(requestId: string | null, kind: EventKind, operator: string, data?: Record<string, unknown>): void {
    this.s
      .prepare(
        'INSERT INTO events (request_id, kind, at, operator, counter, data_json) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(requestId, kind, this.now(), operator, this.counter(), data ? JSON.stringify(data) : null);
  }

  /** The trail's events of one kind for a request, oldest first. */
  ofKind(requestId: string, kind: EventKind): EventRow[] {
    return this.of(requestId).filter((e) => e.kind === kind);
  }

  of(requestId: string): EventRow[] {
    return (
      this.s
        .prepare('SELECT kind, at, operator, counter, data_json FROM events WHERE request_id = ? ORDER BY id')
        .all(requestId) as {
        kind: string;
        at: number;
        operator: string;
        counter: string;
        data_json: string | null;
      }[]
    ).map((e) => ({
      kind: e.kind,
      at: e.at,
      operator: e.operator,
      counter: e.counter,
      data: e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : null,
    }));
  }

  /** A purge keeps of each event only the keys personal-data.ts allows (TRAIL_KEYS). */
  scrub(requestId: string): void {
    const events = this.s.prepare('SELECT id, data_json FROM events WHERE request_id = ?').all(requestId) as {
      id: number;
      data_json: string | null;
    }[];
    const scrub = this.s.prepare('UPDATE events SET data_json = ? WHERE id = ?');
    for (const event of events) {
      const kept = scrubTrail(event.data_json);
      if (kept !== event.data_json) scrub.run(kept, event.id);
    }
  }
}
