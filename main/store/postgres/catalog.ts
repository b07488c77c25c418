import type { PgSql } from './sql.ts';

// PLACEHOLDER: being written (replace this whole file).
export class PgCatalog {
  constructor(_sql: PgSql) {}
}
