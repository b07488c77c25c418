import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../common/api.ts';
import { environments } from '../common/environments.ts';
import { BackgroundWork } from './background.ts';
import { acceptedFiles } from './attachments/normalize.ts';
import { AttachmentStore } from './attachments/store.ts';
import { CatalogService, type CatalogOptions } from './catalog/catalog.ts';
import { ClientDirectory } from './clients/directory.ts';
import { ClientFiles } from './clients/files.ts';
import { FileSealer } from './clients/sealer.ts';
import { openDatabase, type Database } from './db/database.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { DocumentService } from './documents/service.ts';
import type { RetryPolicy, Timeouts } from './engine/client.ts';
import { EngineProvider } from './engine/provider.ts';
import { CreditBook, WalletClient } from './engine/wallet.ts';
import { AppError } from './errors.ts';
import { EventHub } from './events.ts';
import type {
  Clock,
  Http,
  Logger,
  Notifier,
  Opener,
  Paths,
  PreferenceStore,
  SecretCipher,
  TimerHandle,
} from './ports.ts';
import { Receipts } from './receipt/receipts.ts';
import { DraftService } from './requests/drafts.ts';
import { DuplicateGuard } from './requests/duplicates.ts';
import { RequestRepository, type RequestRow } from './requests/repository.ts';
import { Retention } from './requests/retention.ts';
import { Submitter } from './requests/submit.ts';
import { Tracker } from './requests/tracker.ts';
import { toDetail, toDraft, toSummary } from './requests/views.ts';
import { hasCodiceFiscaleBarcode } from './scanning/barcode.ts';
import { ScanDesk, type ScanningConfig } from './scanning/desk.ts';
import type { WatchFolder } from './scanning/watch-folder.ts';
import { PreferencesService, type ConfigFile } from './settings/preferences.ts';
import { KeyVault } from './settings/vault.ts';
import type { Simulator, SimulatorOptions } from './simulator/server.ts';

export type { ScanningConfig } from './scanning/desk.ts';

export interface AppPorts {
  cipher: SecretCipher;
  http: Http;
  opener: Opener;
  notifier: Notifier;
  clock: Clock;
  paths: Paths;
  preferences: PreferenceStore<ConfigFile>;
  log: Logger;
}

export interface AppConfig {
  version: string;
  /** Development only: every environment's calls go to this base URL. */
  baseUrlOverride?: string | undefined;
  /** Prova's simulator: a running one, or options for the built-in one. */
  prova?: Simulator | SimulatorOptions | undefined;
  engineTimeouts?: Partial<Timeouts> | undefined;
  engineRetry?: Partial<RetryPolicy> | undefined;
  catalog?: Partial<CatalogOptions> | undefined;
  /** Jitter source for the tracker (tests fix it). */
  random?: (() => number) | undefined;
  scanning?: ScanningConfig | undefined;
}

export interface App {
  handlers: Handlers;
  dispatch: Dispatch;
  events: EventHub;
  /** Finishes what a crash or an outage left, then starts tracking. Call once the window shows. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** For tests and benchmarks: the services behind the handlers. */
  internals: {
    db: Database;
    repo: RequestRepository;
    tracker: Tracker;
    submitter: Submitter;
    documents: DocumentService;
    retention: Retention;
    /** The watched scan folder's watcher while one runs (settled: see `scanFolderSettled`). */
    scanFolder(): WatchFolder | null;
    /** Resolves once the last (re)start of the watched folder is done. */
    scanFolderSettled(): Promise<void>;
  };
}

const DAY = 86_400_000;

/** The composition root: builds every service from the ports and returns the contract's handlers. */
export function createApp(ports: AppPorts, config: AppConfig): App {
  const { log, paths, clock } = ports;
  const now = () => clock.now();
  const events = new EventHub();
  const preferences = new PreferencesService(ports.preferences, paths.defaultArchiveRoot);
  const vault = new KeyVault(ports.preferences, ports.cipher);
  const engines = new EngineProvider({
    http: ports.http,
    vault,
    log,
    userData: paths.userData,
    version: config.version,
    baseUrlOverride: config.baseUrlOverride,
    prova: config.prova,
    timeouts: config.engineTimeouts,
    retry: config.engineRetry,
  });
  // The Openapi credit: the wallet's answer, or the balance an "insufficient credit" answer gave.
  const credit = new CreditBook({
    client: new WalletClient({
      http: ports.http,
      log,
      userAgent: `Sportello/${config.version}`,
      ...(config.engineTimeouts?.read ? { timeoutMs: config.engineTimeouts.read } : {}),
    }),
    access: (env) => engines.walletAccess(env, preferences.get().accountEmail),
    now: () => clock.now(),
    log,
  });
  const engine = async (environment: (typeof environments)[number]) =>
    credit.observe(environment, await engines.forEnvironment(environment));
  const db = openDatabase(join(paths.userData, 'pratiche.sqlite'));
  const repo = new RequestRepository(db, now);
  const operator = () => preferences.get().operatorName;
  const environment = () => preferences.get().environment;

  const summaryOf = (row: RequestRow) => toSummary(row, repo.documentCounts([row.id]).get(row.id) ?? 0);
  const changed = (id: string) => {
    const row = repo.get(id);
    if (row && row.status !== 'draft') events.emit('requestChanged', summaryOf(row));
  };
  const mustGet = (id: string) => {
    const row = repo.get(id);
    if (!row) throw new AppError('request_not_found', `Pratica ${id} non trovata`);
    return row;
  };

  const background = new BackgroundWork(log);
  const catalog = new CatalogService({ db, engine, events, now, log, background, options: config.catalog });
  const attachments = new AttachmentStore({ repo, draftsDir: join(paths.userData, 'drafts'), now });
  const drafts = new DraftService({
    repo,
    catalog,
    attachments,
    environment,
    operator,
    now,
    readsCf: hasCodiceFiscaleBarcode,
  });
  // Returning clients: documents on file (with consent), the client view, the duplicate guard.
  const clientFiles = new ClientFiles({
    db,
    repo,
    attachments,
    catalog,
    sealer: new FileSealer({ db, cipher: ports.cipher, now }),
    dir: join(paths.userData, 'clienti'),
    now,
    operator,
    log,
  });
  attachments.beforeScansDeleted((id) => clientFiles.keep(id));
  const clients = new ClientDirectory({ repo, files: clientFiles });
  const duplicates = new DuplicateGuard({ repo, now, operator });
  const receipts = new Receipts({ repo, catalog, preferences, operator });
  const documents = new DocumentService({
    repo,
    engine,
    archiveRoot: () => preferences.get().archiveRoot,
    opener: ports.opener,
    now,
    log,
    operator,
    changed,
  });

  const finished = (row: RequestRow) => {
    const client = [row.clientCognome, row.clientNome].filter(Boolean).join(' ');
    if (row.status === 'done') background.run('download', () => documents.download(row.id));
    if (preferences.get().notifications && (row.status === 'done' || row.status === 'cancelled')) {
      ports.notifier.notify({
        title: row.status === 'done' ? 'Pratica completata' : 'Pratica annullata',
        body: `${row.serviceName}${client ? ` – ${client}` : ''}`,
      });
    }
  };

  const tracker = new Tracker({
    repo,
    engine,
    clock,
    log,
    random: config.random,
    pollMinutes: () => preferences.get().pollMinutes,
    operator,
    changed,
    finished,
  });
  const submitter = new Submitter({
    repo,
    catalog,
    attachments,
    engine,
    now,
    log,
    operator,
    changed,
    accepted: (id) => {
      const row = repo.get(id);
      if (row && row.status !== 'pending') finished(row);
      tracker.poke();
    },
  });
  const retention = new Retention({
    repo,
    attachments,
    now,
    days: () => preferences.get().retentionDays,
    log,
    operator,
    changed,
  });

  const scanDesk = new ScanDesk({
    repo,
    drafts,
    attachments,
    catalog,
    preferences,
    events,
    http: ports.http,
    log,
    now,
    config: config.scanning,
    keepUntil: (cf) => clientFiles.keepUntil(cf),
  });

  const handlers: Handlers = {
    'app.info': async () => {
      const env = environment();
      return {
        version: config.version,
        environment: env,
        baseUrl: await engines.baseUrl(env),
        dataDir: paths.userData,
      };
    },

    'app.credit': async () => credit.get(environment()),

    'catalog.list': async () => catalog.list(environment()),
    'catalog.detail': async (hash) => catalog.detail(environment(), hash),

    'drafts.create': async (hash, options) => drafts.create(hash, { clientCf: options?.clientCf }),
    'drafts.get': async (id) => drafts.get(id),
    'drafts.list': async () => drafts.list(),
    'drafts.update': async (id, patch) => drafts.update(id, patch),
    'drafts.discard': async (id) => {
      await drafts.discard(id);
      return null;
    },

    'attachments.add': async (id, fieldKey, source, position) =>
      drafts.addAttachment(id, fieldKey, source, position),
    'attachments.remove': async (id, attachmentId) => {
      await drafts.removeAttachment(id, attachmentId);
      return drafts.get(id);
    },
    'attachments.preview': async (id, attachmentId) => attachments.preview(id, attachmentId),
    'attachments.place': async (id, sources, hint) => drafts.placeAll(id, sources, hint),
    'attachments.move': async (id, attachmentId, fieldKey) => {
      await drafts.moveAttachment(id, attachmentId, fieldKey);
      return drafts.get(id);
    },
    'attachments.formats': async () => acceptedFiles(),

    'requests.quote': async (id) => submitter.quote(id),
    'requests.submit': async (id, confirmed) => summaryOf(await submitter.submit(id, confirmed)),
    'requests.retry': async (id) => {
      const row = mustGet(id);
      if (row.status === 'sending' || row.status === 'open') return summaryOf(await submitter.resume(id));
      if (row.status === 'done') return summaryOf(await documents.download(id));
      return summaryOf(await tracker.refresh(id));
    },
    'requests.list': async (filter) => {
      const page = repo.search(filter);
      return {
        rows: page.rows.map((r) => toSummary(r, page.documentCounts.get(r.id) ?? 0)),
        total: page.total,
      };
    },
    'requests.get': async (id) => {
      const row = mustGet(id);
      return toDetail(row, {
        service: catalog.cachedDetail(row.environment, row.serviceHash)?.detail ?? null,
        attachments: await attachments.infos(id),
        documents: repo.documents(id),
        events: repo.events(id),
        existing: existsSync,
      });
    },
    'requests.refresh': async (id) => summaryOf(await tracker.refresh(id)),
    'requests.refreshAll': async () => {
      const report = await tracker.pollAll();
      return { checked: report.checked, changed: report.changed };
    },
    'requests.cancel': async (id, motivo) => {
      const row = mustGet(id);
      if (row.status !== 'open' && row.status !== 'pending') {
        throw new AppError('not_allowed', 'Questa pratica non si può annullare');
      }
      // Best effort: the endpoint is not in the published spec.
      await (await engine(row.environment)).cancelRequest(row.remoteId!, motivo);
      repo.addEvent(id, 'cancel_requested', operator(), { motivo });
      if (row.status === 'open') {
        repo.update(id, { status: 'cancelled', submitIntent: false, completedAt: now(), lastError: null });
        changed(id);
        return summaryOf(mustGet(id));
      }
      return summaryOf(await tracker.refresh(id));
    },
    'requests.chooseResult': async (id, idRicerca, indice) => {
      const row = mustGet(id);
      if (row.status !== 'pending' || !row.remoteId || !row.search) {
        throw new AppError('not_allowed', 'Nessun risultato da scegliere per questa pratica');
      }
      const api = await engine(row.environment);
      try {
        await api.chooseSearchResult(row.remoteId, idRicerca, indice);
      } catch (error) {
        // A choice whose answer was lost may still have been taken: look before telling the clerk.
        if (!(error instanceof AppError) || !error.ambiguous) throw error;
        const remote = await api.getRequest(row.remoteId);
        if (remote.indiceRicerca === null) throw error;
      }
      repo.addEvent(id, 'search_chosen', operator(), { idRicerca, indice });
      return summaryOf(await tracker.refresh(id));
    },
    'requests.recordExport': async (kind, rows) => {
      // Filters are not recorded: a search text may be a client's name or codice fiscale.
      repo.addEvent(null, 'exported', operator(), { kind, rows });
      return null;
    },
    'requests.home': async () => {
      const today = new Date(now());
      today.setHours(0, 0, 0, 0);
      return {
        attention: repo.attention(50).map(summaryOf),
        inProgress: repo.recent('pending', 100).map(summaryOf),
        doneToday: repo.recent('done', 100, today.getTime()).map(summaryOf),
        drafts: repo
          .byStatus(['draft'])
          .reverse()
          .slice(0, 50)
          .map((r) => toDraft(r, [])),
      };
    },

    'duplicates.check': async (id) => duplicates.check(id),
    'duplicates.acknowledge': async (id, ids) => {
      duplicates.acknowledge(id, ids);
      return duplicates.check(id);
    },

    'receipt.generate': async (id) => receipts.generate(id),

    'clients.search': async (text) => clients.search(text),
    'clients.get': async (cf) => clients.get(cf),
    'clients.consent': async (cf, expiry, requestId) => clientFiles.grant(cf, expiry, requestId),
    'clients.revokeConsent': async (cf, requestId) => {
      await clientFiles.revoke(cf, requestId);
      return clients.get(cf);
    },
    'clients.useFiles': async (id) => clientFiles.useOn(id),

    'documents.open': async (documentId) => {
      await documents.open(documentId);
      return null;
    },
    'documents.read': async (documentId) => documents.read(documentId),
    'documents.showInFolder': async (documentId) => {
      documents.showInFolder(documentId);
      return null;
    },

    'settings.get': async () => preferences.get(),
    'settings.update': async (patch) => {
      const previous = preferences.get();
      const next = preferences.update(patch);
      if (next.accountEmail !== previous.accountEmail) credit.forget();
      events.emit('settingsChanged', next);
      await scanDesk.applyPreferences(previous, next, patch);
      return next;
    },
    'settings.keyStatus': async () => Promise.all(environments.map((env) => vault.status(env))),
    'settings.setApiKey': async (env, key) => {
      const status = await vault.set(env, key);
      credit.forget(env);
      return status;
    },
    'settings.clearApiKey': async (env) => {
      const status = await vault.clear(env);
      credit.forget(env);
      return status;
    },
    'settings.testConnection': async (env) => {
      const target = env ?? environment();
      const started = clock.now();
      const services = await (await engine(target)).listServices();
      return { environment: target, services: services.length, latencyMs: clock.now() - started };
    },

    'scanning.devices': async () => scanDesk.survey(),
    'scanning.scan': async (draftId, fieldKey, deviceId, options) =>
      scanDesk.scan(draftId, fieldKey, deviceId, options),
    'scanning.cancel': async (deviceId) => {
      scanDesk.cancel(deviceId);
      return null;
    },

    'scans.recent': async () => scanDesk.recent(),
    'scans.status': async () => scanDesk.status(),
    'scans.use': async (draftId, fieldKey, scanId, position) =>
      scanDesk.use(draftId, fieldKey, scanId, position),
    'scans.dismiss': async (scanId) => {
      scanDesk.dismiss(scanId);
      return null;
    },

    'barcode.read': async (draftId, attachmentId) => scanDesk.readAttachment(draftId, attachmentId),
    'barcode.readScan': async (scanId) => scanDesk.readScan(scanId),

    'mandato.generate': async (id) => scanDesk.mandato(id),
  };

  let retentionTimer: TimerHandle | null = null;
  const scheduleRetention = () => {
    retentionTimer = clock.setTimeout(() => {
      background.run('retention', () => retention.run());
      background.run('client files', () => clientFiles.purge(preferences.get().retentionDays));
      scheduleRetention();
    }, DAY);
  };

  return {
    handlers,
    dispatch: createDispatcher(handlers, log),
    events,
    internals: {
      db,
      repo,
      tracker,
      submitter,
      documents,
      retention,
      scanFolder: () => scanDesk.folderWatcher(),
      scanFolderSettled: () => scanDesk.settled(),
    },
    async start() {
      // A missing or unreachable folder is logged and shown in scans.status, never fatal.
      const watching = scanDesk.start();
      await submitter.resumeAll();
      await documents.resumeAll();
      await retention
        .run()
        .catch((error: unknown) => log.error('retention failed', { error: String(error) }));
      await clientFiles
        .purge(preferences.get().retentionDays)
        .catch((error: unknown) => log.error('client files retention failed', { error: String(error) }));
      tracker.start();
      scheduleRetention();
      await watching;
    },
    async close() {
      await scanDesk.close();
      await tracker.stop();
      retentionTimer?.cancel();
      await background.drain();
      await engines.close();
      db.close();
    },
  };
}
