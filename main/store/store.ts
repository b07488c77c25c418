import type { Database } from 'better-sqlite3';
import { AccountRequests } from './account.ts';
import { AttachmentRepository } from './attachments.ts';
import { CatalogRepository } from './catalog.ts';
import { ClientRecords } from './client-records.ts';
import { DocumentKeyRecords } from './document-keys.ts';
import { DocumentRepository } from './documents.ts';
import { RemoteLedger } from './ledger.ts';
import { purgeStatements } from './personal-data.ts';
import { RecordedPaths } from './recorded-paths.ts';
import type { RequestPatch } from './request-row.ts';
import { RequestRepository } from './requests.ts';
import { Statements } from './statements.ts';
import { Trail } from './trail.ts';
import { WalletRecords } from './wallet.ts';

/**
 * The request log on this counter: one repository per aggregate (requests, their trail, a draft's
 * attachments, a request's documents, the catalog's cache, the ledger of remote requests, the
 * account's charges, returning clients' records) over one SQLite connection, and the few
 * writes that span them, each in one transaction.
 */
export class Store {
  readonly requests: RequestRepository;
  readonly trail: Trail;
  readonly attachments: AttachmentRepository;
  readonly documents: DocumentRepository;
  readonly catalog: CatalogRepository;
  readonly ledger: RemoteLedger;
  readonly wallet: WalletRecords;
  readonly clients: ClientRecords;
  readonly keys: DocumentKeyRecords;
  readonly account: AccountRequests;
  readonly paths: RecordedPaths;
  private readonly s: Statements;

  /** `counter`: this counter's name, which the trail records with every event. */
  constructor(db: Database, now: () => number, counter: () => string = () => '') {
    this.s = new Statements(db);
    this.requests = new RequestRepository(this.s, now);
    this.trail = new Trail(this.s, now, counter);
    this.attachments = new AttachmentRepository(this.s);
    this.documents = new DocumentRepository(this.s, now);
    this.catalog = new CatalogRepository(this.s);
    this.ledger = new RemoteLedger(this.s, now);
    this.wallet = new WalletRecords(this.s);
    this.clients = new ClientRecords(this.s);
    this.keys = new DocumentKeyRecords(this.s);
    this.account = new AccountRequests(this.s, now);
    this.paths = new RecordedPaths(this.s);
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.s.transaction(fn);
  }

  /** A draft that never reached the API, deleted with its attachments. */
  deleteDraft(id: string): void {
    this.transaction(() => {
      this.attachments.deleteAll(id);
      this.requests.deleteDraft(id);
    });
  }

  /**
   * Removes a request's personal data, as personal-data.ts decides column by column, and marks it
   * purged; its documents are marked removed (their paths go once the files are: see
   * DocumentRepository.forgetPurgedPaths) and its trail scrubbed. Call inside a transaction with the
   * trail's 'purged' event.
   */
  purge(id: string, patch: RequestPatch = {}): void {
    this.transaction(() => {
      this.documents.markRemoved(id);
      this.requests.markPurged(id, patch);
      for (const sql of purgeStatements()) this.s.prepare(sql).run(id);
      this.trail.scrub(id);
    });
  }

  /**
   * After purges: merges the search index (its old entries still hold the purged names' trigrams)
   * and checkpoints the WAL into the file, truncating it (it still holds the old pages).
   */
  compactAfterPurge(): void {
    this.s.prepare("INSERT INTO requests_text (requests_text) VALUES ('optimize')").run();
    this.s.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
