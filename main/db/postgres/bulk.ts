import pg from 'pg';

/** A pool or a client: what runs a query. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

/**
 * Inserts many rows in one statement: each column travels as one array parameter and `unnest`
 * turns the arrays back into rows, so a batch of thousands costs one round trip and one plan,
 * with every value a parameter (never SQL text). Rows are keyed by column name, as SQLite's raw
 * rows are: moving a local log into the office database, and the bench's million rows, both go
 * through here. The columns' types are read from the catalog: the caller names no type.
 */
export async function insertRows(
  db: Queryable,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<number> {
  const first = rows[0];
  if (!first) return 0;
  const columns = Object.keys(first);
  const types = await db.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [table],
  );
  if (!types.rows.length) throw new Error(`insertRows: no table ${table}`);
  const typeOf = new Map(types.rows.map((r) => [r.name, r.type]));
  const unnest = columns.map((column, i) => {
    const type = typeOf.get(column);
    if (!type) throw new Error(`insertRows: ${table} has no column ${column}`);
    return `$${i + 1}::${type}[]`;
  });
  for (const row of rows)
    if (Object.keys(row).length !== columns.length)
      throw new Error(`insertRows: rows of ${table} differ in columns`);
  const values = columns.map((column) => rows.map((row) => row[column] ?? null));
  const result = await db.query(
    `INSERT INTO ${pg.escapeIdentifier(table)} (${columns.map((c) => pg.escapeIdentifier(c)).join(', ')})
     SELECT * FROM unnest(${unnest.join(', ')})`,
    values,
  );
  return result.rowCount ?? 0;
}
