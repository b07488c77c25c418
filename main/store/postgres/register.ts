import type pg from 'pg';
import { migratePostgres } from '../../db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../db/postgres/migrations.ts';
import { purgeStatements, type PurgedTable } from '../personal-data.ts';
import type { Compaction, Register } from '../port.ts';
import type { RequestPatch } from '../request-row.ts';
import { PgAccount } from './account.ts';
import { PgAttachments } from './attachments.ts';
import { PgCatalog } from './catalog.ts';
import { PgClients } from './client-records.ts';
import { PgDocumentKeys } from './document-keys.ts';
import { PgDocuments } from './documents.ts';
import { PgLedger } from './ledger.ts';
import { PgOffice, type PgOfficeOptions } from './office.ts';
import { PgRecordedPaths } from './recorded-paths.ts';
import { PgRequests } from './requests.ts';
import { numbered, PgSql } from './sql.ts';
import { PgTrail } from './trail.ts';
import { PgWallet } from './wallet.ts';

/**
 * The storage port on the office's PostgreSQL (issue: several counters, one register): the same
 * tables and columns as the SQLite log (db/postgres/migrations), one repository per aggregate as
 * in the folder above, each method the SQLite one's meaning (the contract tests in
 * test/integration/store/ run both). Transactions are PostgreSQL's own: another counter does not
 * see one until it commits, and a compare-and-set on a request's status is a row lock there.
 */
export class PgRegister implements Register {
  readonly kind = 'postgres' as const;
  readonly requests: PgRequests;
  readonly trail: PgTrail;
  readonly attachments: PgAttachments;
  readonly documents: PgDocuments;
  readonly catalog: PgCatalog;
  readonly ledger: PgLedger;
  readonly wallet: PgWallet;
  readonly clients: PgClients;
  readonly keys: PgDocumentKeys;
  readonly account: PgAccount;
  readonly paths: PgRecordedPaths;
  readonly office: PgOffice;
  readonly sql: PgSql;

  /**
   * The register on `pool`, whose schema is current (PgRegister.migrate); it owns the pool.
   * `office`: how the counters share the tracker and hear each other's changes (office.ts).
   */
  constructor(
    pool: pg.Pool,
    now: () => number,
    counter: () => string = () => '',
    options: { office?: PgOfficeOptions } = {},
  ) {
    this.sql = new PgSql(pool);
    this.office = new PgOffice(this.sql, options.office);
    this.requests = new PgRequests(this.sql, now);
    this.trail = new PgTrail(this.sql, now, counter);
    this.attachments = new PgAttachments(this.sql);
    this.documents = new PgDocuments(this.sql, now);
    this.catalog = new PgCatalog(this.sql);
    this.ledger = new PgLedger(this.sql, now);
    this.wallet = new PgWallet(this.sql);
    this.clients = new PgClients(this.sql);
    this.keys = new PgDocumentKeys(this.sql);
    this.account = new PgAccount(this.sql, now);
    this.paths = new PgRecordedPaths(this.sql);
  }

  /**
   * The register on `pool`, its schema brought up to date first (several counters starting at once
   * migrate once: db/postgres/migrate.ts). The register owns the pool: close() ends it.
   */
  static async open(pool: pg.Pool, now: () => number, counter?: () => string): Promise<PgRegister> {
    await PgRegister.migrate(pool);
    return new PgRegister(pool, now, counter);
  }

  /** Brings the register's schema up to date (several counters at once migrate once). */
  static async migrate(pool: pg.Pool): Promise<void> {
    await migratePostgres(pool, PG_MIGRATIONS);
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.sql.transaction(fn);
  }

  deleteDraft(id: string): Promise<void> {
    return this.transaction(async () => {
      await this.attachments.deleteAll(id);
      await this.requests.deleteDraft(id);
    });
  }

  purge(id: string, patch: RequestPatch = {}): Promise<void> {
    return this.transaction(async () => {
      await this.documents.markRemoved(id);
      await this.requests.markPurged(id, patch);
      for (const statement of purgeStatements()) await this.sql.run(numbered(statement), [id]);
      await this.trail.scrub(id);
    });
  }

  /**
   * After purges: the old versions of the purged rows stay in the tables' pages, in their indexes
   * and in the WAL. The touched tables are rewritten with their indexes, then the WAL is switched
   * and checkpointed so that the segments holding them go (migration 9's functions, which run as
   * the tables' owner). The rewrite locks each table while it runs (ACCESS EXCLUSIVE): the other
   * counters wait. That is acceptable here: it runs only after a retention run that purged
   * something (daily) or the discard of a draft the service sent back (rare), on the touched
   * tables only, and an office's
   * tables hold some thousands of rows a year, rewritten in a moment (the rewrite's time grows with
   * the table: not measured on the bench's million rows). Waiting for a lock is bounded by the
   * function's lock_timeout (10 s): the rewrite then gives up and the next retention run does it.
   */
  async compactAfterPurge(tables: readonly PurgedTable[]): Promise<Compaction> {
    const touched = [...new Set(tables)].sort();
    if (!touched.length) return { incomplete: [] };
    await this.sql.run('SELECT compact_purged($1::text[])', [touched]);
    const flushed = await this.sql.row<{ missing: string[] }>('SELECT flush_purged_wal() AS missing');
    return { incomplete: flushed?.missing ?? [] };
  }

  async close(): Promise<void> {
    await this.office.close();
    if (!this.sql.pool.ended) await this.sql.pool.end();
  }
}
