import type { ServiceSummary } from '../../common/catalog.ts';
import type { Environment } from '../../common/environments.ts';
import type { Statements } from './statements.ts';

/** The catalog's cache, per environment: the list of services and each service's detail as fetched. */
export class CatalogRepository {
  private readonly s: Statements;

  constructor(s: Statements) {
    this.s = s;
  }

  /** When the list was last fetched; null when never. */
  listFetchedAt(environment: Environment): number | null {
    const row = this.s
      .prepare('SELECT fetched_at FROM catalog_meta WHERE environment = ?')
      .get(environment) as { fetched_at: number } | undefined;
    return row?.fetched_at ?? null;
  }

  /** The list as the service gave it, in its order. */
  list(environment: Environment): ServiceSummary[] {
    return this.s
      .prepare('SELECT hash, nome, categoria FROM catalog_services WHERE environment = ? ORDER BY position')
      .all(environment) as ServiceSummary[];
  }

  /** Replaces the list, in one transaction with its time. */
  replaceList(environment: Environment, services: readonly ServiceSummary[], fetchedAt: number): void {
    this.s.transaction(() => {
      this.s.prepare('DELETE FROM catalog_services WHERE environment = ?').run(environment);
      const insert = this.s.prepare(
        'INSERT OR REPLACE INTO catalog_services (environment, hash, nome, categoria, position) VALUES (?, ?, ?, ?, ?)',
      );
      services.forEach((s, i) => insert.run(environment, s.hash, s.nome, s.categoria, i));
      this.s
        .prepare('INSERT OR REPLACE INTO catalog_meta (environment, fetched_at) VALUES (?, ?)')
        .run(environment, fetchedAt);
    });
  }

  /** A service's detail as stored (JSON, to be checked by the reader), and when it was fetched. */
  detail(environment: Environment, hash: string): { json: string; fetchedAt: number } | null {
    const row = this.s
      .prepare('SELECT detail_json, fetched_at FROM catalog_details WHERE environment = ? AND hash = ?')
      .get(environment, hash) as { detail_json: string; fetched_at: number } | undefined;
    return row ? { json: row.detail_json, fetchedAt: row.fetched_at } : null;
  }

  putDetail(environment: Environment, hash: string, detail: unknown, fetchedAt: number): void {
    this.s
      .prepare(
        'INSERT OR REPLACE INTO catalog_details (environment, hash, detail_json, fetched_at) VALUES (?, ?, ?, ?)',
      )
      .run(environment, hash, JSON.stringify(detail), fetchedAt);
  }
}
