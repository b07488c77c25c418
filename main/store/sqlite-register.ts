import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from 'better-sqlite3';
import { SoloOffice } from './office.ts';
import type { Async, Compaction, Register } from './port.ts';
import type { RequestPatch } from './request-row.ts';
import { Store } from './store.ts';

/**
 * The storage port on this counter's SQLite file. better-sqlite3 answers at once; what this adds
 * is transactions that may await: while one is open, calls from outside it wait for its end
 * (one connection: they would otherwise slip into it), and calls from inside it (found by
 * AsyncLocalStorage, however deep) run in it.
 */
export class SqliteRegister implements Register {
  readonly kind = 'sqlite' as const;
  readonly requests: Register['requests'];
  readonly trail: Register['trail'];
  readonly attachments: Register['attachments'];
  readonly documents: Register['documents'];
  readonly catalog: Register['catalog'];
  readonly ledger: Register['ledger'];
  readonly wallet: Register['wallet'];
  readonly clients: Register['clients'];
  readonly keys: Register['keys'];
  readonly account: Register['account'];
  readonly paths: Register['paths'];
  readonly office = new SoloOffice();
  /** The synchronous repositories underneath (seeding in tests and benchmarks). */
  readonly sync: Store;
  /** The connection (tests read raw tables through it). */
  readonly db: Database;
  private readonly inside = new AsyncLocalStorage<symbol>();
  private open: { token: symbol; ended: Promise<void> } | null = null;

  constructor(db: Database, now: () => number, counter: () => string = () => '') {
    this.db = db;
    this.sync = new Store(db, now, counter);
    this.requests = this.gated(this.sync.requests);
    this.trail = this.gated(this.sync.trail);
    this.attachments = this.gated(this.sync.attachments);
    this.documents = this.gated(this.sync.documents);
    this.catalog = this.gated(this.sync.catalog);
    this.ledger = this.gated(this.sync.ledger);
    this.wallet = this.gated(this.sync.wallet);
    this.clients = this.gated(this.sync.clients);
    this.keys = this.gated(this.sync.keys);
    this.account = this.gated(this.sync.account);
    this.paths = this.gated(this.sync.paths);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.open && this.inside.getStore() === this.open.token) return fn();
    while (this.open) await this.open.ended;
    const token = Symbol('transaction');
    let end!: () => void;
    this.open = { token, ended: new Promise<void>((resolve) => (end = resolve)) };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const result = await this.inside.run(token, fn);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.open = null;
      end();
    }
  }

  deleteDraft(id: string): Promise<void> {
    return this.run(() => this.sync.deleteDraft(id));
  }

  purge(id: string, patch?: RequestPatch): Promise<void> {
    return this.run(() => this.sync.purge(id, patch));
  }

  /** The whole file whichever tables were written: secure_delete already zeroed the rows. */
  async compactAfterPurge(): Promise<Compaction> {
    await this.run(() => this.sync.compactAfterPurge());
    return { incomplete: [] };
  }

  async close(): Promise<void> {
    while (this.open) await this.open.ended;
    this.db.close();
  }

  /** Runs `fn` on the connection once no other transaction holds it. */
  private async run<T>(fn: () => T): Promise<T> {
    while (this.open && this.inside.getStore() !== this.open.token) await this.open.ended;
    return fn();
  }

  private gated<T extends object>(repository: T): Async<T> {
    return new Proxy(repository, {
      get: (target, property) => {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          this.run(() => (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    }) as unknown as Async<T>;
  }
}
