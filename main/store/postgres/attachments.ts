import type { PgSql } from './sql.ts';

// PLACEHOLDER: being written (replace this whole file).
export class PgAttachments {
  constructor(_sql: PgSql) {}
}
