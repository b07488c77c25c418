/*
 * Moving a counter's log between its SQLite file and the office's PostgreSQL register: into the
 * office when the counter joins it, back into the file when it leaves (a local copy of the office's
 * register as it was). Both registers have the same tables and columns (the migrations hold them
 * equal), so a row moves column by column.
 *
 * Every batch is one statement (PostgreSQL) or one transaction (SQLite) that writes a row only if
 * the other side does not hold it yet: a move run twice copies nothing twice, and a move cut by a
 * crash is finished by running it again. Events have no natural key (each register numbers its
 * own): an event's key is its `origin`, `<register id>:<event id>` in the register that first
 * wrote it (migrations 009 / PostgreSQL 007).
 */
import type { Database } from 'better-sqlite3';
import type pg from 'pg';

/** How a row already on the other side is treated. */
type Merge =
  /** A row that never changes once written (or a cache): the one there stays. */
  | 'keep'
  /** A row that moves on (a request, a remote request): the one updated last wins. */
  | 'newer'
  /** Removal marks only ever get set: the other side's mark is added where missing. */
  | 'removal'
  /** A consent: its key is the client and the time it was granted; a revocation is added. */
  | 'consent'
  /** An event: its key is its origin. */
  | 'event'
  /**
   * A counter of numbers given (the pratica numbers' last one, per prefix and year): the larger
   * stays, so that no number given after the move repeats one given before it on either side.
   */
  | 'counter';

interface Table {
  name: string;
  /** The primary key, for reading in batches and as the conflict's target. */
  key: string[];
  merge: Merge;
}

/** In dependency order: a request before its attachments and documents. */
const TABLES: readonly Table[] = [
  { name: 'requests', key: ['id'], merge: 'newer' },
  { name: 'attachments', key: ['id'], merge: 'keep' },
  { name: 'documents', key: ['id'], merge: 'removal' },
  { name: 'events', key: ['id'], merge: 'event' },
  { name: 'remote_requests', key: ['environment', 'remote_id'], merge: 'newer' },
  { name: 'wallet_transactions', key: ['environment', 'id'], merge: 'keep' },
  { name: 'account_requests', key: ['environment', 'remote_id'], merge: 'newer' },
  { name: 'client_consents', key: ['id'], merge: 'consent' },
  // Documents on file with their keys' grants: whoever held them here holds them there.
  { name: 'counter_keys', key: ['counter_id'], merge: 'newer' },
  { name: 'document_keys', key: ['id'], merge: 'keep' },
  { name: 'document_key_grants', key: ['key_id', 'counter_id'], merge: 'keep' },
  { name: 'client_files', key: ['id'], merge: 'keep' },
  { name: 'sealing_key', key: ['id'], merge: 'keep' },
  { name: 'catalog_services', key: ['environment', 'hash'], merge: 'keep' },
  { name: 'catalog_details', key: ['environment', 'hash'], merge: 'keep' },
  { name: 'catalog_meta', key: ['environment'], merge: 'keep' },
  { name: 'pratica_numbers', key: ['prefix', 'year'], merge: 'counter' },
];

/** The tables a move copies, in the order it copies them. */
export const MOVED_TABLES: readonly string[] = TABLES.map((t) => t.name);

type Row = Record<string, unknown>;

export interface MoveOptions {
  /** Rows per batch (default 500). */
  batch?: number;
  /** After each batch is written (tests watch the progress, and crash in the middle of it). */
  onBatch?: (table: string, rows: number) => void | Promise<void>;
}

/** Rows read and rows written, per table. */
export type MoveReport = Record<string, { read: number; written: number }>;

/** One side of a move. */
interface Side {
  registerId(): Promise<string>;
  columns(table: string): string[];
  read(table: Table, after: unknown[] | null, limit: number): Promise<Row[]>;
  write(table: Table, columns: string[], rows: Row[]): Promise<number>;
}

/** Copies the counter's SQLite log into the office's register; safe to run again, or after a crash. */
export function moveIntoOffice(
  local: Database,
  office: pg.Pool,
  options: MoveOptions = {},
): Promise<MoveReport> {
  const sqlite = sqliteSide(local);
  return copy(
    sqlite,
    postgresSide(office, (table) => sqlite.columns(table)),
    options,
  );
}

/** Copies the office's register into the counter's SQLite file (leaving the office); safe to run again. */
export function copyBackFromOffice(
  office: pg.Pool,
  local: Database,
  options: MoveOptions = {},
): Promise<MoveReport> {
  const sqlite = sqliteSide(local);
  return copy(
    postgresSide(office, (table) => sqlite.columns(table)),
    sqlite,
    options,
  );
}

async function copy(from: Side, to: Side, options: MoveOptions): Promise<MoveReport> {
  const limit = options.batch ?? 500;
  const source = await from.registerId();
  const target = await to.registerId();
  const report: MoveReport = {};
  for (const table of TABLES) {
    const columns = from.columns(table.name);
    const counts = { read: 0, written: 0 };
    report[table.name] = counts;
    let after: unknown[] | null = null;
    for (;;) {
      const rows = await from.read(table, after, limit);
      if (rows.length === 0) break;
      after = table.key.map((k) => rows.at(-1)![k]);
      counts.read += rows.length;
      const batch = table.merge === 'event' ? events(rows, source, target) : rows;
      if (batch.length) counts.written += await to.write(table, columns, batch);
      await options.onBatch?.(table.name, rows.length);
      if (rows.length < limit) break;
    }
  }
  return report;
}

/**
 * The events to write on the other side, each with its origin; an event first written there (its
 * origin names the target register) is there already.
 */
function events(rows: Row[], source: string, target: string): Row[] {
  const out: Row[] = [];
  for (const row of rows) {
    const origin = (row.origin as string | null) ?? `${source}:${String(row.id)}`;
    if (origin.startsWith(`${target}:`)) continue;
    out.push({ ...row, origin });
  }
  return out;
}

/** The columns written: an event's and a consent's id are the target's own. */
function written(table: Table, columns: string[]): string[] {
  return table.merge === 'event' || table.merge === 'consent' ? columns.filter((c) => c !== 'id') : columns;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function sqliteSide(db: Database): Side {
  const columnsOf = new Map<string, string[]>();
  const columns = (table: string) => {
    let known = columnsOf.get(table);
    if (!known) {
      known = (db.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      if (!known.length) throw new Error(`the local log has no table ${table}`);
      columnsOf.set(table, known);
    }
    return known;
  };
  return {
    async registerId() {
      return db.prepare('SELECT id FROM register_identity').pluck().get() as string;
    },
    columns,
    async read(table, after, limit) {
      const key = table.key.map(quote).join(', ');
      const where = after ? `WHERE (${key}) > (${table.key.map(() => '?').join(', ')})` : '';
      return db
        .prepare(`SELECT * FROM ${quote(table.name)} ${where} ORDER BY ${key} LIMIT ?`)
        .all(...(after ?? []), limit) as Row[];
    },
    async write(table, all, rows) {
      const cols = written(table, all);
      const names = cols.map(quote).join(', ');
      const values = cols.map((c) => `@${c}`).join(', ');
      const t = quote(table.name);
      const sql = sqliteInsert(table, t, cols, names, values);
      const insert = db.prepare(sql);
      const revoke =
        table.merge === 'consent'
          ? db.prepare(
              `UPDATE client_consents SET revoked_at = @revoked_at, revoked_by = @revoked_by
                WHERE cf = @cf AND granted_at = @granted_at AND revoked_at IS NULL AND @revoked_at IS NOT NULL`,
            )
          : null;
      return db.transaction(() => {
        let changed = 0;
        for (const row of rows) {
          const params = Object.fromEntries(cols.map((c) => [c, row[c] ?? null]));
          changed += insert.run(params).changes;
          revoke?.run(params);
        }
        return changed;
      })();
    },
  };
}

function sqliteInsert(table: Table, t: string, cols: string[], names: string, values: string): string {
  const key = table.key.map(quote).join(', ');
  const set = cols
    .filter((c) => !table.key.includes(c))
    .map((c) => `${quote(c)} = excluded.${quote(c)}`)
    .join(', ');
  switch (table.merge) {
    case 'keep':
      return `INSERT INTO ${t} (${names}) VALUES (${values}) ON CONFLICT (${key}) DO NOTHING`;
    case 'newer':
      return `INSERT INTO ${t} (${names}) VALUES (${values}) ON CONFLICT (${key}) DO UPDATE SET ${set}
                WHERE ${t}.updated_at < excluded.updated_at`;
    case 'removal':
      return `INSERT INTO ${t} (${names}) VALUES (${values}) ON CONFLICT (${key}) DO UPDATE
                SET removed_at = excluded.removed_at
                WHERE ${t}.removed_at IS NULL AND excluded.removed_at IS NOT NULL`;
    case 'event':
      return `INSERT INTO ${t} (${names}) VALUES (${values}) ON CONFLICT (origin) DO NOTHING`;
    case 'counter':
      return `INSERT INTO ${t} (${names}) VALUES (${values}) ON CONFLICT (${key}) DO UPDATE
                SET last = excluded.last WHERE ${t}.last < excluded.last`;
    case 'consent':
      return `INSERT INTO ${t} (${names}) SELECT ${values}
                WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE cf = @cf AND granted_at = @granted_at)`;
  }
}

/**
 * The office's side. A batch travels as one JSON array that PostgreSQL turns into rows of the
 * table's own type (json_populate_recordset): one statement, one round trip, atomic.
 */
function postgresSide(pool: pg.Pool, columns: (table: string) => string[]): Side {
  return {
    async registerId() {
      const result = await pool.query<{ id: string }>('SELECT id FROM register_identity');
      const id = result.rows[0]?.id;
      if (!id) throw new Error('the office register has no identity (migration 7 missing)');
      return id;
    },
    columns,
    async read(table, after, limit) {
      const key = table.key.map(quote).join(', ');
      const n = table.key.length;
      const where = after ? `WHERE (${key}) > (${table.key.map((_, i) => `$${i + 1}`).join(', ')})` : '';
      const cols = columns(table.name).map(quote).join(', ');
      const result = await pool.query<Row>(
        `SELECT ${cols} FROM ${quote(table.name)} ${where} ORDER BY ${key} LIMIT $${after ? n + 1 : 1}`,
        [...(after ?? []), limit],
      );
      return result.rows;
    },
    async write(table, all, rows) {
      const cols = written(table, all);
      const names = cols.map(quote).join(', ');
      const t = quote(table.name);
      const r = cols.map((c) => `r.${quote(c)}`).join(', ');
      const source = `json_populate_recordset(null::${t}, $1::json) AS r`;
      const key = table.key.map(quote).join(', ');
      const set = cols
        .filter((c) => !table.key.includes(c))
        .map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`)
        .join(', ');
      const json = JSON.stringify(
        rows.map((row) => Object.fromEntries(cols.map((c) => [c, jsonValue(row[c])]))),
      );
      let sql: string;
      switch (table.merge) {
        case 'keep':
          sql = `INSERT INTO ${t} (${names}) SELECT ${r} FROM ${source} ON CONFLICT (${key}) DO NOTHING`;
          break;
        case 'newer':
          sql = `INSERT INTO ${t} (${names}) SELECT ${r} FROM ${source} ON CONFLICT (${key}) DO UPDATE SET ${set}
                   WHERE ${t}.updated_at < EXCLUDED.updated_at`;
          break;
        case 'removal':
          sql = `INSERT INTO ${t} (${names}) SELECT ${r} FROM ${source} ON CONFLICT (${key}) DO UPDATE
                   SET removed_at = EXCLUDED.removed_at
                   WHERE ${t}.removed_at IS NULL AND EXCLUDED.removed_at IS NOT NULL`;
          break;
        case 'event':
          sql = `INSERT INTO ${t} (${names}) SELECT ${r} FROM ${source} ORDER BY r.origin ON CONFLICT (origin) DO NOTHING`;
          break;
        case 'counter':
          sql = `INSERT INTO ${t} (${names}) SELECT ${r} FROM ${source} ON CONFLICT (${key}) DO UPDATE
                   SET last = EXCLUDED.last WHERE ${t}.last < EXCLUDED.last`;
          break;
        case 'consent':
          // One statement: the revocations of consents already there, then the consents missing.
          sql = `WITH rows AS (SELECT ${r} FROM ${source}),
                      revoked AS (
                        UPDATE ${t} c SET revoked_at = rows.revoked_at, revoked_by = rows.revoked_by
                          FROM rows
                         WHERE c.cf = rows.cf AND c.granted_at = rows.granted_at
                           AND c.revoked_at IS NULL AND rows.revoked_at IS NOT NULL)
                 INSERT INTO ${t} (${names}) SELECT ${names} FROM rows
                  WHERE NOT EXISTS (SELECT 1 FROM ${t} c WHERE c.cf = rows.cf AND c.granted_at = rows.granted_at)`;
          break;
      }
      return (await pool.query(sql, [json])).rowCount ?? 0;
    },
  };
}

/** A column's value in the batch's JSON: a BLOB (a sealed document) as bytea's hex text. */
function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return value ?? null;
}
