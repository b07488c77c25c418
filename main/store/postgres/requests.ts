import type { PgSql } from './sql.ts';

// PLACEHOLDER: being written (replace this whole file).
export class PgRequests {
  constructor(_sql: PgSql, _now: () => number) {}
}
