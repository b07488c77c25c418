import pg from 'pg';
import { LOCK_NAMESPACE, LOCKS } from '../../db/postgres/locks.ts';
import type {
  Leadership,
  LeadershipHandlers,
  Office,
  OfficeChange,
  OfficeListening,
  OfficeRole,
} from '../office.ts';
import type { PgSql } from './sql.ts';

/** The channel every counter LISTENs on. */
export const CHANGES_CHANNEL = 'sportello_changes';

/** NOTIFY's payload must stay under 8000 bytes: ids (36 characters and quotes) go in batches. */
const IDS_PER_NOTIFY = 150;

export interface PgOfficeOptions {
  /**
   * How long a counter that is not the leader waits before it tries again, and how long after a
   * lost connection it opens a new one (default 5 s).
   */
  retryMs?: number | undefined;
  /** How often a held connection is checked with a query (default 5 s). */
  heartbeatMs?: number | undefined;
  /**
   * After how long without a word from a counter the server ends its session (idle_session_timeout,
   * default 15 s), freeing its lock: a leader whose PC went off or whose network went away is
   * replaced within this plus `retryMs` (20 s by default; a leader whose app closes or crashes
   * frees it at once, so within `retryMs`). Must exceed `heartbeatMs`.
   */
  silentSessionMs?: number | undefined;
  /** A dedicated connection failed (it is opened again after `retryMs`): the first of a streak. */
  onError?: ((what: string, error: unknown) => void) | undefined;
}

type Settings = Required<Omit<PgOfficeOptions, 'onError'>> & Pick<PgOfficeOptions, 'onError'>;

const LOCK_OF: Record<OfficeRole, number> = { tracker: LOCKS.tracker };

/** Rejects when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface SessionSpec {
  name: string;
  /** On an open connection: true once it holds what it is for (then it is only kept alive). */
  attempt: (client: pg.Client) => Promise<boolean>;
  /** What `attempt` got is gone (the connection broke, or stop). */
  lost: () => void;
  /** The connection failed (the first failure after a success, or the first ever). */
  failed?: ((error: unknown) => void) | undefined;
}

/**
 * One connection of its own (not the pool's), opened again whenever it breaks: `attempt` runs on
 * it every `retryMs` until it succeeds, then a heartbeat every `heartbeatMs` keeps the session
 * alive (and tells a broken one).
 */
class DedicatedSession {
  private client: pg.Client | null = null;
  private got = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private failing = false;

  private readonly config: pg.ClientConfig;
  private readonly o: Settings;
  private readonly spec: SessionSpec;

  constructor(config: pg.ClientConfig, settings: Settings, spec: SessionSpec) {
    this.config = config;
    this.o = settings;
    this.spec = spec;
  }

  get holds(): boolean {
    return this.got;
  }

  /** Resolves once the first attempt has answered. */
  start(): Promise<void> {
    return this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    const client = this.client;
    this.drop(client);
    // Ending the session frees what it held (a session-level lock, a LISTEN).
    if (client) await within(client.end(), 5_000, `${this.spec.name}: close`).catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, ms);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    if (!this.running)
      this.running = this.step().finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    let client = this.client;
    try {
      if (!client) client = await this.open();
      if (!client) return;
      if (this.got)
        await within(client.query('SELECT 1'), this.o.heartbeatMs * 2, `${this.spec.name}: heartbeat`);
      else this.got = await this.spec.attempt(client);
      this.failing = false;
    } catch (error) {
      this.report(error);
      this.drop(client);
    }
    this.schedule(this.got ? this.o.heartbeatMs : this.o.retryMs);
  }

  private async open(): Promise<pg.Client | null> {
    const client = new pg.Client({ ...this.config, keepAlive: true });
    // A broken session (server restart, network cut, idle_session_timeout) loses what it held.
    client.on('error', (error) => {
      if (client === this.client) this.report(error);
      this.broken(client);
    });
    client.on('end', () => this.broken(client));
    try {
      await client.connect();
      await client.query("SELECT set_config('idle_session_timeout', $1, false)", [
        String(this.o.silentSessionMs),
      ]);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return null;
    }
    this.client = client;
    return client;
  }

  private report(error: unknown): void {
    if (this.failing || this.stopped) return;
    this.failing = true;
    this.o.onError?.(this.spec.name, error);
    this.spec.failed?.(error);
  }

  private broken(client: pg.Client): void {
    if (client !== this.client) return;
    this.drop(client);
    // A step under way will fail on it and schedule the retry itself.
    if (!this.running) this.schedule(this.o.retryMs);
  }

  /** Forgets `client` (ending it if it is still open) and what it held. */
  private drop(client: pg.Client | null): void {
    if (!client || client !== this.client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.got) {
      this.got = false;
      this.spec.lost();
    }
  }
}

/**
 * The office on PostgreSQL. A role is a session-level advisory lock (pg_try_advisory_lock) held on
 * a connection of its own: a counter whose app ends, or whose session the server ends, frees it;
 * the others try again every `retryMs`. Changes are NOTIFY on CHANGES_CHANNEL, heard on another
 * connection of its own, opened again when it breaks.
 */
export class PgOffice implements Office {
  readonly shared = true;
  private readonly sql: PgSql;
  private readonly options: Settings;
  private readonly sessions = new Set<DedicatedSession>();

  constructor(sql: PgSql, options: PgOfficeOptions = {}) {
    this.sql = sql;
    const heartbeatMs = options.heartbeatMs ?? 5_000;
    const retryMs = options.retryMs ?? 5_000;
    this.options = {
      retryMs,
      heartbeatMs,
      // Never so short that a session between two of its queries looks silent.
      silentSessionMs: Math.max(options.silentSessionMs ?? 15_000, 2 * Math.max(heartbeatMs, retryMs)),
      onError: options.onError,
    };
  }

  private session(spec: SessionSpec): DedicatedSession {
    const { options } = this.sql.pool;
    const session = new DedicatedSession(
      // The pool keeps the password out of its options' enumerable keys.
      { ...options, password: options.password, application_name: `Sportello (${spec.name})` },
      this.options,
      spec,
    );
    this.sessions.add(session);
    return session;
  }

  async lead(role: OfficeRole, handlers: LeadershipHandlers): Promise<Leadership> {
    const session = this.session({
      name: `leader ${role}`,
      attempt: async (client) => {
        const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [
          LOCK_NAMESPACE,
          LOCK_OF[role],
        ]);
        if (!rows[0]?.got) return false;
        handlers.gained();
        return true;
      },
      lost: () => handlers.lost(),
      failed: handlers.failed,
    });
    await session.start();
    return {
      get held() {
        return session.holds;
      },
      stop: async () => {
        this.sessions.delete(session);
        await session.stop();
      },
    };
  }

  async publish(change: OfficeChange): Promise<void> {
    for (let i = 0; i < change.ids.length; i += IDS_PER_NOTIFY) {
      const payload = JSON.stringify({ ...change, ids: change.ids.slice(i, i + IDS_PER_NOTIFY) });
      // Through the register: inside a transaction, it is told when that commits.
      await this.sql.run('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, payload]);
    }
  }

  async listen(
    listener: (change: OfficeChange) => void,
    failed?: (error: unknown) => void,
    resumed?: () => void,
  ): Promise<OfficeListening> {
    const hear = (message: pg.Notification) => {
      if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
      const change = parseChange(message.payload);
      if (change) listener(change);
    };
    let heardBefore = false;
    const session = this.session({
      name: 'changes',
      attempt: async (client) => {
        client.on('notification', hear);
        await client.query(`LISTEN ${CHANGES_CHANNEL}`);
        // Listening again after a break: what was told meanwhile is lost, the counter reads afresh.
        if (heardBefore) resumed?.();
        heardBefore = true;
        return true;
      },
      lost: () => {},
      failed,
    });
    await session.start();
    return {
      stop: async () => {
        this.sessions.delete(session);
        await session.stop();
      },
    };
  }

  async close(): Promise<void> {
    const sessions = [...this.sessions];
    this.sessions.clear();
    await Promise.all(sessions.map((s) => s.stop()));
  }
}

/** A notification's payload, or null when it is not one of ours. */
function parseChange(payload: string): OfficeChange | null {
  try {
    const value = JSON.parse(payload) as Partial<OfficeChange>;
    if (
      value.kind === 'requestChanged' &&
      typeof value.counterId === 'string' &&
      Array.isArray(value.ids) &&
      value.ids.every((id) => typeof id === 'string')
    )
      return { kind: value.kind, ids: value.ids, counterId: value.counterId };
  } catch {
    // Not JSON: someone else's NOTIFY on our channel.
  }
  return null;
}
