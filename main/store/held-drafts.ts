import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, rmSync } from 'node:fs';
import { openDatabase } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { moveIntoOffice, type MoveOptions, type MoveReport } from './move.ts';
import type { Register } from './port.ts';
import type { PgRegister } from './postgres/register.ts';
import type { RequestStatus } from '../../common/requests.ts';
import { SqliteRegister } from './sqlite-register.ts';

/** Where a call of the drafts' register goes. */
type Side = 'office' | 'local' | 'both';

/**
 * Drafts kept on this counter while the office's register does not answer (issue 13 item 9): the
 * register the drafts and their scans (DraftService, AttachmentStore) and the catalog cache use on
 * a counter of an office. Everything goes to the office's register, except:
 *
 * - while the link is down (`offline`), a new draft, its trail and its attachments' rows are kept
 *   in a SQLite log of this counter's own (`file`, apart from pratiche.sqlite: that one holds the
 *   log moved in on joining, and the copy kept on leaving), and the drafts held there are read and
 *   changed there, and listed with the office's (those only while it answers);
 * - the catalog cache is read from (and written to) that file while the office does not answer,
 *   so that a service's form can still be opened;
 * - once the office answers again, `moveIn` copies the file into the office's register (move.ts:
 *   idempotent, events keyed by their origin) and removes the drafts moved from it (the trail is
 *   append-only: its events stay, and moving them again writes nothing).
 *
 * Sending such a draft is refused while the office does not answer: the submission works on the
 * office's register only (the draft is not there yet: office_unreachable).
 */
export class HeldDrafts implements Register {
  readonly kind = 'postgres' as const;
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
  /** The office's: the drafts held here are named as they are written (relative to this counter's roots). */
  readonly paths: Register['paths'];
  readonly office: Register['office'];
  private readonly main: PgRegister;
  private readonly file: string;
  private readonly offline: () => boolean;
  private readonly joined: () => boolean;
  private opened: SqliteRegister | null = null;
  private readonly now: () => number;
  private readonly counter: () => string;
  /** The drafts in the local file (not yet moved into the office). */
  private readonly held = new Set<string>();
  /** The attachments of those drafts. */
  private readonly heldParts = new Set<string>();
  private readonly inside = new AsyncLocalStorage<Side>();
  private moving: Promise<unknown> | null = null;

  constructor(deps: {
    office: PgRegister;
    file: string;
    /** Whether the office's register is known not to answer now (the link's state). */
    offline: () => boolean;
    /**
     * Whether this counter's start on the office is done (schema, its log moved in): before it,
     * nothing is kept here (the counter waits for the office).
     */
    joined: () => boolean;
    now: () => number;
    counter: () => string;
  }) {
    this.main = deps.office;
    this.file = deps.file;
    this.offline = () => deps.joined() && deps.offline();
    this.joined = deps.joined;
    this.now = deps.now;
    this.counter = deps.counter;
    if (existsSync(this.file)) this.load();
    const main = this.main;
    this.office = main.office;
    this.documents = main.documents;
    this.ledger = main.ledger;
    this.wallet = main.wallet;
    this.clients = main.clients;
    this.keys = main.keys;
    this.account = main.account;
    this.paths = main.paths;
    const requests = main.requests;
    this.requests = this.routed(main.requests, {
      get: (id: string) => this.byDraft(id),
      update: (id: string) => this.byDraft(id),
      insert: (row: { id: string; status: RequestStatus }) =>
        row.status === 'draft' && this.current() === 'local' ? 'local' : this.byDraft(row.id),
      byStatus: async (statuses: readonly RequestStatus[]) => {
        if (statuses.length !== 1 || statuses[0] !== 'draft') return requests.byStatus(statuses);
        const here = this.held.size ? await this.local().requests.byStatus(statuses) : [];
        // While the office does not answer, the drafts kept here are all there is to list.
        const there = await requests.byStatus(statuses).catch((error: unknown) => {
          if (isUnreachable(error) && this.joined()) return [];
          throw error;
        });
        if (!here.length) return there;
        return [...there, ...here].sort((a, b) => a.createdAt - b.createdAt);
      },
    });
    this.trail = this.routed(main.trail, {
      add: (requestId: string | null, _kind: unknown, _operator: unknown, data?: Record<string, unknown>) =>
        requestId === null
          ? this.inside.getStore() === 'local' || this.held.has(String(data?.draft))
            ? 'local'
            : 'office'
          : this.byDraft(requestId),
    });
    this.attachments = this.routed(main.attachments, {
      of: (requestId: string) => this.byDraft(requestId),
      insert: (row: { requestId: string }) => this.byDraft(row.requestId),
      delete: (requestId: string) => this.byDraft(requestId),
      forgetFiles: (requestId: string) => this.byDraft(requestId),
      deleteAll: (requestId: string) => this.byDraft(requestId),
      setField: (id: string) => (this.heldParts.has(id) ? 'local' : 'office'),
      setPosition: (id: string) => (this.heldParts.has(id) ? 'local' : 'office'),
    });
    this.catalog = this.fallback(main.catalog, (r) => r.catalog);
  }

  /** Whether drafts are held here, waiting for the office. */
  get holding(): boolean {
    return this.held.size > 0;
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) return fn();
    if (this.offline()) return this.inside.run('local', () => this.local().transaction(fn));
    let started = false;
    const run = () => {
      started = true;
      return fn();
    };
    const attempt = this.held.size
      ? this.inside.run('both', () => this.main.transaction(() => this.local().transaction(run)))
      : this.inside.run('office', () => this.main.transaction(run));
    // The office stopped answering before the link noticed: nothing was written; kept here.
    return attempt.catch((error: unknown) => {
      if (started || !isUnreachable(error) || !this.joined()) throw error;
      return this.inside.run('local', () => this.local().transaction(fn));
    });
  }

  async deleteDraft(id: string): Promise<void> {
    if (this.byDraft(id) === 'office') return this.main.deleteDraft(id);
    await this.local().deleteDraft(id);
    this.held.delete(id);
  }

  purge(id: string, patch?: Parameters<Register['purge']>[1]): Promise<void> {
    return this.main.purge(id, patch);
  }

  compactAfterPurge(
    tables: Parameters<Register['compactAfterPurge']>[0],
  ): ReturnType<Register['compactAfterPurge']> {
    return this.main.compactAfterPurge(tables);
  }

  /** Closes the local file; the office's register is the app's (it closes it). */
  async close(): Promise<void> {
    await this.moving?.catch(() => {});
    await this.opened?.close();
    this.opened = null;
  }

  /**
   * The drafts held here copied into the office's register, then removed from here. Safe to run
   * again, or after a failure half-way (nothing is doubled: move.ts). Answers the ids moved.
   */
  moveIn(options: MoveOptions = {}): Promise<{ moved: string[]; report: MoveReport | null }> {
    const previous = this.moving ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(async () => {
        if (!this.opened && !existsSync(this.file)) return { moved: [], report: null };
        const local = this.local();
        const moved = await local.transaction(async () => {
          const report = await moveIntoOffice(local.db, this.main.sql.pool, options);
          const ids = (local.sync.requests.byStatus(['draft']) as { id: string }[]).map((r) => r.id);
          for (const id of ids) local.sync.deleteDraft(id);
          for (const id of ids) this.held.delete(id);
          if (!this.held.size) this.heldParts.clear();
          return { moved: ids, report };
        });
        // Nothing held any more: the file goes whole. Its trail (which SQLite keeps append-only)
        // and its catalog cache are in the office now, and the trail's data may name the client.
        if (!this.held.size && !this.offline()) await this.forget();
        return moved;
      });
    this.moving = next;
    void next
      .finally(() => {
        if (this.moving === next) this.moving = null;
      })
      .catch(() => {});
    return next;
  }

  private current(): Side {
    return this.inside.getStore() ?? (this.offline() ? 'local' : 'office');
  }

  private byDraft(id: string): Side {
    return this.held.has(id) ? 'local' : 'office';
  }

  /** Closes the local file and deletes it (with its WAL): made again when next needed. */
  private async forget(): Promise<void> {
    await this.opened?.close();
    this.opened = null;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.file}${suffix}`, { force: true });
  }

  private local(): SqliteRegister {
    this.opened ??= new SqliteRegister(openDatabase(this.file), this.now, this.counter);
    return this.opened;
  }

  private load(): void {
    const local = this.local();
    for (const row of local.sync.requests.byStatus(['draft'])) {
      this.held.add(row.id);
      for (const part of local.sync.attachments.of(row.id)) this.heldParts.add(part.id);
    }
  }

  /**
   * A repository whose methods named in `routes` go where their route says (or, a function
   * answering other than a side, are answered by it); the others go to the office.
   */
  private routed<T extends object>(
    office: T,
    routes: Record<string, (...args: never[]) => Side | Promise<unknown>>,
  ): T {
    const name = repositoryOf(office, this.main);
    const pick = (side: Side): object =>
      side === 'office' ? office : (this.local() as unknown as Record<string, object>)[name]!;
    return new Proxy(office, {
      get: (target, property) => {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const route = routes[property] as ((...args: unknown[]) => Side | Promise<unknown>) | undefined;
        return async (...args: unknown[]) => {
          if (this.moving && !this.inside.getStore()) await this.moving.catch(() => {});
          const side = route ? route(...args) : 'office';
          if (typeof side !== 'string') return side;
          const repository = pick(side);
          const result = await (Reflect.get(repository, property) as (...a: unknown[]) => unknown).apply(
            repository,
            args,
          );
          if (side !== 'office') this.remember(property, args);
          return result;
        };
      },
    });
  }

  /** A draft (or a part) written here is held here. */
  private remember(method: string, args: unknown[]): void {
    const row = args[0] as { id?: string; requestId?: string; status?: string } | undefined;
    if (method === 'insert' && row?.status === 'draft' && row.id) this.held.add(row.id);
    else if (method === 'insert' && row?.requestId && row.id) this.heldParts.add(row.id);
  }

  /** The office's repository, or this counter's file's while the office does not answer. */
  private fallback<T extends object>(office: T, local: (r: SqliteRegister) => object): T {
    return new Proxy(office, {
      get: (target, property) => {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function') return value;
        const here = (...args: unknown[]) => {
          const repository = local(this.local());
          return (Reflect.get(repository, property) as (...a: unknown[]) => unknown).apply(repository, args);
        };
        return async (...args: unknown[]) => {
          if (this.offline()) return here(...args);
          try {
            return await (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            if (isUnreachable(error) && this.joined()) return here(...args);
            throw error;
          }
        };
      },
    });
  }
}

/** Which of the register's repositories `repository` is. */
function repositoryOf(repository: object, register: PgRegister): string {
  for (const name of ['requests', 'trail', 'attachments'] as const)
    if (register[name] === repository) return name;
  throw new Error('not a routed repository');
}

function isUnreachable(error: unknown): boolean {
  return error instanceof AppError && error.code === 'office_unreachable';
}
