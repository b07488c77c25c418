import type { Environment } from '../../../common/environments.ts';
import { formatPraticaNumber } from '../../../common/pratica-number.ts';
import type { RequestChoices, RegisterFilter, RequestStatus } from '../../../common/requests.ts';
import type { Queryable } from '../../db/postgres/connection.ts';
import { searchRequests } from '../../db/postgres/search.ts';
import type { RequestsPort } from '../port.ts';
import { COLUMNS, decodeRow, encode, PROPS, type RequestPatch, type RequestRow } from '../request-row.ts';
import { ATTENTION_SQL, choicesOf, TRACKED_SQL } from '../requests.ts';
import type { PgSql } from './sql.ts';

type Raw = Record<string, unknown>;

/**
 * The requests on the office database: RequestRepository (requests.ts) method for method, the same
 * SQL where PostgreSQL reads it alike. What differs is said where it does: `IN (?, …)` lists are
 * one array parameter, NULLs sort first explicitly (SQLite's order), and the list's search is
 * db/postgres/search.ts.
 */
export class PgRequests implements RequestsPort {
  private readonly sql: PgSql;
  private readonly now: () => number;

  constructor(sql: PgSql, now: () => number) {
    this.sql = sql;
    this.now = now;
  }

  /** searchRequests' Queryable on PgSql: inside a transaction, its connection. */
  private get db(): Queryable {
    const query = async (text: string, params?: unknown[]) => ({ rows: await this.sql.rows(text, params) });
    return { query } as unknown as Queryable;
  }

  private async all(text: string, params: unknown[] = []): Promise<RequestRow[]> {
    return (await this.sql.rows<Raw>(text, params)).map(decodeRow);
  }

  private async one(text: string, params: unknown[] = []): Promise<RequestRow | null> {
    const raw = await this.sql.row<Raw>(text, params);
    return raw ? decodeRow(raw) : null;
  }

  async insert(row: RequestRow): Promise<void> {
    const cols = PROPS.map((p) => COLUMNS[p].column);
    await this.sql.run(
      `INSERT INTO requests (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      PROPS.map((p) => encode(p, row[p])),
    );
  }

  get(id: string): Promise<RequestRow | null> {
    return this.one('SELECT * FROM requests WHERE id = $1', [id]);
  }

  findByRemoteId(environment: Environment, remoteId: string): Promise<RequestRow | null> {
    return this.one('SELECT * FROM requests WHERE environment = $1 AND remote_id = $2', [
      environment,
      remoteId,
    ]);
  }

  /** Updates the given properties (and updated_at). Returns false when the row is gone. */
  update(id: string, patch: RequestPatch): Promise<boolean> {
    return this.updateWhere(id, null, patch);
  }

  /**
   * Compare-and-set on the status: updates only if the row is in one of `from`. On PostgreSQL the
   * UPDATE waits for another transaction's lock on the row and re-reads it: of two concurrent
   * transitions from the same status, one changes the row and the other finds it moved.
   */
  transition(id: string, from: readonly RequestStatus[], patch: RequestPatch): Promise<boolean> {
    return this.updateWhere(id, from, patch);
  }

  private async updateWhere(
    id: string,
    from: readonly RequestStatus[] | null,
    patch: RequestPatch,
  ): Promise<boolean> {
    const entries = Object.entries({ updatedAt: this.now(), ...patch }) as [keyof RequestRow, unknown][];
    const sets = entries.map(([p], i) => `${COLUMNS[p].column} = $${i + 1}`).join(', ');
    const params: unknown[] = [...entries.map(([p, v]) => encode(p, v)), id];
    let where = `id = $${params.length}`;
    if (from) {
      params.push(from);
      where += ` AND status = ANY($${params.length}::text[])`;
    }
    return (await this.sql.run(`UPDATE requests SET ${sets} WHERE ${where}`, params)) === 1;
  }

  /**
   * Deletes a draft that never reached the API (its attachments first: PgRegister.deleteDraft);
   * requests that reached it are kept (purged instead).
   */
  async deleteDraft(id: string): Promise<void> {
    await this.sql.run("DELETE FROM requests WHERE id = $1 AND status = 'draft' AND remote_id IS NULL", [id]);
  }

  /**
   * The pratica's number (requests.ts's assignNumber). The request's row is locked first: of two
   * counters giving it a number at once, the second finds the first's. The counter row's upsert
   * waits for any other counter's increment of the same prefix and year, then adds one to what it
   * committed: no number is given twice.
   */
  assignNumber(id: string, prefix: string, year: number): Promise<string | null> {
    return this.sql.transaction(async () => {
      const row = await this.sql.row<{ number: string | null }>(
        'SELECT number FROM requests WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!row) return null;
      if (row.number !== null) return row.number;
      const counted = await this.sql.row<{ last: number }>(
        `INSERT INTO pratica_numbers (prefix, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (prefix, year) DO UPDATE SET last = pratica_numbers.last + 1 RETURNING last`,
        [prefix, year],
      );
      const number = formatPraticaNumber(prefix, year, counted!.last);
      await this.sql.run('UPDATE requests SET number = $1 WHERE id = $2', [number, id]);
      return number;
    });
  }

  /** Requests a crash or an outage left mid-way with the clerk's intent to send: what start resumes. */
  unfinishedSubmissions(): Promise<RequestRow[]> {
    return this.all(
      "SELECT * FROM requests WHERE status = 'sending' OR (status = 'open' AND submit_intent = 1) ORDER BY created_at",
    );
  }

  /**
   * The sending lease, a compare-and-set (requests.ts's claim): of two counters claiming at once,
   * the second UPDATE waits for the first's row lock, re-reads the row and finds it taken.
   */
  async claim(id: string, owner: string, until: number, now: number): Promise<boolean> {
    return (
      (await this.sql.run(
        `UPDATE requests SET claim_owner = $2, claim_until = $3
         WHERE id = $1 AND (claim_owner IS NULL OR claim_owner = $2 OR claim_until < $4)`,
        [id, owner, until, now],
      )) === 1
    );
  }

  /** Gives the lease back: only `owner`'s own. */
  async release(id: string, owner: string): Promise<void> {
    await this.sql.run(
      'UPDATE requests SET claim_owner = NULL, claim_until = NULL WHERE id = $1 AND claim_owner = $2',
      [id, owner],
    );
  }

  /** A client's requests (not drafts), newest first: the client view (index requests_cf). */
  byClient(cf: string, limit = 500): Promise<RequestRow[]> {
    return this.all(
      "SELECT * FROM requests WHERE client_cf = $1 AND status <> 'draft' ORDER BY created_at DESC LIMIT $2",
      [cf, limit],
    );
  }

  /** How many requests (not drafts) each codice fiscale has, and the newest one's creation. */
  async clientStats(cfs: string[]): Promise<Map<string, { count: number; lastAt: number }>> {
    const out = new Map<string, { count: number; lastAt: number }>();
    if (!cfs.length) return out;
    const rows = await this.sql.rows<{ cf: string; n: number; last: number }>(
      `SELECT client_cf AS cf, count(*) AS n, max(created_at) AS last FROM requests
       WHERE client_cf = ANY($1::text[]) AND status <> 'draft' GROUP BY client_cf`,
      [cfs],
    );
    for (const r of rows) out.set(r.cf, { count: r.n, lastAt: r.last });
    return out;
  }

  /** The client's latest request whose personal data is still here: what a new request copies. */
  lastByClient(cf: string): Promise<RequestRow | null> {
    return this.one(
      `SELECT * FROM requests WHERE client_cf = $1 AND status <> 'draft' AND purged_at IS NULL
       ORDER BY created_at DESC LIMIT 1`,
      [cf],
    );
  }

  /**
   * Requests of the same client and service created since `since` and sent (or being sent), other
   * than `exceptId`: what the duplicate guard asks (index requests_duplicates, migration 004, whose
   * `client_cf IS NOT NULL` the equality implies).
   */
  sameClientAndService(
    environment: Environment,
    cf: string,
    serviceHash: string,
    since: number,
    exceptId: string,
  ): Promise<RequestRow[]> {
    return this.all(
      `SELECT * FROM requests
       WHERE client_cf = $1 AND service_hash = $2 AND created_at >= $3 AND id <> $4 AND environment = $5
         AND status IN ('sending', 'open', 'pending', 'done')
       ORDER BY created_at DESC`,
      [cf, serviceHash, since, exceptId, environment],
    );
  }

  /** What a counter's log says it was charged since `since`, and its requests being sent (requests.ts). */
  async spentAt(
    environment: Environment,
    counter: string,
    since: number,
  ): Promise<{ charged: number[]; sending: number }> {
    const charged = await this.sql.rows<{ charged_price: number }>(
      `SELECT charged_price FROM requests
       WHERE counter = $1 AND environment = $2 AND submitted_at >= $3 AND charged_price IS NOT NULL
       ORDER BY submitted_at`,
      [counter, environment, since],
    );
    const sending = await this.sql.row<{ n: number }>(
      `SELECT count(*)::int AS n FROM requests WHERE counter = $1 AND environment = $2 AND status = 'sending'`,
      [counter, environment],
    );
    return { charged: charged.map((r) => r.charged_price), sending: sending?.n ?? 0 };
  }

  byStatus(statuses: readonly RequestStatus[]): Promise<RequestRow[]> {
    return this.all('SELECT * FROM requests WHERE status = ANY($1::text[]) ORDER BY created_at', [statuses]);
  }

  /** Rows the clerk must act on: the lifecycle's `needsAttention`, as the partial index names them. */
  attention(limit: number): Promise<RequestRow[]> {
    return this.all(`SELECT * FROM requests WHERE ${ATTENTION_SQL} ORDER BY updated_at DESC LIMIT $1`, [
      limit,
    ]);
  }

  /** Done requests still without their documents (never downloaded, or failed), oldest first. */
  async documentsDue(): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT id FROM requests
       WHERE status = 'done' AND documents_state <> 'ready' AND purged_at IS NULL ORDER BY created_at`,
    );
    return rows.map((r) => r.id);
  }

  recent(status: RequestStatus, limit: number, completedSince?: number): Promise<RequestRow[]> {
    return completedSince === undefined
      ? this.all('SELECT * FROM requests WHERE status = $1 ORDER BY created_at DESC LIMIT $2', [
          status,
          limit,
        ])
      : this.all(
          'SELECT * FROM requests WHERE status = $1 AND completed_at >= $2 ORDER BY completed_at DESC LIMIT $3',
          [status, completedSince, limit],
        );
  }

  /**
   * Requests being processed whose next check is due (TRACKED: the ones the tracker follows). Never
   * checked ones first: SQLite sorts NULL first, PostgreSQL last unless told.
   */
  duePolls(now: number): Promise<RequestRow[]> {
    return this.all(
      `SELECT * FROM requests
       WHERE ${TRACKED_SQL} AND (next_poll_at IS NULL OR next_poll_at <= $1) ORDER BY next_poll_at NULLS FIRST`,
      [now],
    );
  }

  /** Every request the tracker follows. */
  tracked(): Promise<RequestRow[]> {
    return this.all(`SELECT * FROM requests WHERE ${TRACKED_SQL} ORDER BY created_at`);
  }

  async nextPollAt(): Promise<number | null> {
    const row = await this.sql.row<{ at: number | null }>(
      `SELECT min(coalesce(next_poll_at, 0)) AS at FROM requests WHERE ${TRACKED_SQL}`,
    );
    return row?.at ?? null;
  }

  /** The list's filter choices (requests.ts's choices): the index requests_counter's pairs. */
  async choices(): Promise<RequestChoices> {
    const pairs = await this.sql.rows<{ counter: string; operator: string }>(
      'SELECT DISTINCT counter, operator FROM requests',
    );
    return choicesOf(pairs.map((p) => [p.counter, p.operator] as const));
  }

  /** The list's search: db/postgres/search.ts, tested row for row against SQLite's. */
  async search(filter: RegisterFilter): Promise<{ rows: RequestRow[]; total: number }> {
    const page = await searchRequests(this.db, filter);
    return { rows: page.rows.map(decodeRow), total: page.total };
  }

  // --- retention ------------------------------------------------------------------------------

  /** Drafts that reached the API (a remote id) and were sent back, untouched since `before`. */
  staleRemoteDrafts(before: number): Promise<RequestRow[]> {
    return this.all(
      `SELECT * FROM requests WHERE status = 'draft' AND remote_id IS NOT NULL AND purged_at IS NULL
         AND updated_at < $1`,
      [before],
    );
  }

  /**
   * Finished requests older than `before` whose personal data is still here (index: migration
   * 003). In the index's order, as SQLite reads them.
   */
  purgeable(before: number): Promise<RequestRow[]> {
    return this.all(
      `SELECT * FROM requests
       WHERE purged_at IS NULL AND status IN ('done', 'cancelled') AND coalesce(completed_at, created_at) < $1
       ORDER BY coalesce(completed_at, created_at)`,
      [before],
    );
  }

  /** Marks a request purged (its personal data goes by PgRegister.purge, with the other tables'). */
  async markPurged(id: string, patch: RequestPatch = {}): Promise<void> {
    await this.update(id, { ...patch, purgedAt: this.now() });
  }
}
