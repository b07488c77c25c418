import type { AccountRequests } from './account.ts';
import type { AttachmentRepository } from './attachments.ts';
import type { CatalogRepository } from './catalog.ts';
import type { ClientRecords } from './client-records.ts';
import type { DocumentKeyRecords } from './document-keys.ts';
import type { DocumentRepository } from './documents.ts';
import type { RemoteLedger } from './ledger.ts';
import type { Office } from './office.ts';
import type { PurgedTable } from './personal-data.ts';
import type { RecordedPaths } from './recorded-paths.ts';
import type { RequestPatch } from './request-row.ts';
import type { RequestRepository } from './requests.ts';
import type { Trail } from './trail.ts';
import type { WalletRecords } from './wallet.ts';

/*
 * The storage port: the request log, the trail, drafts' attachments, documents, the catalog cache,
 * the ledger of remote requests, the account's charges, the account's remote requests no request
 * owns, returning clients' records and who may open their documents on file, behind one
 * asynchronous interface. Two adapters: SQLite on a single counter (sqlite-register.ts, the
 * default) and PostgreSQL for an office with several counters (postgres/register.ts). Both pass
 * the same contract tests (test/integration/store/contract.test.ts).
 *
 * Each repository's methods are those of the SQLite repositories of this folder, each answering a
 * promise: the SQLite classes are the reference of what a method means, and the contract tests say
 * it for both.
 */

/** A repository's public methods, each answering a promise. */
export type Async<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

export type RequestsPort = Async<Omit<RequestRepository, 'transaction'>>;
export type TrailPort = Async<Trail>;
export type AttachmentsPort = Async<Omit<AttachmentRepository, 'transaction'>>;
export type DocumentsPort = Async<DocumentRepository>;
export type CatalogPort = Async<CatalogRepository>;
export type LedgerPort = Async<RemoteLedger>;
export type WalletPort = Async<WalletRecords>;
export type ClientsPort = Async<ClientRecords>;
export type AccountPort = Async<AccountRequests>;
export type DocumentKeysPort = Async<DocumentKeyRecords>;

/** What a compaction could not do (nothing, on SQLite): PostgreSQL's `flush_purged_wal()`. */
export interface Compaction {
  /** 'switch_wal', 'checkpoint', 'wal_recycle': old WAL may still hold the purged rows until the server drops it. */
  incomplete: string[];
}
export type PathsPort = Async<RecordedPaths>;

export interface Register {
  /** Which adapter: 'sqlite' (this counter's own file) or 'postgres' (the office's register). */
  readonly kind: 'sqlite' | 'postgres';
  readonly requests: RequestsPort;
  readonly trail: TrailPort;
  readonly attachments: AttachmentsPort;
  readonly documents: DocumentsPort;
  readonly catalog: CatalogPort;
  readonly ledger: LedgerPort;
  readonly wallet: WalletPort;
  readonly clients: ClientsPort;
  /** Counters' public keys and the document keys granted to them (documents on file at every counter). */
  readonly keys: DocumentKeysPort;
  /** The account's remote requests that no request owns, and the clerk's decisions on them. */
  readonly account: AccountPort;
  /** The columns that name files, as a whole: the register's identity, names for old absolute paths. */
  readonly paths: PathsPort;
  /**
   * The counters sharing this register (office.ts): who runs the tracker, and telling the others
   * what changed. A counter on its own (SQLite) is always the leader, with nobody to tell.
   */
  readonly office: Office;

  /**
   * Runs `fn` in one transaction: every call of this register made from within it (awaited or
   * not, at any depth) is part of it, and all of it commits or none does. Calls from elsewhere wait
   * for it (SQLite) or do not see it until it commits (PostgreSQL). A transaction within another
   * joins it. `fn` must not wait on anything but this register: no network inside.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;

  /** A draft that never reached the API, deleted with its attachments. */
  deleteDraft(id: string): Promise<void>;
  /**
   * Removes a request's personal data (personal-data.ts), marks it purged, its documents removed
   * and its trail scrubbed. Call inside a transaction with the trail's 'purged' event.
   */
  purge(id: string, patch?: RequestPatch): Promise<void>;
  /**
   * After purges that wrote `tables`: what still holds the purged data (old row versions, index
   * entries, journal pages) is rewritten or emptied. Answers what it could not reach (the server's
   * settings or grants, README), for the log: empty when nothing is left anywhere.
   */
  compactAfterPurge(tables: readonly PurgedTable[]): Promise<Compaction>;
  close(): Promise<void>;
}
