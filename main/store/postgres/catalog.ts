import type { ServiceSummary } from '../../../common/catalog.ts';
import type { Environment } from '../../../common/environments.ts';
import type { CatalogPort } from '../port.ts';
import type { PgSql } from './sql.ts';

/** The catalog's cache, per environment, on the office database: catalog.ts's meaning. */
export class PgCatalog implements CatalogPort {
  private readonly sql: PgSql;

  constructor(sql: PgSql) {
    this.sql = sql;
  }

  /** When the list was last fetched; null when never. */
  async listFetchedAt(environment: Environment): Promise<number | null> {
    const row = await this.sql.row<{ fetched_at: number }>(
      'SELECT fetched_at FROM catalog_meta WHERE environment = $1',
      [environment],
    );
    return row?.fetched_at ?? null;
  }

  /** The list as the service gave it, in its order. */
  list(environment: Environment): Promise<ServiceSummary[]> {
    return this.sql.rows<ServiceSummary>(
      'SELECT hash, nome, categoria FROM catalog_services WHERE environment = $1 ORDER BY position',
      [environment],
    );
  }

  /**
   * Replaces the list, in one transaction with its time. One INSERT for the whole list; a hash
   * listed twice keeps its last entry and position, as SQLite's INSERT OR REPLACE row by row does
   * (ON CONFLICT cannot touch a row twice in one statement, hence DISTINCT ON).
   */
  async replaceList(
    environment: Environment,
    services: readonly ServiceSummary[],
    fetchedAt: number,
  ): Promise<void> {
    await this.sql.transaction(async () => {
      await this.sql.run('DELETE FROM catalog_services WHERE environment = $1', [environment]);
      await this.sql.run(
        `INSERT INTO catalog_services (environment, hash, nome, categoria, position)
         SELECT DISTINCT ON (s.hash) $1, s.hash, s.nome, s.categoria, s.n - 1
         FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS s (hash, nome, categoria, n)
         ORDER BY s.hash, s.n DESC`,
        [
          environment,
          services.map((s) => s.hash),
          services.map((s) => s.nome),
          services.map((s) => s.categoria),
        ],
      );
      await this.sql.run(
        `INSERT INTO catalog_meta (environment, fetched_at) VALUES ($1, $2)
         ON CONFLICT (environment) DO UPDATE SET fetched_at = excluded.fetched_at`,
        [environment, fetchedAt],
      );
    });
  }

  /** A service's detail as stored (JSON, to be checked by the reader), and when it was fetched. */
  async detail(environment: Environment, hash: string): Promise<{ json: string; fetchedAt: number } | null> {
    const row = await this.sql.row<{ detail_json: string; fetched_at: number }>(
      'SELECT detail_json, fetched_at FROM catalog_details WHERE environment = $1 AND hash = $2',
      [environment, hash],
    );
    return row ? { json: row.detail_json, fetchedAt: row.fetched_at } : null;
  }

  async putDetail(environment: Environment, hash: string, detail: unknown, fetchedAt: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO catalog_details (environment, hash, detail_json, fetched_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (environment, hash) DO UPDATE SET detail_json = excluded.detail_json, fetched_at = excluded.fetched_at`,
      [environment, hash, JSON.stringify(detail), fetchedAt],
    );
  }
}
