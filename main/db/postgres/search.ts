import type { RequestFilter } from '../../../common/requests.ts';
import type { Queryable } from './bulk.ts';

/*
 * The request list's search on the office database: the filter semantics of the SQLite
 * repository's search(), row for row and in the same order (test/integration/db/postgres-search.test.ts
 * runs both on the same random rows and filters), in SQL where every value is a parameter.
 */

/** Every status but draft: what the list shows when no status is chosen. */
const LISTED = ['sending', 'open', 'pending', 'done', 'cancelled'] as const;

/**
 * "cognome nome cf servizio id": the expression of the trigram index requests_text (migration 3),
 * character for character — PostgreSQL uses an expression index only for the same expression.
 * A word holds no space, so it is found in this text exactly when it is found in one of the
 * columns, as SQLite's search looks.
 */
export const REQUEST_TEXT = `(coalesce(client_cognome, '') || ' ' || coalesce(client_nome, '') || ' ' || coalesce(client_cf, '')
        || ' ' || service_name || ' ' || coalesce(remote_id, ''))`;

/**
 * The sort orders. Columns are COLLATE "C" (migration 1), so lower() folds ASCII only and the
 * comparison is byte-wise: SQLite's NOCASE. Ties go by id, as on SQLite.
 */
const SORT_SQL: Record<NonNullable<RequestFilter['sortBy']>, string> = {
  createdAt: 'created_at',
  serviceName: 'lower(service_name)',
  clientName: "lower(coalesce(client_cognome, '') || ' ' || coalesce(client_nome, ''))",
  status: 'status',
  chargedPrice: 'coalesce(charged_price, confirmed_price, 0)',
};

/** The words the list looks for: at most five, lower-cased as the SQLite search does. */
export function searchWords(text: string | undefined): string[] {
  const trimmed = text?.trim().toLowerCase();
  return trimmed ? trimmed.split(/\s+/).slice(0, 5) : [];
}

/** A LIKE pattern finding `word` anywhere, its %, _ and \ taken literally ('\' is LIKE's escape). */
export const containsPattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface PostgresSearchPage {
  /** The page's rows as stored (column names, numbers for bigint): the repositories decode them. */
  rows: Record<string, unknown>[];
  total: number;
  documentCounts: Map<string, number>;
}

/**
 * One page of the request list and the number of matches. ILIKE under COLLATE "C" folds ASCII
 * case only, as SQLite's LIKE does; the words were lower-cased in JS before, on both sides. With
 * words of three characters or more, the trigram index names candidate rows and PostgreSQL
 * rechecks each with the ILIKE, so the index never changes the result.
 */
export async function searchRequests(db: Queryable, filter: RequestFilter): Promise<PostgresSearchPage> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  where.push(`status = ANY(${param(filter.statuses?.length ? filter.statuses : LISTED)}::text[])`);
  if (filter.environment) where.push(`environment = ${param(filter.environment)}`);
  if (filter.from !== undefined) where.push(`created_at >= ${param(filter.from)}::bigint`);
  if (filter.to !== undefined) where.push(`created_at <= ${param(filter.to)}::bigint`);
  const words = searchWords(filter.text);
  // PostgreSQL's text cannot hold U+0000: a word with one is found nowhere.
  if (words.some((w) => w.includes('\u0000'))) return { rows: [], total: 0, documentCounts: new Map() };
  for (const word of words) where.push(`${REQUEST_TEXT} ILIKE ${param(containsPattern(word))}`);
  const whereSql = where.join(' AND ');
  const countParams = [...params];
  const order = `${SORT_SQL[filter.sortBy ?? 'createdAt']} ${filter.sortDir === 'asc' ? 'ASC' : 'DESC'}, id`;
  const limit = filter.limit ?? 100;
  const offset = filter.offset ?? 0;
  // With words, the matches are few: one pass finds, counts (the window) and sorts them. Without,
  // LIMIT stops the sort at the page and a separate count walks the index.
  const page = await db.query<{ id: string; n?: number }>(
    `SELECT id${words.length ? ', count(*) OVER () AS n' : ''} FROM requests WHERE ${whereSql}
     ORDER BY ${order} LIMIT ${param(limit)} OFFSET ${param(offset)}`,
    params,
  );
  const ids = page.rows.map((r) => r.id);
  let total = page.rows[0]?.n;
  if (total === undefined) {
    total =
      words.length && offset === 0
        ? 0
        : ((
            await db.query<{ n: number }>(`SELECT count(*) AS n FROM requests WHERE ${whereSql}`, countParams)
          ).rows[0]?.n ?? 0);
  }
  if (!ids.length) return { rows: [], total, documentCounts: new Map() };
  const [full, documents] = await Promise.all([
    db.query<Record<string, unknown>>('SELECT * FROM requests WHERE id = ANY($1::text[])', [ids]),
    db.query<{ request_id: string; n: number }>(
      `SELECT request_id, count(*) AS n FROM documents
        WHERE removed_at IS NULL AND request_id = ANY($1::text[]) GROUP BY request_id`,
      [ids],
    ),
  ]);
  const byId = new Map(full.rows.map((row) => [row.id as string, row]));
  return {
    rows: ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [row] : [];
    }),
    total,
    documentCounts: new Map(documents.rows.map((d) => [d.request_id, d.n])),
  };
}
