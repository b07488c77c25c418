import { join } from 'node:path';
import { AttachmentStore } from '../attachments/store.ts';
import type { BackgroundWork } from '../background.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import { ArchiveCopies } from '../documents/copies.ts';
import { DocumentService } from '../documents/service.ts';
import type { Engine } from '../engine/engine.ts';
import type { OAuthClient } from '../engine/oauth.ts';
import type { EngineProvider } from '../engine/provider.ts';
import type { EventHub } from '../events.ts';
import type { Roots } from '../files/roots.ts';
import { pruneLogs } from '../log/logger.ts';
import type { Clock, Logger, Notifier, Opener, Paths } from '../ports.ts';
import type { DocumentReader } from '../reading/port.ts';
import type { CredentialsService } from '../settings/credentials.ts';
import type { PreferencesService } from '../settings/preferences.ts';
import type { Register } from '../store/port.ts';
import { AccountWatch } from './account.ts';
import { ChargeAudit } from './charges.ts';
import { CloseOut } from './closeout.ts';
import { DraftService } from './drafts.ts';
import { DuplicateGuard } from './duplicates.ts';
import { Lifecycle, type Transition } from './lifecycle.ts';
import type { RequestRow } from '../store/request-row.ts';
import { Retention } from './retention.ts';
import { CounterSpending } from './spending.ts';
import { Submitter } from './submit.ts';
import { Tracker } from './tracker.ts';
import { stateOf, toSummary } from './views.ts';
import type { Environment } from '../../common/environments.ts';
import type { ServiceProfile } from '../../common/probe.ts';
import type { RequestSummary } from '../../common/requests.ts';
import { CLERK_STATE_WORDS } from '../../common/request-states.ts';
import { clientPriceOf } from '../../common/settings.ts';

/**
 * The sending lease (submit.ts): length (app clock, default 60 s), renewal (real time) and, on the
 * office's PostgreSQL, how often expired leases are looked for (app.ts; default 30 s). Tests shorten them.
 */
export interface LeaseOptions {
  ms?: number | undefined;
  renewMs?: number | undefined;
  sweepMs?: number | undefined;
}

/** What the request services take of the app's shared core (main/core.ts gives it, app.ts passes it). */
export interface RequestsCore {
  ports: { paths: Pick<Paths, 'userData'>; opener: Opener; notifier: Notifier; clock: Clock };
  log: Logger;
  now: () => number;
  events: Pick<EventHub, 'emit'>;
  background: Pick<BackgroundWork, 'run'>;
  preferences: Pick<PreferencesService, 'get'>;
  operator: () => string;
  counter: () => string;
  /** The owner of the sending leases this counter takes. */
  counterId: string;
  environment: () => Environment;
  /** The request log and everything kept with it. */
  store: Register;
  /** Where drafts and their scans are kept: `store`, or on an office the drafts held here (store/held-drafts.ts). */
  drafts: Register;
  roots: Roots;
  engine: (environment: Environment) => Promise<Engine>;
  engines: Pick<EngineProvider, 'oauthAccess' | 'baseUrl'>;
  oauth: Pick<OAuthClient, 'transactionsSince'>;
  credentials: Pick<CredentialsService, 'missingScopes' | 'tokenDetail'>;
}

/**
 * What the last probe found of an environment where the spec is silent (probe/profiles.ts keeps
 * it): followed only where relying on it is safe, null when never probed.
 */
export interface ServiceProfileSource {
  get(environment: Environment): Pick<ServiceProfile, 'delete' | 'transactionAmounts'> | null;
}

export interface RequestServicesOptions {
  catalog: CatalogService;
  profiles: ServiceProfileSource;
  /** Jitter source for the tracker (tests fix it). */
  random?: (() => number) | undefined;
  /** How long an uncertain POST may still be finishing on the server (submit.ts); tests shorten it. */
  settleMs?: number | undefined;
  /** Every status transition as it commits (tests of the lifecycle watch through it). */
  onTransition?: ((transition: Transition) => void) | undefined;
  lease?: LeaseOptions | undefined;
  /** What a file's pages say (main/reading/): where a dropped file goes, what fills the form. */
  reader?: DocumentReader | null | undefined;
}

export type RequestServices = ReturnType<typeof createRequestServices>;

/**
 * The request log and everything that moves a request along: drafts and their scans, the
 * exactly-once submission, the tracker, the outputs, the ledger of remote requests and the
 * account's charges, retention — each built once, wired to the others.
 */
export function createRequestServices(core: RequestsCore, options: RequestServicesOptions) {
  const { store, now, log, operator, environment, engine, background, preferences, events, ports } = core;
  const { catalog, profiles } = options;
  const { ledger } = store;
  /** Rows as the screens list them, with their documents counted in one question. */
  const summariesOf = async (rows: readonly RequestRow[]): Promise<RequestSummary[]> => {
    const counts = await store.documents.counts(rows.map((r) => r.id));
    return rows.map((row) => toSummary(row, counts.get(row.id) ?? 0));
  };
  const summaryOf = async (row: RequestRow): Promise<RequestSummary> => (await summariesOf([row]))[0]!;
  // Pushed after the change committed; a failure to read it back only loses the push.
  const pushChange = (id: string) => {
    void (async () => {
      const row = await store.requests.get(id);
      if (row && row.status !== 'draft') events.emit('requestChanged', await summaryOf(row));
    })().catch((error: unknown) => log.warn('push of a change failed', { id, error: String(error) }));
  };
  const pushStale = () => events.emit('requestsStale', {});
  // …and told to the office's other counters (office-link.ts: they push it to their screens).
  const changed = (id: string) => {
    pushChange(id);
    if (store.office.shared)
      store.office
        .publish({ kind: 'requestChanged', ids: [id], counterId: core.counterId })
        .catch((error: unknown) => log.warn('notice of a change failed', { id, error: String(error) }));
  };
  // Every change of a request's status goes through the lifecycle (the tracker refreshes for it).
  const lifecycle: Lifecycle = new Lifecycle({
    store,
    engine,
    refresh: (id) => tracker.refresh(id),
    now,
    operator,
    owner: core.counterId,
    counter: core.counter,
    changed,
    ...(options.onTransition ? { onTransition: options.onTransition } : {}),
  });
  /** Why the clerk (or the close-out) cannot cancel with DELETE here: the probe's profile, the account's scopes. */
  const deleteRefusal = (env: Environment) =>
    core.credentials.missingScopes(env).includes('DELETE /richiesta')
      ? ('scope_missing' as const)
      : profiles.get(env)?.delete === 'absent'
        ? ('not_offered' as const)
        : null;
  const closeOut = new CloseOut({ ledger, store, engine, log, operator, deleteRefusal });
  const account = new AccountWatch({
    store,
    engine,
    serviceNames: async (env) => new Map((await catalog.list(env)).map((s) => [s.hash, s.nome])),
    deleteRefusal,
    now,
    log,
    operator,
  });
  const abandoned = () => background.run('close-out', () => closeOut.run());
  const charges = new ChargeAudit({
    store,
    // The account's charges (OAuth API, Basic auth): unavailable with only a ready token.
    transactions: async (env, since) => {
      const access = await core.engines.oauthAccess(env);
      return access ? (await core.oauth.transactionsSince(access, since)).transactions : null;
    },
    visengineHost: async (env) => new URL(await core.engines.baseUrl(env)).host,
    amounts: (env) => profiles.get(env)?.transactionAmounts ?? 'unknown',
    now,
    log,
  });
  // This counter's token spending against its log (each counter has its own token).
  const spending = new CounterSpending({
    store,
    token: (env) => core.credentials.tokenDetail(env),
    counter: core.counter,
    amounts: (env) => profiles.get(env)?.transactionAmounts ?? 'unknown',
    log,
  });
  // Drafts and their scans: on an office, kept on this counter while its register does not answer.
  const attachments = new AttachmentStore({
    store: core.drafts,
    roots: core.roots,
    now,
  });
  const drafts = new DraftService({
    store: core.drafts,
    ledger,
    lifecycle,
    catalog,
    attachments,
    environment,
    operator,
    counter: core.counter,
    now,
    abandoned,
    reader: options.reader ?? null,
  });
  const duplicates = new DuplicateGuard({ store, now, operator });
  // This counter's own files in its archive, whichever counter purges their request (copies.ts).
  const copies = new ArchiveCopies({ file: join(ports.paths.userData, 'archivio-copie.json'), log });
  const documents = new DocumentService({
    copies,
    store,
    engine,
    roots: core.roots,
    opener: ports.opener,
    now,
    log,
    operator,
    changed,
  });
  const finished = (row: RequestRow) => {
    if (row.status === 'done') background.run('download', () => documents.download(row.id));
    if (preferences.get().notifications && (row.status === 'done' || row.status === 'cancelled')) {
      // No client name: notifications show on a screen others may see, and stay in the OS's history.
      // In the words the screens use for it: "Pratica pronta", "Pratica respinta", …
      const state = stateOf(row);
      ports.notifier.notify({
        title: `Pratica ${CLERK_STATE_WORDS[state].toLowerCase()}`,
        body: `${row.serviceName}${row.number ? ` (n. ${row.number})` : ''}: aprite Sportello per i dettagli`,
      });
    }
  };
  const tracker: Tracker = new Tracker({
    store,
    lifecycle,
    engine,
    clock: ports.clock,
    log,
    random: options.random,
    pollMinutes: () => preferences.get().pollMinutes,
    finished,
    outputsChanged: (row) => background.run('download', () => documents.refresh(row.id)),
  });
  const submitter = new Submitter({
    store,
    lifecycle,
    ledger,
    catalog,
    attachments,
    engine,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    settleMs: options.settleMs,
    owner: core.counterId,
    counter: core.counter,
    leaseMs: options.lease?.ms,
    renewMs: options.lease?.renewMs,
    office: {
      numberPrefix: () => preferences.get().numberPrefix,
      clientPrice: (hash) => clientPriceOf(preferences.get(), hash),
    },
    log,
    operator,
    abandoned,
    accepted: async (id) => {
      const row = await store.requests.get(id);
      if (row && row.status !== 'pending') finished(row);
      tracker.poke();
    },
  });
  const retention = new Retention({
    store,
    ledger,
    lifecycle,
    attachments,
    roots: core.roots,
    now,
    days: () => preferences.get().retentionDays,
    log,
    operator,
    changed,
    logs: { prune: (before: number) => pruneLogs(join(ports.paths.userData, 'logs'), before) },
    copies,
  });
  return {
    store,
    ledger,
    lifecycle,
    closeOut,
    charges,
    account,
    spending,
    attachments,
    drafts,
    duplicates,
    documents,
    tracker,
    submitter,
    retention,
    summaryOf,
    summariesOf,
    pushChange,
    pushStale,
    deleteRefusal,
    missingScopes: (env: Environment) => core.credentials.missingScopes(env),
  };
}
