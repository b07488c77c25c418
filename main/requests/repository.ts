import type { Database, Statement } from 'better-sqlite3';
import type { Environment } from '../../common/environments.ts';
import type { AppErrorData } from '../../common/errors.ts';
import type {
  AttachmentInfo,
  EventKind,
  SubmissionCandidate,
  OutputDocument,
  Quote,
  RequestFilter,
  RequestStatus,
  SearchState,
} from '../../common/requests.ts';
import { TEXT_KEY_ROWID_BITS, textKey } from '../db/text-key.ts';
import { PHASE_NAMES } from '../engine/engine.ts';
import { ATTENTION_SQL } from './lifecycle.ts';
import { purgeStatements, scrubTrail } from './personal-data.ts';

/** One row of `requests`, as the services see it. */
export interface RequestRow {
  id: string;
  environment: Environment;
  remoteId: string | null;
  serviceHash: string;
  serviceName: string;
  clientNome: string | null;
  clientCognome: string | null;
  clientCf: string | null;
  clientEmail: string | null;
  clientPhone: string | null;
  fields: Record<string, string>;
  options: string[];
  /** The last price check (test:true), bound to `quoteFingerprint`. */
  quote: Quote | null;
  quoteFingerprint: string | null;
  confirmedPrice: number | null;
  chargedPrice: number | null;
  status: RequestStatus;
  submitIntent: boolean;
  attemptStartedAt: number | null;
  /** When the last uncertain POST attempt ended: nothing is concluded from the list before it settles. */
  attemptEndedAt: number | null;
  /** The candidates the clerk must choose from after an undecidable POST; null otherwise. */
  candidates: SubmissionCandidate[] | null;
  /** The outputs the service listed when last read (`allegati`). */
  allegati: string[] | null;
  remoteState: string | null;
  remoteEsito: { codice: string; info: string } | null;
  search: SearchState | null;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  completedAt: number | null;
  nextPollAt: number | null;
  pollCount: number;
  documentsState: 'none' | 'ready' | 'failed';
  archiveFolder: string | null;
  lastError: AppErrorData | null;
  operator: string;
  purgedAt: number | null;
  /** "Invia i documenti anche al cliente": the POST carries the client's email as email_target. */
  sendToClient: boolean;
  /** Values a draft took from the client's last request (migration 004), by key. */
  prefilled: Record<string, string> | null;
}

type Column = { column: string; encode?: (v: never) => unknown; decode?: (v: never) => unknown };

const json = {
  encode: (v: unknown) => (v === null ? null : JSON.stringify(v)),
  decode: (v: string | null) => (v === null ? null : (JSON.parse(v) as unknown)),
};
const bool = { encode: (v: boolean) => (v ? 1 : 0), decode: (v: number) => v === 1 };

const COLUMNS: Record<keyof RequestRow, Column> = {
  id: { column: 'id' },
  environment: { column: 'environment' },
  remoteId: { column: 'remote_id' },
  serviceHash: { column: 'service_hash' },
  serviceName: { column: 'service_name' },
  clientNome: { column: 'client_nome' },
  clientCognome: { column: 'client_cognome' },
  clientCf: { column: 'client_cf' },
  clientEmail: { column: 'client_email' },
  clientPhone: { column: 'client_phone' },
  fields: { column: 'fields_json', ...json },
  options: { column: 'options_json', ...json },
  quote: { column: 'quote_json', ...json },
  quoteFingerprint: { column: 'quote_fingerprint' },
  confirmedPrice: { column: 'confirmed_price' },
  chargedPrice: { column: 'charged_price' },
  status: { column: 'status' },
  submitIntent: { column: 'submit_intent', ...bool },
  attemptStartedAt: { column: 'attempt_started_at' },
  attemptEndedAt: { column: 'attempt_ended_at' },
  candidates: { column: 'candidates_json', ...json },
  allegati: { column: 'allegati_json', ...json },
  remoteState: { column: 'remote_state' },
  remoteEsito: { column: 'remote_esito', ...json },
  search: { column: 'search_json', ...json },
  createdAt: { column: 'created_at' },
  updatedAt: { column: 'updated_at' },
  submittedAt: { column: 'submitted_at' },
  completedAt: { column: 'completed_at' },
  nextPollAt: { column: 'next_poll_at' },
  pollCount: { column: 'poll_count' },
  documentsState: { column: 'documents_state' },
  archiveFolder: { column: 'archive_folder' },
  lastError: { column: 'last_error', ...json },
  operator: { column: 'operator' },
  purgedAt: { column: 'purged_at' },
  sendToClient: { column: 'send_to_client', ...bool },
  prefilled: { column: 'prefilled_json', ...json },
};

const PROPS = Object.keys(COLUMNS) as (keyof RequestRow)[];

function encode(prop: keyof RequestRow, value: unknown): unknown {
  const c = COLUMNS[prop];
  return c.encode ? (c.encode as (v: unknown) => unknown)(value) : value;
}

function decodeRow(raw: Record<string, unknown>): RequestRow {
  const row: Record<string, unknown> = {};
  for (const prop of PROPS) {
    const c = COLUMNS[prop];
    const value = raw[c.column];
    row[prop] = c.decode ? (c.decode as (v: unknown) => unknown)(value) : value;
  }
  return row as unknown as RequestRow;
}

export interface AttachmentRow extends Omit<AttachmentInfo, 'thumbnail' | 'available'> {
  requestId: string;
  storedPath: string | null;
  createdAt: number;
}

export interface DocumentRow extends Omit<OutputDocument, 'available'> {
  requestId: string;
  sha256: string;
  createdAt: number;
  removedAt: number | null;
}

export interface EventRow {
  kind: string;
  at: number;
  operator: string;
  data: Record<string, unknown> | null;
}

/**
 * The requests the tracker follows: those being processed, and done ones still at "Dati
 * disponibili" — "Visura evasa" may add outputs (VISENGINE.md).
 */
const TRACKED = `(status = 'pending' OR (status = 'done' AND remote_state = '${PHASE_NAMES.outputs_partial}'))`;

/** The columns the list's text filter looks into. */
const TEXT_COLUMNS = ['client_cognome', 'client_nome', 'client_cf', 'service_name', 'remote_id'] as const;

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

const SORT_SQL: Record<NonNullable<RequestFilter['sortBy']>, string> = {
  createdAt: 'r.created_at',
  serviceName: 'r.service_name COLLATE NOCASE',
  clientName: "coalesce(r.client_cognome, '') || ' ' || coalesce(r.client_nome, '') COLLATE NOCASE",
  status: 'r.status',
  chargedPrice: 'coalesce(r.charged_price, r.confirmed_price, 0)',
};

/** Every SQL statement on requests, events, attachments and documents. */
export class RequestRepository {
  private readonly db: Database;
  private readonly now: () => number;
  private readonly statements = new Map<string, Statement>();

  constructor(db: Database, now: () => number) {
    this.db = db;
    this.now = now;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insert(row: RequestRow): void {
    const cols = PROPS.map((p) => COLUMNS[p].column);
    this.prepare(`INSERT INTO requests (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...PROPS.map((p) => encode(p, row[p])),
    );
  }

  get(id: string): RequestRow | null {
    const raw = this.prepare('SELECT * FROM requests WHERE id = ?').get(id) as
      Record<string, unknown> | undefined;
    return raw ? decodeRow(raw) : null;
  }

  findByRemoteId(environment: Environment, remoteId: string): RequestRow | null {
    const raw = this.prepare('SELECT * FROM requests WHERE environment = ? AND remote_id = ?').get(
      environment,
      remoteId,
    ) as Record<string, unknown> | undefined;
    return raw ? decodeRow(raw) : null;
  }

  /** Updates the given properties (and updated_at). Returns false when the row is gone. */
  update(id: string, patch: Partial<Omit<RequestRow, 'id' | 'createdAt'>>): boolean {
    return this.updateWhere(id, null, patch);
  }

  /**
   * Compare-and-set on the status: updates only if the row is in one of `from`. This is the lock
   * that keeps two clicks, two windows or a restart from submitting the same request twice.
   */
  transition(
    id: string,
    from: readonly RequestStatus[],
    patch: Partial<Omit<RequestRow, 'id' | 'createdAt'>>,
  ): boolean {
    return this.updateWhere(id, from, patch);
  }

  private updateWhere(
    id: string,
    from: readonly RequestStatus[] | null,
    patch: Partial<Omit<RequestRow, 'id' | 'createdAt'>>,
  ): boolean {
    const entries = Object.entries({ updatedAt: this.now(), ...patch }) as [keyof RequestRow, unknown][];
    const sets = entries.map(([p]) => `${COLUMNS[p].column} = ?`).join(', ');
    const where = from ? ` AND status IN (${from.map(() => '?').join(', ')})` : '';
    const result = this.prepare(`UPDATE requests SET ${sets} WHERE id = ?${where}`).run(
      ...entries.map(([p, v]) => encode(p, v)),
      id,
      ...(from ?? []),
    );
    return result.changes === 1;
  }

  /** Drafts are deleted outright; requests that reached the API are kept (purged instead). */
  deleteDraft(id: string): void {
    this.transaction(() => {
      this.prepare('DELETE FROM attachments WHERE request_id = ?').run(id);
      this.prepare("DELETE FROM requests WHERE id = ? AND status = 'draft' AND remote_id IS NULL").run(id);
    });
  }

  /** Requests a crash or an outage left mid-way with the clerk's intent to send: what start resumes. */
  unfinishedSubmissions(): RequestRow[] {
    return (
      this.prepare(
        "SELECT * FROM requests WHERE status = 'sending' OR (status = 'open' AND submit_intent = 1) ORDER BY created_at",
      ).all() as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** A client's requests (not drafts), newest first: the client view (index requests_cf). */
  byClient(cf: string, limit = 500): RequestRow[] {
    return (
      this.prepare(
        "SELECT * FROM requests WHERE client_cf = ? AND status <> 'draft' ORDER BY created_at DESC LIMIT ?",
      ).all(cf, limit) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** How many requests (not drafts) each codice fiscale has, and the newest one's creation. */
  clientStats(cfs: string[]): Map<string, { count: number; lastAt: number }> {
    const out = new Map<string, { count: number; lastAt: number }>();
    if (!cfs.length) return out;
    const rows = this.db
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
    const raw = this.prepare(
      `SELECT * FROM requests WHERE client_cf = ? AND status <> 'draft' AND purged_at IS NULL
       ORDER BY created_at DESC LIMIT 1`,
    ).get(cf) as Record<string, unknown> | undefined;
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
      this.prepare(
        `SELECT * FROM requests INDEXED BY requests_duplicates
         WHERE client_cf = ? AND service_hash = ? AND created_at >= ? AND id <> ? AND environment = ?
           AND status IN ('sending', 'open', 'pending', 'done')
         ORDER BY created_at DESC`,
      ).all(cf, serviceHash, since, exceptId, environment) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  byStatus(statuses: readonly RequestStatus[]): RequestRow[] {
    return (
      this.prepare(
        `SELECT * FROM requests WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY created_at`,
      ).all(...statuses) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Rows the clerk must act on: the lifecycle's `needsAttention`, as the partial index names them. */
  attention(limit: number): RequestRow[] {
    return (
      this.prepare(`SELECT * FROM requests WHERE ${ATTENTION_SQL} ORDER BY updated_at DESC LIMIT ?`).all(
        limit,
      ) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Done requests still without their documents (never downloaded, or failed), oldest first. */
  documentsDue(): string[] {
    return this.prepare(
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
    return (this.prepare(sql).all(...params) as Record<string, unknown>[]).map(decodeRow);
  }

  /** Requests being processed whose next check is due (TRACKED: the ones the tracker follows). */
  duePolls(now: number): RequestRow[] {
    return (
      this.prepare(
        `SELECT * FROM requests WHERE ${TRACKED} AND (next_poll_at IS NULL OR next_poll_at <= ?) ORDER BY next_poll_at`,
      ).all(now) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Every request the tracker follows. */
  tracked(): RequestRow[] {
    return (
      this.prepare(`SELECT * FROM requests WHERE ${TRACKED} ORDER BY created_at`).all() as Record<
        string,
        unknown
      >[]
    ).map(decodeRow);
  }

  nextPollAt(): number | null {
    const row = this.prepare(
      `SELECT min(coalesce(next_poll_at, 0)) AS at FROM requests WHERE ${TRACKED}`,
    ).get() as {
      at: number | null;
    };
    return row.at;
  }

  search(filter: RequestFilter): { rows: RequestRow[]; total: number; documentCounts: Map<string, number> } {
    const where: string[] = [];
    const params: unknown[] = [];
    const statuses = filter.statuses?.length
      ? filter.statuses
      : (['sending', 'open', 'pending', 'done', 'cancelled'] as const);
    where.push(`r.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
    if (filter.environment) {
      where.push('r.environment = ?');
      params.push(filter.environment);
    }
    if (filter.from !== undefined) {
      where.push('r.created_at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('r.created_at <= ?');
      params.push(filter.to);
    }
    const text = filter.text?.trim().toLowerCase();
    // With a word of 3 characters or more, the trigram index (migration 003) drives: it names the
    // rows of the date range holding some trigrams of every word (folding case more widely than
    // LIKE: a superset), and only those rows are read and checked with the LIKE below.
    let from = 'requests r';
    const head: string[] = [];
    const headParams: unknown[] = [];
    if (text) {
      // A word holds no space, so it matches the joined "cognome nome cf servizio id" exactly when
      // it matches one of them; LIKE folds ASCII case as lower() did. Column by column, the test
      // reads the covering index (requests_search) when there is no trigram to look for.
      const words = text.split(/\s+/).slice(0, 5);
      const trigrams = words.flatMap(coveringTrigrams);
      if (trigrams.length) {
        from = `requests_text CROSS JOIN requests r ON r.rowid = (requests_text.rowid & ${TEXT_KEY_ROWID_BITS - 1})`;
        head.push('requests_text MATCH ?');
        headParams.push(trigrams.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND '));
        if (filter.from !== undefined) {
          head.push(`requests_text.rowid >= ${textKey('?')}`);
          headParams.push(filter.from);
        }
        if (filter.to !== undefined) {
          head.push(`requests_text.rowid < ${textKey('?')} + ${TEXT_KEY_ROWID_BITS}`);
          headParams.push(filter.to);
        }
      }
      for (const word of words) {
        where.push(`(${TEXT_COLUMNS.map((c) => `r.${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
        params.push(...TEXT_COLUMNS.map(() => `%${likeEscape(word)}%`));
      }
    }
    where.unshift(...head);
    params.unshift(...headParams);
    const whereSql = where.join(' AND ');
    const order = `${SORT_SQL[filter.sortBy ?? 'createdAt']} ${filter.sortDir === 'asc' ? 'ASC' : 'DESC'}, r.id`;
    const limit = filter.limit ?? 100;
    const offset = filter.offset ?? 0;
    // The page's ids first (from an index), then only those rows: sorting whole rows of every
    // match is what made a large log slow. With words to look for, the matches are few: one pass
    // finds them, counts them (the window) and sorts them. Without, LIMIT stops the sort at the
    // page and a separate count walks the index.
    const page = this.prepare(
      `SELECT r.id${text ? ', count(*) OVER () AS n' : ''} FROM ${from} WHERE ${whereSql}
       ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
      .raw()
      .all(...params, limit, offset) as [string, number?][];
    const ids = page.map((p) => p[0]);
    const byId = new Map(
      ids.length
        ? (
            this.prepare(`SELECT * FROM requests WHERE id IN (${ids.map(() => '?').join(', ')})`).all(
              ...ids,
            ) as Record<string, unknown>[]
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
            this.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${whereSql}`).get(...params) as {
              n: number;
            }
          ).n);
    return { rows, total, documentCounts: this.documentCounts(rows.map((r) => r.id)) };
  }

  documentCounts(ids: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    if (!ids.length) return counts;
    const rows = this.db
      .prepare(
        `SELECT request_id, count(*) AS n FROM documents WHERE removed_at IS NULL AND request_id IN (${ids.map(() => '?').join(', ')}) GROUP BY request_id`,
      )
      .all(...ids) as { request_id: string; n: number }[];
    for (const r of rows) counts.set(r.request_id, r.n);
    return counts;
  }

  // --- events ---------------------------------------------------------------------------------

  addEvent(
    requestId: string | null,
    kind: EventKind,
    operator: string,
    data?: Record<string, unknown>,
  ): void {
    this.prepare('INSERT INTO events (request_id, kind, at, operator, data_json) VALUES (?, ?, ?, ?, ?)').run(
      requestId,
      kind,
      this.now(),
      operator,
      data ? JSON.stringify(data) : null,
    );
  }

  /** The trail's events of one kind for a request, oldest first. */
  eventsOfKind(requestId: string, kind: EventKind): EventRow[] {
    return this.events(requestId).filter((e) => e.kind === kind);
  }

  events(requestId: string): EventRow[] {
    return (
      this.prepare('SELECT kind, at, operator, data_json FROM events WHERE request_id = ? ORDER BY id').all(
        requestId,
      ) as {
        kind: string;
        at: number;
        operator: string;
        data_json: string | null;
      }[]
    ).map((e) => ({
      kind: e.kind,
      at: e.at,
      operator: e.operator,
      data: e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : null,
    }));
  }

  // --- attachments ----------------------------------------------------------------------------

  insertAttachment(a: AttachmentRow): void {
    this.prepare(
      `INSERT INTO attachments (id, request_id, field_key, position, file_name, source_kind, mime, size, pages, sha256, stored_path, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      a.id,
      a.requestId,
      a.fieldKey,
      a.position,
      a.fileName,
      a.sourceKind,
      a.mime,
      a.size,
      a.pages,
      a.sha256,
      a.storedPath,
      a.createdAt,
    );
  }

  attachments(requestId: string): AttachmentRow[] {
    return (
      this.prepare('SELECT * FROM attachments WHERE request_id = ? ORDER BY field_key, position').all(
        requestId,
      ) as Record<string, unknown>[]
    ).map((r) => ({
      id: r.id as string,
      requestId: r.request_id as string,
      fieldKey: r.field_key as string,
      position: r.position as number,
      fileName: r.file_name as string,
      sourceKind: r.source_kind as string,
      mime: r.mime as string,
      size: r.size as number,
      pages: r.pages as number,
      sha256: r.sha256 as string,
      storedPath: r.stored_path as string | null,
      createdAt: r.created_at as number,
    }));
  }

  deleteAttachment(requestId: string, id: string): void {
    this.prepare('DELETE FROM attachments WHERE request_id = ? AND id = ?').run(requestId, id);
  }

  setAttachmentField(id: string, fieldKey: string, position: number): void {
    this.prepare('UPDATE attachments SET field_key = ?, position = ? WHERE id = ?').run(
      fieldKey,
      position,
      id,
    );
  }

  setAttachmentPosition(id: string, position: number): void {
    this.prepare('UPDATE attachments SET position = ? WHERE id = ?').run(position, id);
  }

  /** After acceptance: the metadata stays, the scans are gone. */
  forgetAttachmentFiles(requestId: string): void {
    this.prepare('UPDATE attachments SET stored_path = NULL WHERE request_id = ?').run(requestId);
  }

  // --- documents ------------------------------------------------------------------------------

  replaceDocuments(
    requestId: string,
    docs: Omit<DocumentRow, 'requestId' | 'createdAt' | 'removedAt'>[],
  ): void {
    this.transaction(() => {
      this.prepare('UPDATE documents SET removed_at = ? WHERE request_id = ? AND removed_at IS NULL').run(
        this.now(),
        requestId,
      );
      const insert = this.prepare(
        'INSERT INTO documents (id, request_id, file_name, path, kind, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const d of docs)
        insert.run(d.id, requestId, d.fileName, d.path, d.kind, d.size, d.sha256, this.now());
    });
  }

  documents(requestId: string): DocumentRow[] {
    return this.documentsWhere('request_id = ? AND removed_at IS NULL ORDER BY file_name', requestId);
  }

  document(id: string): DocumentRow | null {
    return this.documentsWhere('id = ?', id)[0] ?? null;
  }

  /** Files of purged requests that no live record shares: what an interrupted purge may have left. */
  purgedDocumentPaths(): string[] {
    return (
      this.prepare(
        `SELECT DISTINCT d.path FROM documents d JOIN requests r ON r.id = d.request_id
         WHERE r.purged_at IS NOT NULL AND d.removed_at IS NOT NULL AND d.path != ''
           AND NOT EXISTS (SELECT 1 FROM documents l WHERE l.path = d.path AND l.removed_at IS NULL)`,
      ).all() as { path: string }[]
    ).map((r) => r.path);
  }

  /**
   * Once their files are gone, purged requests' document paths go too: the folder names carry the
   * client's name and codice fiscale. File names, sizes and hashes stay for the trail.
   */
  forgetPurgedDocumentPaths(): void {
    this.prepare(
      `UPDATE documents SET path = '' WHERE path != '' AND removed_at IS NOT NULL
         AND request_id IN (SELECT id FROM requests WHERE purged_at IS NOT NULL)`,
    ).run();
  }

  markDocumentsRemoved(requestId: string): void {
    this.prepare('UPDATE documents SET removed_at = ? WHERE request_id = ? AND removed_at IS NULL').run(
      this.now(),
      requestId,
    );
  }

  private documentsWhere(sql: string, ...params: unknown[]): DocumentRow[] {
    return (
      this.prepare(`SELECT * FROM documents WHERE ${sql}`).all(...params) as Record<string, unknown>[]
    ).map((r) => ({
      id: r.id as string,
      requestId: r.request_id as string,
      fileName: r.file_name as string,
      path: r.path as string,
      kind: r.kind as string,
      size: r.size as number,
      sha256: r.sha256 as string,
      createdAt: r.created_at as number,
      removedAt: r.removed_at as number | null,
    }));
  }

  // --- retention ------------------------------------------------------------------------------

  /**
   * Removes a request's personal data, as personal-data.ts decides column by column, and marks it
   * purged; its documents are marked removed (their paths go once the files are: see
   * forgetPurgedDocumentPaths). Call inside a transaction with the trail's 'purged' event.
   */
  purge(id: string, patch: Partial<Omit<RequestRow, 'id' | 'createdAt'>> = {}): void {
    this.transaction(() => {
      this.markDocumentsRemoved(id);
      this.update(id, { ...patch, purgedAt: this.now() });
      for (const sql of purgeStatements()) this.prepare(sql).run(id);
      const events = this.prepare('SELECT id, data_json FROM events WHERE request_id = ?').all(id) as {
        id: number;
        data_json: string | null;
      }[];
      const scrub = this.prepare('UPDATE events SET data_json = ? WHERE id = ?');
      for (const event of events) {
        const kept = scrubTrail(event.data_json);
        if (kept !== event.data_json) scrub.run(kept, event.id);
      }
    });
  }

  /**
   * After purges: merges the search index (its old entries still hold the purged names' trigrams)
   * and checkpoints the WAL into the file, truncating it (it still holds the old pages).
   */
  compactAfterPurge(): void {
    this.prepare("INSERT INTO requests_text (requests_text) VALUES ('optimize')").run();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Drafts that reached the API (a remote id) and were sent back, untouched since `before`. */
  staleRemoteDrafts(before: number): RequestRow[] {
    return (
      this.prepare(
        `SELECT * FROM requests WHERE status = 'draft' AND remote_id IS NOT NULL AND purged_at IS NULL
           AND updated_at < ?`,
      ).all(before) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  /** Finished requests older than `before` whose personal data is still here (index: migration 003). */
  purgeable(before: number): RequestRow[] {
    return (
      this.prepare(
        `SELECT * FROM requests INDEXED BY requests_purgeable
         WHERE purged_at IS NULL AND status IN ('done', 'cancelled') AND coalesce(completed_at, created_at) < ?`,
      ).all(before) as Record<string, unknown>[]
    ).map(decodeRow);
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
