import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements, each prepared once per connection: what every repository of the store
 * shares (preparing is the costly part of a small query).
 */
export class Statements {
  readonly db: Database;
  private readonly cache = new Map<string, Statement>();

  constructor(db: Database) {
    this.db = db;
  }

  prepare(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
