import type { Handlers } from '../common/api.ts';
import { appHandlers } from './app-info.ts';
import { SCANS_SWEEP_MS, sweepScans } from './attachments/sweep.ts';
import { catalogHandlers } from './catalog/handlers.ts';
import { CatalogService, type CatalogOptions } from './catalog/catalog.ts';
import { clientHandlers } from './clients/handlers.ts';
import { createClientServices } from './clients/services.ts';
import { createCore, type AppPorts, type CoreConfig } from './core.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { Disposables } from './disposables.ts';
import { documentHandlers } from './documents/handlers.ts';
import type { OAuthClient } from './engine/oauth.ts';
import { registerHandlers } from './files/handlers.ts';
import type { EventHub } from './events.ts';
import { errorFields } from './log/redact.ts';
import type { PathGrants } from './security/grants.ts';
import { mandatoHandlers } from './mandato/handlers.ts';
import { ServiceProfiles } from './probe/profiles.ts';
import { ProbeService } from './probe/service.ts';
import type { DocumentReader } from './reading/port.ts';
import { ThreadedReader } from './reading/threaded.ts';
import { receiptHandlers } from './receipt/handlers.ts';
import { draftHandlers, requestHandlers } from './requests/handlers.ts';
import type { HeldDrafts } from './store/held-drafts.ts';
import { OfficeLink } from './requests/office-link.ts';
import type { Transition } from './requests/lifecycle.ts';
import { createRequestServices, type LeaseOptions, type RequestServices } from './requests/services.ts';
import { scanningHandlers } from './scanning/handlers.ts';
import { createScanningServices, type ScanningConfig } from './scanning/services.ts';
import type { WatchFolder } from './scanning/watch-folder.ts';
import { SettingsChanges } from './settings/changes.ts';
import { namedPathsMarker } from './settings/preferences.ts';
import { nameLegacyPaths } from './store/legacy-paths.ts';
import type { CredentialsService } from './settings/credentials.ts';
import { officeHandlers, settingsHandlers } from './settings/handlers.ts';

export type { AppPorts } from './core.ts';

export interface AppConfig extends CoreConfig {
  catalog?: Partial<CatalogOptions> | undefined;
  /** Jitter source for the tracker (tests fix it). */
  random?: (() => number) | undefined;
  /** How long an uncertain POST may still be finishing on the server (submit.ts); tests shorten it. */
  settleMs?: number | undefined;
  /** Every status transition as it commits (tests of the lifecycle watch through it). */
  onTransition?: ((transition: Transition) => void) | undefined;
  scanning?: ScanningConfig | undefined;
  /** The sending lease (requests/services.ts LeaseOptions). */
  lease?: LeaseOptions | undefined;
  /**
   * The document reader (main/reading/): its thread's script (the app's built one), or a reader
   * in its place (a fake at the port in tests that do not read pages).
   */
  reading?: { script?: string | undefined; reader?: DocumentReader | undefined } | undefined;
}

export interface App {
  handlers: Handlers;
  dispatch: Dispatch;
  /** The files the page may name: the preload grants the ones the clerk drops or chooses (main/ipc.ts). */
  grants: PathGrants;
  events: EventHub;
  /** Finishes what a crash or an outage left, then starts tracking. Call once the window shows. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Stops `start` waiting for the office register to answer (quitting need not wait for it). */
  interrupt(): void;
  /** For tests and benchmarks: the services behind the handlers. */
  internals: Pick<
    RequestServices,
    | 'store'
    | 'ledger'
    | 'closeOut'
    | 'charges'
    | 'account'
    | 'tracker'
    | 'submitter'
    | 'documents'
    | 'retention'
  > & {
    credentials: CredentialsService;
    oauth: OAuthClient;
    /** Whether this counter runs the office's tracker now (always, on SQLite, once started). */
    leading(): boolean;
    /** The watched scan folder's watcher while one runs (settled: see `scanFolderSettled`). */
    scanFolder(): WatchFolder | null;
    /** Resolves once the last (re)start of the watched folder is done. */
    scanFolderSettled(): Promise<void>;
    /** On an office, the drafts kept on this counter while its register did not answer (held-drafts.ts). */
    held: HeldDrafts | null;
    /** Resolves once the background work under way (downloads, retention, …) is done. */
    idle(): Promise<void>;
  };
}

const DAY = 86_400_000;

/** The composition root: builds every service from the ports, wires them, gathers their handlers. */
export function createApp(ports: AppPorts, config: AppConfig): App {
  const core = createCore(ports, config);
  const { events, background, preferences, now, log, operator, environment } = core;
  const parts = new Disposables(log);

  const catalog = new CatalogService({
    cache: core.drafts.catalog, // this counter's own while the office does not answer (held-drafts.ts)
    engine: core.engine,
    events,
    now,
    log,
    background,
    options: config.catalog,
  });
  const profiles = new ServiceProfiles(ports.preferences);
  // Started with the first file to read, in a thread of its own.
  const reader = config.reading?.reader ?? new ThreadedReader({ script: config.reading?.script, log });
  const requests = createRequestServices(core, {
    reader,
    catalog,
    profiles,
    random: config.random,
    settleMs: config.settleMs,
    onTransition: config.onTransition,
    lease: config.lease,
  });
  const { store, attachments, drafts } = requests;

  const {
    files: clientFiles,
    access: filesAccess,
    clients,
    receipts,
    mandati,
  } = createClientServices(core, { store, attachments, catalog, documents: requests.documents, reader });
  const { scanners, tray, cards } = createScanningServices(core, {
    store,
    drafts,
    attachments,
    catalog,
    reader,
    config: config.scanning,
  });
  const probe = new ProbeService({ core, profiles, ledger: requests.ledger, store });

  const handlers: Handlers = {
    ...appHandlers(core, config.version),
    ...catalogHandlers(catalog, environment),
    ...draftHandlers({ services: requests }),
    ...requestHandlers({ services: requests, catalog, background, now, operator, environment }),
    ...documentHandlers(requests.documents),
    ...clientHandlers(clients, clientFiles, filesAccess),
    ...receiptHandlers(receipts),
    ...officeHandlers(core),
    ...settingsHandlers({
      core,
      changes: new SettingsChanges({
        dialogs: ports.dialogs,
        usable: async (env) => {
          const status = await core.credentials.status(env);
          return status.kind !== 'none' && !status.unreadable;
        },
      }),
      probe,
      profiles,
      spending: requests.spending,
      saved: (previous, next, patch) => tray.applyPreferences(previous, next, patch),
    }),
    ...scanningHandlers({ scanners, tray, cards }),
    ...mandatoHandlers(mandati),
    ...registerHandlers(core.refusedPaths),
  };

  // Start in this order; close in the reverse one (the database last).
  const purge = async () => {
    await requests.retention.run();
    await clientFiles.purge(preferences.get().retentionDays);
  };
  parts.add({ name: 'database', close: () => core.store.close() });
  parts.add({ name: 'held drafts', close: () => core.held?.close() });
  // The office's register: schema and the move of the local log first; waits while it does not answer.
  parts.add({ name: 'office register', start: () => core.office?.ready(), close: () => core.office?.stop() });
  // Paths recorded before names: named once per register, before anything here uses them.
  parts.add({
    name: 'recorded paths',
    start: () =>
      nameLegacyPaths({
        store: core.store,
        roots: core.roots,
        marker: namedPathsMarker(ports.preferences),
        log,
      })
        .then(() => undefined)
        // The next start tries again; meanwhile such rows are refused where used, and listed.
        .catch((error: unknown) => log.warn('recorded paths not named', errorFields(error))),
  });
  parts.add({ name: 'background work', close: () => background.drain() });
  // This counter's key published for a colleague's grant, its documents of before moved into the register.
  parts.add({
    name: 'documents on file',
    start: () => background.run('documents on file', () => clientFiles.start()),
  });
  parts.add({ name: 'document reading', close: () => reader.close() });
  parts.add({
    name: 'scanners',
    // A missing or unreachable folder is logged and shown in scans.status, never fatal.
    start: () => tray.start(),
    close: async () => {
      scanners.close();
      await tray.close();
    },
  });
  parts.add({
    name: 'submissions and outputs',
    start: async () => {
      // What a crash or an outage left: submissions first (money), then the outputs.
      await requests.submitter.resumeAll();
      // Several counters on one register: what a counter that died mid-submission left is
      // finished by another once its sending lease runs out (submit.ts resumeExpired).
      if (core.store.kind === 'postgres')
        background.every(ports.clock, 'expired leases', config.lease?.sweepMs ?? 30_000, () =>
          requests.submitter.resumeExpired(),
        );
      background.run('close-out', () => requests.closeOut.run());
      await requests.documents.resumeAll();
    },
  });
  parts.add({
    name: 'retention',
    // Behind the counter's work: a purge (and the index compaction after it) may take a while.
    start: () => {
      background.run('retention', purge);
      background.every(ports.clock, 'retention', DAY, purge);
    },
  });
  // Scans this counter holds of requests sent, discarded or purged at another counter of the office.
  const sweep = () =>
    sweepScans({
      attachments,
      requests: core.drafts.requests,
      trail: core.store.trail,
      operator,
      log,
    });
  parts.add({
    name: 'scans sweep',
    start: () => {
      background.run('scans sweep', sweep);
      background.every(ports.clock, 'scans sweep', SCANS_SWEEP_MS, sweep);
    },
  });
  // On the office's register the tracker runs on one counter only (office-link.ts).
  const office = new OfficeLink({ ...requests, office: core.store.office, counterId: core.counterId, log });
  parts.add({ name: 'tracker', start: () => office.start(), close: () => office.close() });

  return {
    handlers,
    dispatch: createDispatcher(handlers, log, core.grants),
    grants: core.grants,
    events,
    internals: {
      ...requests,
      credentials: core.credentials,
      oauth: core.oauth,
      leading: () => office.leading,
      scanFolder: () => tray.folderWatcher(),
      scanFolderSettled: () => tray.settled(),
      idle: () => background.idle(),
      held: core.held,
    },
    start: () => parts.start(),
    close: () => parts.close(),
    interrupt: () => core.office?.stop(),
  };
}
