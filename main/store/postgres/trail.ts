import type { EventKind } from '../../../common/requests.ts';
import { scrubTrail } from '../personal-data.ts';
import type { EventRow } from '../trail.ts';
import type { TrailPort } from '../port.ts';
import type { PgSql } from './sql.ts';

/**
 * The trail (`events`) on the office database: trail.ts's meaning. Append-only there too
 * (migration 2's triggers), but for the data of a purged request's events, which scrub rewrites.
 */
export class PgTrail implements TrailPort {
  private readonly sql: PgSql;
  private readonly now: () => number;
  private readonly counter: () => string;

  constructor(sql: PgSql, now: () => number, counter: () => string = () => '') {
    this.sql = sql;
    this.now = now;
    this.counter = counter;
  }

  async add(
    requestId: string | null,
    kind: EventKind,
    operator: string,
    data?: Record<string, unknown>,
  ): Promise<void> {
    await this.sql.run(
      'INSERT INTO events (request_id, kind, at, operator, counter, data_json) VALUES ($1, $2, $3, $4, $5, $6)',
      [requestId, kind, this.now(), operator, this.counter(), data ? JSON.stringify(data) : null],
    );
  }

  /** The trail's events of one kind for a request, oldest first. */
  async ofKind(requestId: string, kind: EventKind): Promise<EventRow[]> {
    return (await this.of(requestId)).filter((e) => e.kind === kind);
  }

  async of(requestId: string): Promise<EventRow[]> {
    const rows = await this.sql.rows<{
      kind: string;
      at: number;
      operator: string;
      counter: string;
      data_json: string | null;
    }>('SELECT kind, at, operator, counter, data_json FROM events WHERE request_id = $1 ORDER BY id', [
      requestId,
    ]);
    return rows.map((e) => ({
      kind: e.kind,
      at: e.at,
      operator: e.operator,
      counter: e.counter,
      data: e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : null,
    }));
  }

  /**
   * A purge keeps of each event only the keys personal-data.ts allows (TRAIL_KEYS). In one
   * transaction: the events read are those rewritten.
   */
  async scrub(requestId: string): Promise<void> {
    await this.sql.transaction(async () => {
      const events = await this.sql.rows<{ id: number; data_json: string | null }>(
        'SELECT id, data_json FROM events WHERE request_id = $1 ORDER BY id',
        [requestId],
      );
      for (const event of events) {
        const kept = scrubTrail(event.data_json);
        if (kept !== event.data_json)
          await this.sql.run('UPDATE events SET data_json = $1 WHERE id = $2', [kept, event.id]);
      }
    });
  }
}
