import { compareServices } from '../../common/catalog-order.ts';
import { serviceDetailSchema, type ServiceDetail, type ServiceSummary } from '../../common/catalog.ts';
import type { Environment } from '../../common/environments.ts';
import type { BackgroundWork } from '../background.ts';
import type { Engine } from '../engine/engine.ts';
import { AppError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { Logger } from '../ports.ts';
import type { CatalogPort } from '../store/port.ts';

export interface CatalogOptions {
  /** After this age the list is refreshed in the background (it is still served at once). */
  listMaxAgeMs: number;
  detailMaxAgeMs: number;
}

const DEFAULTS: CatalogOptions = { listMaxAgeMs: 6 * 3600_000, detailMaxAgeMs: 30 * 60_000 };

/** Codes that mean "the API could not be reached": the cached copy is then the best answer. */
const UNREACHABLE = new Set(['network', 'timeout', 'server_error', 'bad_response']);

/**
 * Services and their details, served from the SQLite cache at once and refreshed behind the
 * clerk's back; works offline with the last copy. Each environment has its own catalog.
 */
export class CatalogService {
  private readonly cache: CatalogPort;
  private readonly engine: (environment: Environment) => Promise<Engine>;
  private readonly events: EventHub;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly options: CatalogOptions;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly work: BackgroundWork;

  constructor(deps: {
    cache: CatalogPort;
    engine: (environment: Environment) => Promise<Engine>;
    events: EventHub;
    now: () => number;
    log: Logger;
    background: BackgroundWork;
    options?: Partial<CatalogOptions>;
  }) {
    this.cache = deps.cache;
    this.engine = deps.engine;
    this.events = deps.events;
    this.now = deps.now;
    this.log = deps.log;
    this.work = deps.background;
    this.options = { ...DEFAULTS, ...deps.options };
  }

  async list(environment: Environment): Promise<ServiceSummary[]> {
    const cached = await this.cachedList(environment);
    if (cached.length === 0) return this.refreshList(environment);
    const fetchedAt = await this.cache.listFetchedAt(environment);
    if (fetchedAt === null || this.now() - fetchedAt > this.options.listMaxAgeMs)
      this.work.run('catalog refresh', () => this.refreshList(environment));
    return cached;
  }

  /**
   * A service's detail. `fresh` asks the API first (before money is spent), falling back to the
   * cached copy only when the API cannot be reached.
   */
  async detail(
    environment: Environment,
    hash: string,
    options: { fresh?: boolean } = {},
  ): Promise<ServiceDetail> {
    const cached = await this.cachedDetail(environment, hash);
    if (cached && !options.fresh) {
      if (this.now() - cached.fetchedAt > this.options.detailMaxAgeMs)
        this.work.run('catalog refresh', () => this.refreshDetail(environment, hash));
      return cached.detail;
    }
    try {
      return await this.refreshDetail(environment, hash);
    } catch (error) {
      if (cached && error instanceof AppError && UNREACHABLE.has(error.code)) {
        this.log.warn('catalog detail served from cache', { environment, hash, code: error.code });
        return cached.detail;
      }
      throw error;
    }
  }

  /** The cached detail only, without any network call (null when never fetched). */
  async cachedDetail(
    environment: Environment,
    hash: string,
  ): Promise<{ detail: ServiceDetail; fetchedAt: number } | null> {
    const row = await this.cache.detail(environment, hash);
    if (!row) return null;
    const parsed = serviceDetailSchema.safeParse(JSON.parse(row.json));
    return parsed.success ? { detail: parsed.data, fetchedAt: row.fetchedAt } : null;
  }

  private async cachedList(environment: Environment): Promise<ServiceSummary[]> {
    return (await this.cache.list(environment)).sort(compareServices);
  }

  private refreshList(environment: Environment): Promise<ServiceSummary[]> {
    return this.once(`list:${environment}`, async () => {
      const services = await (await this.engine(environment)).listServices();
      const before = JSON.stringify(await this.cachedList(environment));
      await this.cache.replaceList(environment, services, this.now());
      const after = await this.cachedList(environment);
      if (before !== '[]' && before !== JSON.stringify(after))
        this.events.emit('catalogUpdated', { count: after.length });
      return after;
    });
  }

  private refreshDetail(environment: Environment, hash: string): Promise<ServiceDetail> {
    return this.once(`detail:${environment}:${hash}`, async () => {
      const detail = await (await this.engine(environment)).getService(hash);
      await this.cache.putDetail(environment, hash, detail, this.now());
      return detail;
    });
  }

  /** One call at a time per key: a burst of renders asks the API once. */
  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = fn().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }
}
