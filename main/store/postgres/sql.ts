import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { unreachable } from './unreachable.ts';

/**
 * Queries on the office database for the repositories of this folder: on the pool, or on the
 * connection of the transaction the caller runs in (found by AsyncLocalStorage, however deep),
 * so that a repository never has to be told which. Every value is a parameter ($1, $2…).
 */
export class PgSql {
  readonly pool: pg.Pool;
  private readonly inside = new AsyncLocalStorage<pg.PoolClient>();

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** What runs a query now: the open transaction's connection, or the pool. */
  private get db(): pg.Pool | pg.PoolClient {
    return this.inside.getStore() ?? this.pool;
  }

  async rows<R extends object = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.query<R>(text, params)).rows;
  }

  async row<R extends object = Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
  ): Promise<R | null> {
    return (await this.query<R>(text, params)).rows[0] ?? null;
  }

  /** Runs a statement; answers how many rows it changed. */
  async run(text: string, params: unknown[] = []): Promise<number> {
    return (await this.query(text, params)).rowCount ?? 0;
  }

  /** A query on the open transaction's connection or the pool; a server out of reach said so (unreachable.ts). */
  private async query<R extends object>(text: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.db.query<R>(text, params);
    } catch (error) {
      throw unreachable(error, this.pool);
    }
  }

  /**
   * Runs `fn` in one transaction on one connection (READ COMMITTED: a compare-and-set's UPDATE
   * re-reads the row it waited for, which is all the register's writes rely on). A transaction
   * within another joins it. On any error it rolls back; a connection whose rollback failed is
   * destroyed, not returned to the pool.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) return fn();
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unreachable(error, this.pool);
    });
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await this.inside.run(client, fn);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollback) {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      }
      throw unreachable(error, this.pool);
    } finally {
      client.release(broken);
    }
  }
}

/** `?` placeholders (the SQLite repositories' SQL, e.g. personal-data.ts's) as $1, $2…. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
