import type { RegisterFilter } from '../../../common/requests.ts';
import { statesCondition } from '../state-sql.ts';
import type { Queryable } from './connection.ts';

/*
 * The request list's search on the office database: the filter semantics of the SQLite
 * repository's search(), row for row and in the same order (test/integration/db/postgres-search.test.ts
 * runs both on the same random rows and filters), in SQL where every value is a parameter.
 */

/**
 * "cognome nome cf servizio id numero" in lower case, ASCII only (the columns are COLLATE "C"): the
 * text of the index requests_text (migration 16), character for character — PostgreSQL uses an
 * expression index only for the same expression. A word holds no space, so it is found in this
 * text exactly when it is found in one of the columns, as SQLite's search looks; and LIKE on the
 * ASCII-lower-cased text, with a word lower-cased in JS, folds case exactly as SQLite's LIKE does.
 */
export const REQUEST_TEXT = `lower(coalesce(client_cognome, '') || ' ' || coalesce(client_nome, '') || ' ' || coalesce(client_cf, '')
        || ' ' || service_name || ' ' || coalesce(remote_id, '') || ' ' || coalesce(number, ''))`;

/** The indexed tokens: REQUEST_TEXT's trigrams tagged with the row's 30-day period (migration 3). */
const TOKENS = `request_text_tokens(${REQUEST_TEXT}, created_at)`;

/** A period of the index: created_at / 30 days, truncated as PostgreSQL's bigint division does. */
const PERIOD_MS = 2_592_000_000;
const period = (ms: number) => Math.trunc(ms / PERIOD_MS);

/** Beyond this many periods (20 years) the range is clamped to the log's own first and last rows. */
const MAX_PERIODS = 240;

/**
 * Trigrams that cover a word end to end (every third one, and the last): a row holding the word
 * holds all of them. None for words shorter than 3 characters, which no trigram index can find,
 * and none holding U+0001, which the index cannot hold (migration 3): any subset of a word's
 * trigrams still names every row holding it. Characters are code points, as PostgreSQL counts them.
 */
export function coveringTrigrams(word: string): string[] {
  const chars = [...word];
  const found = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i += 3) found.add(chars.slice(i, i + 3).join(''));
  if (chars.length >= 3) found.add(chars.slice(-3).join(''));
  return [...found].filter((t) => !t.includes('\u0001'));
}

/**
 * The sort orders. Columns are COLLATE "C" (migration 1), so lower() folds ASCII only and the
 * comparison is byte-wise: SQLite's NOCASE. Ties go by id, as on SQLite.
 */
const SORT_SQL: Record<NonNullable<RegisterFilter['sortBy']>, string> = {
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
 * One page of the request list and the number of matches. With words of three characters or
 * more, the index requests_text names the rows of the date range's periods holding every word's
 * covering trigrams, and only those are read and checked with the exact LIKE: the index narrows,
 * it never decides.
 */
export async function searchRequests(db: Queryable, filter: RegisterFilter): Promise<PostgresSearchPage> {
  const none: PostgresSearchPage = { rows: [], total: 0, documentCounts: new Map() };
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  // Every request by default, drafts too (as on SQLite).
  if (filter.statuses?.length) where.push(`status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.states?.length) where.push(statesCondition(filter.states, 'postgres'));
  if (filter.environment) where.push(`environment = ${param(filter.environment)}`);
  if (filter.from !== undefined) where.push(`created_at >= ${param(filter.from)}::bigint`);
  if (filter.to !== undefined) where.push(`created_at <= ${param(filter.to)}::bigint`);
  if (filter.counter !== undefined) where.push(`counter = ${param(filter.counter)}`);
  if (filter.operator !== undefined) where.push(`operator = ${param(filter.operator)}`);
  const words = searchWords(filter.text);
  // PostgreSQL's text cannot hold U+0000: a word, counter or operator with one is found nowhere.
  if ([...words, filter.counter ?? '', filter.operator ?? ''].some((w) => w.includes('\u0000'))) return none;
  const trigrams = [...new Set(words.flatMap(coveringTrigrams))];
  if (trigrams.length) {
    const periods = await datePeriods(db, filter);
    if (!periods) return none;
    for (const trigram of trigrams)
      where.push(`${TOKENS} && ${param(periods.map((p) => `${trigram}:${p}`))}::text[]`);
  }
  for (const word of words) where.push(`${REQUEST_TEXT} LIKE ${param(containsPattern(word))}`);
  const whereSql = where.join(' AND ') || 'TRUE';
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

/**
 * The periods a match may have been created in: those of the filter's range, clamped to the log's
 * first and last rows when the range is open or very long. Null when no row can be in it.
 */
async function datePeriods(db: Queryable, filter: RegisterFilter): Promise<number[] | null> {
  let from = filter.from;
  let to = filter.to;
  if (from === undefined || to === undefined || period(to) - period(from) > MAX_PERIODS) {
    const bounds = await db.query<{ first: number | null; last: number | null }>(
      'SELECT min(created_at) AS first, max(created_at) AS last FROM requests',
    );
    const { first, last } = bounds.rows[0] ?? { first: null, last: null };
    if (first === null || last === null) return null;
    from = Math.max(from ?? first, first);
    to = Math.min(to ?? last, last);
  }
  if (from > to) return null;
  return Array.from({ length: period(to) - period(from) + 1 }, (_, i) => period(from) + i);
}
