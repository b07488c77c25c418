import type { Database } from 'better-sqlite3';
import type { Environment } from '../../common/environments.ts';
import { formatPraticaNumber } from '../../common/pratica-number.ts';
import type { RequestChoices, RegisterFilter, RequestStatus } from '../../common/requests.ts';
import { TEXT_KEY_ROWID_BITS, textKey } from '../db/text-key.ts';
import { PHASE_NAMES } from '../engine/engine.ts';
import { COLUMNS, decodeRow, encode, PROPS, type RequestPatch, type RequestRow } from './request-row.ts';
import { statesCondition } from '../db/state-sql.ts';
import { Statements } from './statements.ts';

/**
 * `needsAttention` (requests/rules.ts) in SQL, word for word the condition of the partial index
 * requests_attention (migration 003): that is what lets SQLite read the few rows it names instead of
 * the whole log. test/integration/requests/lifecycle.test.ts checks the two agree.
 */
export const ATTENTION_SQL = `status IN ('sending', 'open')
           OR documents_state = 'failed'
           OR (status <> 'draft' AND last_error IS NOT NULL)
           OR (status = 'pending' AND search_json IS NOT NULL AND remote_state = '${PHASE_NAMES.searching}')`;

/**
 * The requests the tracker follows: those being processed, and done ones still at "Dati
 * disponibili" — "Visura evasa" may add outputs (VISENGINE.md). Word for word the condition of the
 * partial index requests_tracked (migration 007), which the queries name: the tracker asks at every
 * change, and reading the whole log for it cost milliseconds each time.
 */
export const TRACKED_SQL = `(status = 'pending' OR (status = 'done' AND remote_state = '${PHASE_NAMES.outputs_partial}'))`;

/** The columns the list's text filter looks into. */
const TEXT_COLUMNS = [
  'client_cognome',
  'client_nome',
  'client_cf',
  'service_name',
  'remote_id',
  'number',
] as const;

/** Characters with a meaning in LIKE patterns, escaped with '\'. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Trigrams that cover a word end to end (every third one, and the last): a row holding the word
 * holds all of them. None for words shorter than 3 characters, which no trigram index can find.
 */
function coveringTrigrams(word: string): string[] {
  const chars = [...word];
  const found = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i += 3) found.add(chars.slice(i, i + 3).join(''));
  if (chars.length >= 3) found.add(chars.slice(-3).join(''));
  return [...found];
}

/** The distinct non-empty counters and operators of (counter, operator) pairs, each sorted by code unit. */
export function choicesOf(pairs: Iterable<readonly [string, string]>): RequestChoices {
  const counters = new Set<string>();
  const operators = new Set<string>();
  for (const [counter, operator] of pairs) {
    if (counter) counters.add(counter);
    if (operator) operators.add(operator);
  }
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { counters: [...counters].sort(byCode), operators: [...operators].sort(byCode) };
}

const SORT_SQL: Record<NonNullable<RegisterFilter['sortBy']>, string> = {
  createdAt: 'r.created_at',
  serviceName: 'r.service_name COLLATE NOCASE',
  clientName: "coalesce(r.client_cognome, '') || ' ' || coalesce(r.client_nome, '') COLLATE NOCASE",
  status: 'r.status',
  chargedPrice: 'coalesce(r.charged_price, r.confirmed_price, 0)',
};

/**
 * The requests: one row each (request-row.ts maps it), the tracker's and the screens' queries, and
 * the list's search. Events, attachments and documents have their own repositories (store.ts).
 */
export class RequestRepository {
  private readonly s: Statements;
  private readonly now: () => number;

  constructor(db: Database | Statements, now: () => number) {
    this.s = db instanceof Statements ? db : new Statements(db);
    this.now = now;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.s.transaction(fn);
  }

  insert(row: RequestRow): void {
    const cols = PROPS.map((p) => COLUMNS[p].column);
    this.s
      .prepare(`INSERT INTO requests (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      .run(...PROPS.map((p) => encode(p, row[p])));
  }

  get(id: string): RequestRow | null {
    const raw = this.s.prepare('SELECT * FROM requests WHERE id = ?').get(id) as
      Record<string, unknown> | undefined;
    return raw ? decodeRow(raw) : null;
  }

  findByRemoteId(environment: Environment, remoteId: string): RequestRow | null {
    const raw = this.s
      .prepare('SELECT * FROM requests WHERE environment = ? AND remote_id = ?')
      .get(environment, remoteId) as Record<string, unknown> | undefined;
    return raw ? decodeRow(raw) : null;
  }

  /** Updates the given properties (and updated_at). Returns false when the row is gone. */
  update(id: string, patch: RequestPatch): boolean {
    return this.updateWhere(id, null, patch);
  }

  /**
   * Compare-and-set on the status: updates only if the row is in one of `from`. This is the lock
   * that keeps two clicks, two windows or a restart from submitting the same request twice.
   */
  transition(id: string, from: readonly RequestStatus[], patch: RequestPatch): boolean {
    return this.updateWhere(id, from, patch);
  }

  private updateWhere(id: string, from: readonly RequestStatus[] | null, patch: RequestPatch): boolean {
    const entries = Object.entries({ updatedAt: this.now(), ...patch }) as [keyof RequestRow, unknown][];
    const sets = entries.map(([p]) => `${COLUMNS[p].column} = ?`).join(', ');
    const where = from ? ` AND status IN (${from.map(() => '?').join(', ')})` : '';
    const result = this.s
      .prepare(`UPDATE requests SET ${sets} WHERE id = ?${where}`)
      .run(...entries.map(([p, v]) => encode(p, v)), id, ...(from ?? []));
    return result.changes === 1;
  }

  /**
   * Deletes a draft that never reached the API (its attachments first: Store.deleteDraft); requests
   * that reached it are kept (purged instead).
   */
  deleteDraft(id: string): void {
    this.s.prepare("DELETE FROM requests WHERE id = ? AND status = 'draft' AND remote_id IS NULL").run(id);
  }

  /**
   * The pratica's number of request `id` (migration 017): the one it has, or the next of `prefix`
   * and `year`, given to it in one transaction with the counter's increment. Null when the request
   * is not there. Called as the request first leaves the draft.
   */
  assignNumber(id: string, prefix: string, year: number): string | null {
    return this.s.transaction(() => {
      const row = this.s.prepare('SELECT number FROM requests WHERE id = ?').get(id) as
        { number: string | null } | undefined;
      if (!row) return null;
      if (row.number !== null) return row.number;
      const sequence = this.s
        .prepare(
          `INSERT INTO pratica_numbers (prefix, year, last) VALUES (?, ?, 1)
           ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last`,
        )
        .pluck()
        .get(prefix, year) as number;
      const number = formatPraticaNumber(prefix, year, sequence);
      this.s.prepare('UPDATE requests SET number = ? WHERE id = ?').run(number, id);
      return number;
    });
  }

  /** Requests a crash or an outage left mid-way with the clerk's intent to send: what start resumes. */
  unfinishedSubmissions(): RequestRow[] {
    return (
      this.s
        .prepare(
          "SELECT * FROM requests WHERE status = 'sending' OR (status = 'open' AND submit_intent = 1) ORDER BY created_at",
        )
        .all() as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /**
   * The sending lease (migration 008), a compare-and-set: `owner` (a counter's id) takes the
   * request until `until` when nobody holds it, when it holds it already (a renewal, or the same
   * counter after a restart) or when the holder's lease ran out before `now`. True iff it holds it
   * now. updated_at is left alone: the lease is no change of the request.
   */
  claim(id: string, owner: string, until: number, now: number): boolean {
    return (
      this.s
        .prepare(
          `UPDATE requests SET claim_owner = ?, claim_until = ?
           WHERE id = ? AND (claim_owner IS NULL OR claim_owner = ? OR claim_until < ?)`,
        )
        .run(owner, until, id, owner, now).changes === 1
    );
  }

  /** Gives the lease back: only `owner`'s own (a lease another counter took meanwhile stays). */
  release(id: string, owner: string): void {
    this.s
      .prepare('UPDATE requests SET claim_owner = NULL, claim_until = NULL WHERE id = ? AND claim_owner = ?')
      .run(id, owner);
  }

  /** A client's requests (not drafts), newest first: the client view (index requests_cf). */
  byClient(cf: string, limit = 500): RequestRow[] {
    return (
      this.s
        .prepare(
          "SELECT * FROM requests WHERE client_cf = ? AND status <> 'draft' ORDER BY created_at DESC LIMIT ?",
        )
        .all(cf, limit) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** How many requests (not drafts) each codice fiscale has, and the newest one's creation. */
  clientStats(cfs: string[]): Map<string, { count: number; lastAt: number }> {
    const out = new Map<string, { count: number; lastAt: number }>();
    if (!cfs.length) return out;
    const rows = this.s.db
      .prepare(
        `SELECT client_cf AS cf, count(*) AS n, max(created_at) AS last FROM requests
         WHERE client_cf IN (${cfs.map(() => '?').join(', ')}) AND status <> 'draft' GROUP BY client_cf`,
      )
      .all(...cfs) as { cf: string; n: number; last: number }[];
    for (const r of rows) out.set(r.cf, { count: r.n, lastAt: r.last });
    return out;
  }

  /** The client's latest request whose personal data is still here: what a new request copies. */
  lastByClient(cf: string): RequestRow | null {
    const raw = this.s
      .prepare(
        `SELECT * FROM requests WHERE client_cf = ? AND status <> 'draft' AND purged_at IS NULL
       ORDER BY created_at DESC LIMIT 1`,
      )
      .get(cf) as Record<string, unknown> | undefined;
    return raw ? decodeRow(raw) : null;
  }

  /**
   * Requests of the same client and service created since `since` and sent (or being sent), other
   * than `exceptId`: what the duplicate guard asks (index requests_duplicates, migration 004).
   */
  sameClientAndService(
    environment: Environment,
    cf: string,
    serviceHash: string,
    since: number,
    exceptId: string,
  ): RequestRow[] {
    return (
      this.s
        .prepare(
          `SELECT * FROM requests INDEXED BY requests_duplicates
         WHERE client_cf = ? AND service_hash = ? AND created_at >= ? AND id <> ? AND environment = ?
           AND status IN ('sending', 'open', 'pending', 'done')
         ORDER BY created_at DESC`,
        )
        .all(cf, serviceHash, since, exceptId, environment) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /**
   * What a counter's log says it was charged in an environment since `since` (ms): the charged price
   * of each request it sent since then, and how many of its requests are being sent right now (their
   * charge may already be counted by the service and not yet here). Index requests_counter.
   */
  spentAt(environment: Environment, counter: string, since: number): { charged: number[]; sending: number } {
    const charged = this.s
      .prepare(
        `SELECT charged_price FROM requests
         WHERE counter = ? AND environment = ? AND submitted_at >= ? AND charged_price IS NOT NULL
         ORDER BY submitted_at`,
      )
      .pluck()
      .all(counter, environment, since) as number[];
    const sending = this.s
      .prepare(`SELECT count(*) FROM requests WHERE counter = ? AND environment = ? AND status = 'sending'`)
      .pluck()
      .get(counter, environment) as number;
    return { charged, sending };
  }

  byStatus(statuses: readonly RequestStatus[]): RequestRow[] {
    return (
      this.s
        .prepare(
          `SELECT * FROM requests WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY created_at`,
        )
        .all(...statuses) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Rows the clerk must act on: the lifecycle's `needsAttention`, as the partial index names them. */
  attention(limit: number): RequestRow[] {
    return (
      this.s
        .prepare(`SELECT * FROM requests WHERE ${ATTENTION_SQL} ORDER BY updated_at DESC LIMIT ?`)
        .all(limit) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Done requests still without their documents (never downloaded, or failed), oldest first. */
  documentsDue(): string[] {
    return this.s
      .prepare(
        `SELECT id FROM requests INDEXED BY requests_documents_due
       WHERE status = 'done' AND documents_state <> 'ready' AND purged_at IS NULL ORDER BY created_at`,
      )
      .pluck()
      .all() as string[];
  }

  recent(status: RequestStatus, limit: number, completedSince?: number): RequestRow[] {
    const sql =
      completedSince === undefined
        ? 'SELECT * FROM requests WHERE status = ? ORDER BY created_at DESC LIMIT ?'
        : 'SELECT * FROM requests WHERE status = ? AND completed_at >= ? ORDER BY completed_at DESC LIMIT ?';
    const params = completedSince === undefined ? [status, limit] : [status, completedSince, limit];
    return (this.s.prepare(sql).all(...params) as Record<string, unknown>[]).map(decodeRow);
  }

  /** Requests being processed whose next check is due (TRACKED: the ones the tracker follows). */
  duePolls(now: number): RequestRow[] {
    return (
      this.s
        .prepare(
          `SELECT * FROM requests INDEXED BY requests_tracked
         WHERE ${TRACKED_SQL} AND (next_poll_at IS NULL OR next_poll_at <= ?) ORDER BY next_poll_at`,
        )
        .all(now) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Every request the tracker follows. */
  tracked(): RequestRow[] {
    return (
      this.s
        .prepare(
          `SELECT * FROM requests INDEXED BY requests_tracked WHERE ${TRACKED_SQL} ORDER BY created_at`,
        )
        .all() as Record<string, unknown>[]
    ).map(decodeRow);
  }

  nextPollAt(): number | null {
    const row = this.s
      .prepare(
        `SELECT min(coalesce(next_poll_at, 0)) AS at FROM requests INDEXED BY requests_tracked WHERE ${TRACKED_SQL}`,
      )
      .get() as {
      at: number | null;
    };
    return row.at;
  }

  /**
   * The counters and operators of the log (drafts too), each sorted byte-wise, '' left out: the
   * list's filter choices. Read from the index requests_counter alone (migration 008).
   */
  choices(): RequestChoices {
    const pairs = this.s
      .prepare('SELECT DISTINCT counter, operator FROM requests INDEXED BY requests_counter')
      .raw()
      .all() as [string, string][];
    return choicesOf(pairs);
  }

  search(filter: RegisterFilter): { rows: RequestRow[]; total: number } {
    // Each condition with its own parameters: the SQL and its values cannot drift apart.
    const conditions: { sql: string; params: readonly unknown[] }[] = [];
    const where = (sql: string, ...params: unknown[]) => conditions.push({ sql, params });
    const text = filter.text?.trim().toLowerCase();
    const words = text ? text.split(/\s+/).slice(0, 5) : [];
    const trigrams = words.flatMap(coveringTrigrams);
    // With a word of 3 characters or more, the trigram index (migration 003) drives: it names the
    // rows of the date range holding some trigrams of every word (folding case more widely than
    // LIKE: a superset), and only those rows are read and checked with the LIKE below. Its
    // conditions come first, so that SQLite starts from the index.
    const from = trigrams.length
      ? `requests_text CROSS JOIN requests r ON r.rowid = (requests_text.rowid & ${TEXT_KEY_ROWID_BITS - 1})`
      : 'requests r';
    if (trigrams.length) {
      where('requests_text MATCH ?', trigrams.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND '));
      if (filter.from !== undefined) where(`requests_text.rowid >= ${textKey('?')}`, filter.from);
      if (filter.to !== undefined)
        where(`requests_text.rowid < ${textKey('?')} + ${TEXT_KEY_ROWID_BITS}`, filter.to);
    }
    // Every request by default, drafts too: a draft is a pratica the clerk may be looking for.
    if (filter.statuses?.length)
      where(`r.status IN (${filter.statuses.map(() => '?').join(', ')})`, ...filter.statuses);
    if (filter.states?.length) where(statesCondition(filter.states, 'sqlite', (c) => `r.${c}`));
    if (filter.environment) where('r.environment = ?', filter.environment);
    if (filter.from !== undefined) where('r.created_at >= ?', filter.from);
    if (filter.to !== undefined) where('r.created_at <= ?', filter.to);
    if (filter.counter !== undefined) where('r.counter = ?', filter.counter);
    if (filter.operator !== undefined) where('r.operator = ?', filter.operator);
    // A word holds no space, so it matches the joined "cognome nome cf servizio id" exactly when it
    // matches one of them; LIKE folds ASCII case as lower() did. Column by column, the test reads
    // the covering index (requests_search) when there is no trigram to look for.
    for (const word of words) {
      where(
        `(${TEXT_COLUMNS.map((c) => `r.${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`,
        ...TEXT_COLUMNS.map(() => `%${likeEscape(word)}%`),
      );
    }
    const params = conditions.flatMap((c) => c.params);
    const whereSql = conditions.map((c) => c.sql).join(' AND ') || '1';
    const order = `${SORT_SQL[filter.sortBy ?? 'createdAt']} ${filter.sortDir === 'asc' ? 'ASC' : 'DESC'}, r.id`;
    const limit = filter.limit ?? 100;
    const offset = filter.offset ?? 0;
    // The page's ids first (from an index), then only those rows: sorting whole rows of every
    // match is what made a large log slow. With words to look for, the matches are few: one pass
    // finds them, counts them (the window) and sorts them. Without, LIMIT stops the sort at the
    // page and a separate count walks the index.
    const page = this.s
      .prepare(
        `SELECT r.id${text ? ', count(*) OVER () AS n' : ''} FROM ${from} WHERE ${whereSql}
       ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .raw()
      .all(...params, limit, offset) as [string, number?][];
    const ids = page.map((p) => p[0]);
    const byId = new Map(
      ids.length
        ? (
            this.s
              .prepare(`SELECT * FROM requests WHERE id IN (${ids.map(() => '?').join(', ')})`)
              .all(...ids) as Record<string, unknown>[]
          ).map((raw) => [raw.id as string, raw])
        : [],
    );
    const rows = ids.flatMap((id) => {
      const raw = byId.get(id);
      return raw ? [decodeRow(raw)] : [];
    });
    const counted = page[0]?.[1];
    const total =
      counted ??
      (text && offset === 0
        ? 0
        : (
            this.s.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${whereSql}`).get(...params) as {
              n: number;
            }
          ).n);
    return { rows, total };
  }

  // --- retention ------------------------------------------------------------------------------

  /** Drafts that reached the API (a remote id) and were sent back, untouched since `before`. */
  staleRemoteDrafts(before: number): RequestRow[] {
    return (
      this.s
        .prepare(
          `SELECT * FROM requests WHERE status = 'draft' AND remote_id IS NOT NULL AND purged_at IS NULL
           AND updated_at < ?`,
        )
        .all(before) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Finished requests older than `before` whose personal data is still here (index: migration 003). */
  purgeable(before: number): RequestRow[] {
    return (
      this.s
        .prepare(
          `SELECT * FROM requests INDEXED BY requests_purgeable
         WHERE purged_at IS NULL AND status IN ('done', 'cancelled') AND coalesce(completed_at, created_at) < ?`,
        )
        .all(before) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Marks a request purged (its personal data goes by Store.purge, with the other tables'). */
  markPurged(id: string, patch: RequestPatch = {}): void {
    this.update(id, { ...patch, purgedAt: this.now() });
  }
}
