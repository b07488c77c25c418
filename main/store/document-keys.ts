import type { Statements } from './statements.ts';

/** A counter's public key as it published it (X25519, raw, base64). */
export interface CounterKeyRow {
  counter_id: string;
  counter_name: string;
  public_key: string;
  /** When this public key was first published (a new key pair starts it again). */
  published_at: number;
  updated_at: number;
}

/** A key that seals documents on file: its id only, derived from the key (main/clients/key-wrap.ts). */
export interface DocumentKeyRow {
  id: string;
  created_at: number;
  /** The counter that made it. */
  created_by: string;
}

/** A document key wrapped for one counter's public key. */
export interface KeyGrantRow {
  key_id: string;
  counter_id: string;
  /** The public key it is wrapped for (base64): a grant for an older key pair of the counter is void. */
  public_key: string;
  /** The wrapped key (main/clients/key-wrap.ts), base64. */
  wrapped: string;
  /** The counter that granted it (the counter itself for a key it made). */
  granted_by: string;
  granted_at: number;
}

/**
 * Who may open the documents on file (issue 22, item 10): each counter's public key
 * (`counter_keys`), the document keys (`document_keys`) and their grants to counters
 * (`document_key_grants`). Nothing here opens anything: a key is only ever here wrapped for a
 * counter's public key, whose private key is on that counter's PC alone.
 */
export class DocumentKeyRecords {
  private readonly s: Statements;

  constructor(s: Statements) {
    this.s = s;
  }

  /** The register's own id (its identity row): what this counter's choices are remembered under. */
  registerId(): string {
    return this.s.prepare('SELECT id FROM register_identity').pluck().get() as string;
  }

  /**
   * Publishes (or updates) a counter's public key and name. `published_at` stays while the key
   * does; a new key starts it again.
   */
  publish(row: CounterKeyRow): void {
    this.s
      .prepare(
        `INSERT INTO counter_keys (counter_id, counter_name, public_key, published_at, updated_at)
         VALUES (@counter_id, @counter_name, @public_key, @published_at, @updated_at)
         ON CONFLICT (counter_id) DO UPDATE SET
           counter_name = excluded.counter_name,
           published_at = CASE WHEN counter_keys.public_key = excluded.public_key
                               THEN counter_keys.published_at ELSE excluded.published_at END,
           public_key = excluded.public_key,
           updated_at = excluded.updated_at
         WHERE counter_keys.counter_name <> excluded.counter_name
            OR counter_keys.public_key <> excluded.public_key`,
      )
      .run(row);
  }

  /** Every counter that published a key, by name. */
  counters(): CounterKeyRow[] {
    return this.s
      .prepare('SELECT * FROM counter_keys ORDER BY counter_name, counter_id')
      .all() as CounterKeyRow[];
  }

  counter(counterId: string): CounterKeyRow | null {
    return (
      (this.s.prepare('SELECT * FROM counter_keys WHERE counter_id = ?').get(counterId) as
        CounterKeyRow | undefined) ?? null
    );
  }

  /** Every document key, oldest first. */
  keys(): DocumentKeyRow[] {
    return this.s.prepare('SELECT * FROM document_keys ORDER BY created_at, id').all() as DocumentKeyRow[];
  }

  /**
   * A new document key with its first grant (to the counter that made it), only if no key is
   * alive: none at all, or none that any counter still holds (every grant of each is for a key pair
   * its counter no longer publishes). Answers whether it was added. Two first uses at once: one
   * adds its key, the other finds it alive.
   */
  createKey(key: DocumentKeyRow, grant: KeyGrantRow): boolean {
    return this.s.transaction(() => {
      if (this.s.prepare(ALIVE).get()) return false;
      this.s
        .prepare(
          'INSERT INTO document_keys (id, created_at, created_by) VALUES (@id, @created_at, @created_by)',
        )
        .run(key);
      this.grant(grant);
      return true;
    });
  }

  /** A key made elsewhere (the sealing key of before, moved in), with its grant; nothing if known. */
  addKey(key: DocumentKeyRow, grant: KeyGrantRow): void {
    this.s.transaction(() => {
      this.s
        .prepare(
          `INSERT INTO document_keys (id, created_at, created_by) VALUES (@id, @created_at, @created_by)
           ON CONFLICT (id) DO NOTHING`,
        )
        .run(key);
      this.grant(grant);
    });
  }

  /** Every grant (a few per counter), by key then counter. */
  grants(): KeyGrantRow[] {
    return this.s
      .prepare('SELECT * FROM document_key_grants ORDER BY key_id, counter_id')
      .all() as KeyGrantRow[];
  }

  /** The grants made to one counter. */
  grantsTo(counterId: string): KeyGrantRow[] {
    return this.s
      .prepare('SELECT * FROM document_key_grants WHERE counter_id = ? ORDER BY key_id')
      .all(counterId) as KeyGrantRow[];
  }

  /** Grants a key to a counter, replacing an earlier grant of it (for an older key pair). */
  grant(row: KeyGrantRow): void {
    this.s
      .prepare(
        `INSERT INTO document_key_grants (key_id, counter_id, public_key, wrapped, granted_by, granted_at)
         VALUES (@key_id, @counter_id, @public_key, @wrapped, @granted_by, @granted_at)
         ON CONFLICT (key_id, counter_id) DO UPDATE SET
           public_key = excluded.public_key, wrapped = excluded.wrapped,
           granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
      )
      .run(row);
  }
}

/** A grant some counter can still open: its key pair is the one the counter publishes. */
export const ALIVE = `SELECT 1 FROM document_key_grants g
  JOIN counter_keys c ON c.counter_id = g.counter_id AND c.public_key = g.public_key LIMIT 1`;
