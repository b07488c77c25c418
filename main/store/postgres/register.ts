import type pg from 'pg';
import { migratePostgres } from '../../db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../db/postgres/migrations.ts';
import { purgeStatements } from '../personal-data.ts';
import type { Register } from '../port.ts';
import type { RequestPatch } from '../request-row.ts';
import { PgAccount } from './account.ts';
import { PgAttachments } from './attachments.ts';
import { PgCatalog } from './catalog.ts';
import { PgClients } from './client-records.ts';
import { PgDocumentKeys } from './document-keys.ts';
import { PgDocuments } from './documents.ts';
import { PgLedger } from './ledger.ts';
import { PgOffice, type PgOfficeOptions } from './office.ts';
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
   * After purges: the old versions of the purged rows (and their index entries) stay in the
   * tables' pages until a vacuum reclaims them; this one runs now rather than when autovacuum
   * gets to it. It needs no privilege beyond owning the tables.
   */
  async compactAfterPurge(): Promise<void> {
    await this.sql.run('VACUUM requests, events, attachments, documents');
  }

  async close(): Promise<void> {
    await this.office.close();
    if (!this.sql.pool.ended) await this.sql.pool.end();
  }
}
