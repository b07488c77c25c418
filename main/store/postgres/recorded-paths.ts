import type { RootKind } from '../../files/roots.ts';
import type { PathsPort } from '../port.ts';
import { RECORDED_PATHS } from '../recorded-paths.ts';
import type { PgSql } from './sql.ts';

/** The columns that name files, on the office database: recorded-paths.ts's meaning. */
export class PgRecordedPaths implements PathsPort {
  private readonly sql: PgSql;

  constructor(sql: PgSql) {
    this.sql = sql;
  }

  async identity(): Promise<string> {
    const row = await this.sql.row<{ id: string }>('SELECT id FROM register_identity');
    if (!row) throw new Error('the office register has no identity (migration 7 missing)');
    return row.id;
  }

  relativise(kind: RootKind, prefix: string, separator: string): Promise<number> {
    return this.sql.transaction(async () => {
      let changed = 0;
      for (const { table, column } of RECORDED_PATHS[kind])
        changed += await this.sql.run(
          `UPDATE ${table} SET ${column} = replace(substr(${column}, length($1::text) + 1), $2::text, '/')
           WHERE left(${column}, length($1::text)) = $1::text`,
          [prefix, separator],
        );
      return changed;
    });
  }
}
