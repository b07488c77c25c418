import { LOCK_NAMESPACE, LOCKS } from '../../db/postgres/locks.ts';
import { ALIVE, type CounterKeyRow, type DocumentKeyRow, type KeyGrantRow } from '../document-keys.ts';
import type { DocumentKeysPort } from '../port.ts';
import type { PgSql } from './sql.ts';

/** Who may open the documents on file (document-keys.ts) on the office's register. */
export class PgDocumentKeys implements DocumentKeysPort {
  private readonly sql: PgSql;

  constructor(sql: PgSql) {
    this.sql = sql;
  }

  async registerId(): Promise<string> {
    const row = await this.sql.row<{ id: string }>('SELECT id FROM register_identity');
    if (!row) throw new Error('the office register has no identity');
    return row.id;
  }

  async publish(row: CounterKeyRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO counter_keys (counter_id, counter_name, public_key, published_at, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (counter_id) DO UPDATE SET
         counter_name = EXCLUDED.counter_name,
         published_at = CASE WHEN counter_keys.public_key = EXCLUDED.public_key
                             THEN counter_keys.published_at ELSE EXCLUDED.published_at END,
         public_key = EXCLUDED.public_key,
         updated_at = EXCLUDED.updated_at
       WHERE counter_keys.counter_name <> EXCLUDED.counter_name
          OR counter_keys.public_key <> EXCLUDED.public_key`,
      [row.counter_id, row.counter_name, row.public_key, row.published_at, row.updated_at],
    );
  }

  /** By name, ties by id (the "C" collation: SQLite's byte order). */
  counters(): Promise<CounterKeyRow[]> {
    return this.sql.rows<CounterKeyRow>('SELECT * FROM counter_keys ORDER BY counter_name, counter_id');
  }

  counter(counterId: string): Promise<CounterKeyRow | null> {
    return this.sql.row<CounterKeyRow>('SELECT * FROM counter_keys WHERE counter_id = $1', [counterId]);
  }

  keys(): Promise<DocumentKeyRow[]> {
    return this.sql.rows<DocumentKeyRow>('SELECT * FROM document_keys ORDER BY created_at, id');
  }

  /**
   * As on SQLite. Two counters' first uses at once: under READ COMMITTED neither would see the
   * other's uncommitted key, so the check and the insert run under a transaction-level advisory
   * lock (no privilege needed): the second waits, then finds the first's key alive.
   */
  createKey(key: DocumentKeyRow, grant: KeyGrantRow): Promise<boolean> {
    return this.sql.transaction(async () => {
      await this.sql.run('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.documentKey]);
      if (await this.sql.row(ALIVE)) return false;
      await this.sql.run('INSERT INTO document_keys (id, created_at, created_by) VALUES ($1, $2, $3)', [
        key.id,
        key.created_at,
        key.created_by,
      ]);
      await this.grant(grant);
      return true;
    });
  }

  addKey(key: DocumentKeyRow, grant: KeyGrantRow): Promise<void> {
    return this.sql.transaction(async () => {
      await this.sql.run(
        `INSERT INTO document_keys (id, created_at, created_by) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING`,
        [key.id, key.created_at, key.created_by],
      );
      await this.grant(grant);
    });
  }

  grants(): Promise<KeyGrantRow[]> {
    return this.sql.rows<KeyGrantRow>('SELECT * FROM document_key_grants ORDER BY key_id, counter_id');
  }

  grantsTo(counterId: string): Promise<KeyGrantRow[]> {
    return this.sql.rows<KeyGrantRow>(
      'SELECT * FROM document_key_grants WHERE counter_id = $1 ORDER BY key_id',
      [counterId],
    );
  }

  async grant(row: KeyGrantRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO document_key_grants (key_id, counter_id, public_key, wrapped, granted_by, granted_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key_id, counter_id) DO UPDATE SET
         public_key = EXCLUDED.public_key, wrapped = EXCLUDED.wrapped,
         granted_by = EXCLUDED.granted_by, granted_at = EXCLUDED.granted_at`,
      [row.key_id, row.counter_id, row.public_key, row.wrapped, row.granted_by, row.granted_at],
    );
  }
}
