import type { PgSql } from './sql.ts';

// PLACEHOLDER: being written (replace this whole file).
export class PgWallet {
  constructor(_sql: PgSql) {}
}
