import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../common/api.ts';
import { environments, type Environment } from '../common/environments.ts';
import type { AccountIssue } from '../common/requests.ts';
import type { Preferences } from '../common/settings.ts';
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
import { OAuthClient } from './engine/oauth.ts';
import { EngineProvider, type EngineProviderOptions, type ProvaAccess } from './engine/provider.ts';
import { CreditBook } from './engine/wallet.ts';
import { AppError } from './errors.ts';
import { EventHub } from './events.ts';
import { pruneLogs } from './log/logger.ts';
import type {
  Clock,
  Dialogs,
  Http,
  Logger,
  Notifier,
  Opener,
  Paths,
  PreferenceStore,
  SecretCipher,
  TimerHandle,
} from './ports.ts';
import { ChargeAudit } from './requests/charges.ts';
import { CloseOut } from './requests/closeout.ts';
import { DraftService } from './requests/drafts.ts';
import { DuplicateGuard } from './requests/duplicates.ts';
import { RemoteLedger } from './requests/ledger.ts';
import { Lifecycle, type Transition } from './requests/lifecycle.ts';
import { runProbe } from './probe/probe.ts';
import { ServiceProfiles } from './probe/profiles.ts';
import { Receipts } from './receipt/receipts.ts';
import { RequestRepository, type RequestRow } from './requests/repository.ts';
import { Retention } from './requests/retention.ts';
import { Submitter } from './requests/submit.ts';
import { Tracker } from './requests/tracker.ts';
import { toDetail, toDraft, toSummary } from './requests/views.ts';
import { hasCodiceFiscaleBarcode } from './scanning/barcode.ts';
import { ScanDesk, type ScanningConfig } from './scanning/desk.ts';
import type { WatchFolder } from './scanning/watch-folder.ts';
import { SettingsChanges } from './settings/changes.ts';
import { PreferencesService, type ConfigFile } from './settings/preferences.ts';
import { CredentialsService } from './settings/credentials.ts';

export type { ScanningConfig } from './scanning/desk.ts';

export interface AppPorts {
  cipher: SecretCipher;
  http: Http;
  opener: Opener;
  notifier: Notifier;
  clock: Clock;
  paths: Paths;
  preferences: PreferenceStore<ConfigFile>;
  /** Main's own dialogs: folders and confirmations only the clerk can answer. */
  dialogs: Dialogs;
  log: Logger;
}

export interface AppConfig {
  version: string;
  /** Development only: Sandbox's and Produzione's Visengine calls go to this base URL. */
  baseUrlOverride?: string | undefined;
  /** Development only: their OAuth API calls (tokens, wallet) go here; default `baseUrlOverride`. */
  oauthBaseUrlOverride?: string | undefined;
  /** How to reach Prova (the composition root starts what serves it); without it, Prova is unavailable. */
  prova?: (() => Promise<ProvaAccess>) | undefined;
  engineTimeouts?: EngineProviderOptions['timeouts'];
  engineRetry?: EngineProviderOptions['retry'];
  catalog?: Partial<CatalogOptions> | undefined;
  /** Jitter source for the tracker (tests fix it). */
  random?: (() => number) | undefined;
  /** How long an uncertain POST may still be finishing on the server (submit.ts); tests shorten it. */
  settleMs?: number | undefined;
  /** Every status transition as it commits (tests of the lifecycle watch through it). */
  onTransition?: ((transition: Transition) => void) | undefined;
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
    ledger: RemoteLedger;
    closeOut: CloseOut;
    charges: ChargeAudit;
    tracker: Tracker;
    submitter: Submitter;
    documents: DocumentService;
    retention: Retention;
    credentials: CredentialsService;
    oauth: OAuthClient;
    /** The watched scan folder's watcher while one runs (settled: see `scanFolderSettled`). */
    scanFolder(): WatchFolder | null;
    /** Resolves once the last (re)start of the watched folder is done. */
    scanFolderSettled(): Promise<void>;
  };
}

const DAY = 86_400_000;

/** Open requests of ours nobody wants that the service would not delete: shown, never left silently. */
function unusedOpen(ledger: RemoteLedger, environment: Environment): AccountIssue[] {
  return ledger
    .abandoned()
    .filter((e) => e.environment === environment && e.deleteError !== null)
    .map((e) => ({
      kind: 'unused_open',
      id: e.remoteId,
      environment,
      remoteId: e.remoteId,
      requestId: e.requestId,
      amount: e.price,
      at: e.createdAt ?? e.notedAt,
      detail: e.deleteError,
    }));
}

/** The composition root: builds every service from the ports and returns the contract's handlers. */
export function createApp(ports: AppPorts, config: AppConfig): App {
  const { log, paths, clock } = ports;
  const now = () => clock.now();
  const events = new EventHub();
  const preferences = new PreferencesService(ports.preferences, paths.defaultArchiveRoot);
  const oauth = new OAuthClient({
    http: ports.http,
    log,
    userAgent: `Sportello/${config.version}`,
    ...(config.engineTimeouts?.read ? { timeoutMs: config.engineTimeouts.read } : {}),
  });
  const credentials = new CredentialsService({
    store: ports.preferences,
    cipher: ports.cipher,
    oauth,
    http: ports.http,
    now,
    log,
    overrides: { baseUrl: config.baseUrlOverride, oauthBaseUrl: config.oauthBaseUrlOverride },
    ...(config.engineTimeouts?.read ? { probeTimeoutMs: config.engineTimeouts.read } : {}),
  });
  const settingsChanges = new SettingsChanges({ dialogs: ports.dialogs });
  const engines = new EngineProvider({
    http: ports.http,
    credentials,
    oauth,
    log,
    now,
    version: config.version,
    baseUrlOverride: config.baseUrlOverride,
    prova: config.prova,
    timeouts: config.engineTimeouts,
    retry: config.engineRetry,
  });
  // The Openapi credit: the wallet's answer, or the balance an "insufficient credit" answer gave.
  const credit = new CreditBook({
    client: oauth,
    access: (env) => engines.oauthAccess(env),
    now: () => clock.now(),
    log,
  });
  const engine = async (environment: (typeof environments)[number]) =>
    credit.observe(environment, await engines.forEnvironment(environment));
  const db = openDatabase(join(paths.userData, 'pratiche.sqlite'));
  const repo = new RequestRepository(db, now);
  const ledger = new RemoteLedger(db, now);
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
  // Every change of a request's status goes through the lifecycle (tracker: see below).
  const lifecycle: Lifecycle = new Lifecycle({
    repo,
    ledger,
    engine,
    refresh: (id) => tracker.refresh(id),
    now,
    operator,
    changed,
    ...(config.onTransition ? { onTransition: config.onTransition } : {}),
  });
  const profiles = new ServiceProfiles(ports.preferences);
  const closeOut = new CloseOut({
    ledger,
    repo,
    engine,
    log,
    operator,
    deleteOffered: (env) => profiles.get(env)?.delete !== 'absent',
  });
  const abandoned = () => background.run('close-out', () => closeOut.run());
  const charges = new ChargeAudit({
    db,
    ledger,
    // The account's charges (OAuth API, Basic auth): unavailable with only a ready token.
    transactions: async (env, since) => {
      const access = await engines.oauthAccess(env);
      return access ? (await oauth.transactionsSince(access, since)).transactions : null;
    },
    visengineHost: async (env) => new URL(await engines.baseUrl(env)).host,
    amounts: (env) => profiles.get(env)?.transactionAmounts ?? 'unknown',
    now,
    log,
  });
  const drafts = new DraftService({
    repo,
    ledger,
    lifecycle,
    catalog,
    attachments,
    environment,
    operator,
    now,
    abandoned,
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
    if (row.status === 'done') background.run('download', () => documents.download(row.id));
    if (preferences.get().notifications && (row.status === 'done' || row.status === 'cancelled')) {
      // No client name: notifications show on a screen others may see, and stay in the OS's history.
      ports.notifier.notify({
        title: row.status === 'done' ? 'Pratica completata' : 'Pratica annullata',
        body: `${row.serviceName}: aprite Sportello per i dettagli`,
      });
    }
  };

  const tracker = new Tracker({
    repo,
    lifecycle,
    engine,
    clock,
    log,
    random: config.random,
    pollMinutes: () => preferences.get().pollMinutes,
    finished,
    outputsChanged: (row) => background.run('download', () => documents.download(row.id)),
  });
  const submitter = new Submitter({
    repo,
    lifecycle,
    ledger,
    catalog,
    attachments,
    engine,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    settleMs: config.settleMs,
    log,
    operator,
    abandoned,
    accepted: (id) => {
      const row = repo.get(id);
      if (row && row.status !== 'pending') finished(row);
      tracker.poke();
    },
  });
  const retention = new Retention({
    repo,
    ledger,
    lifecycle,
    attachments,
    now,
    days: () => preferences.get().retentionDays,
    log,
    operator,
    changed,
    logs: { prune: (before: number) => pruneLogs(join(paths.userData, 'logs'), before) },
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
    'requests.cancel': async (id, motivo) => summaryOf(await lifecycle.cancel(id, motivo)),
    'requests.chooseResult': async (id, idRicerca, indice) =>
      summaryOf(await lifecycle.chooseResult(id, idRicerca, indice)),
    'requests.resolveSubmission': async (id, choice) => summaryOf(await submitter.resolve(id, choice)),
    'requests.checkIssue': async (env, issueId) => {
      if (!charges.check(env, issueId, operator()))
        throw new AppError('not_found', 'Segnalazione non trovata o già controllata');
      repo.addEvent(null, 'checked', operator(), { environment: env, transaction: issueId });
      return null;
    },
    'requests.recordExport': async (kind, rows) => {
      // Filters are not recorded: a search text may be a client's name or codice fiscale.
      repo.addEvent(null, 'exported', operator(), { kind, rows });
      return null;
    },
    'requests.home': async () => {
      // The account's charges are read behind Home, now and then: the next Home shows the verdicts.
      background.run('charges', () => charges.runIfStale(environment(), 10 * 60_000));
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
        accountIssues: [...charges.issues(environment()), ...unusedOpen(ledger, environment())],
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
      await settingsChanges.review(previous, patch);
      return settingsSaved(previous, preferences.update(patch), patch);
    },
    'settings.chooseFolder': async (setting) => {
      const previous = preferences.get();
      const folder = await settingsChanges.chooseFolder(setting, previous[setting]);
      if (folder === null) return previous;
      return settingsSaved(previous, preferences.update({ [setting]: folder }), { [setting]: folder });
    },
    'settings.credentials': async () => Promise.all(environments.map((env) => credentials.status(env))),
    'settings.setApiKey': async (env, email, key) => {
      credentials.assertRemote(env);
      // Another account's key would send the office's requests and charges elsewhere: main asks.
      await settingsChanges.confirmKeyChange(env, 'set');
      const status = await credentials.setKey(env, email, key);
      credit.forget(env);
      return status;
    },
    'settings.setToken': async (env, token) => {
      credentials.assertRemote(env);
      await settingsChanges.confirmKeyChange(env, 'set');
      const status = await credentials.setToken(env, token);
      credit.forget(env);
      return status;
    },
    'settings.clearCredentials': async (env) => {
      credentials.assertRemote(env);
      await settingsChanges.confirmKeyChange(env, 'clear');
      const status = await credentials.clear(env);
      credit.forget(env);
      return status;
    },
    'settings.testConnection': async (env) => engines.check(env ?? environment()),
    'settings.probe': async (env) => {
      const access = await engines.oauthAccess(env);
      const report = await runProbe({
        environment: env,
        engine: await engines.forEnvironment(env),
        oauth: access ? { client: oauth, access } : null,
        now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        progress: (step) => events.emit('probeProgress', step),
      });
      profiles.save(report);
      // The probe's requests are the office's: on record, so the charges audit explains them.
      for (const remoteId of report.requests)
        ledger.note({
          environment: env,
          remoteId,
          requestId: 'verifica-del-servizio',
          origin: 'created',
          fate: 'closed',
          price: report.requestPrice,
          createdAt: report.startedAt,
        });
      repo.addEvent(null, 'probed', operator(), { environment: env, requests: report.requests.length });
      return report;
    },
    'settings.serviceProfile': async (env) => profiles.get(env),

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

  /** After preferences were written: what follows from them (credit, the watched folder, the page). */
  async function settingsSaved(
    previous: Preferences,
    next: Preferences,
    patch: Partial<Preferences>,
  ): Promise<Preferences> {
    events.emit('settingsChanged', next);
    await scanDesk.applyPreferences(previous, next, patch);
    return next;
  }

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
      ledger,
      closeOut,
      charges,
      tracker,
      submitter,
      documents,
      retention,
      credentials,
      oauth,
      scanFolder: () => scanDesk.folderWatcher(),
      scanFolderSettled: () => scanDesk.settled(),
    },
    async start() {
      // A missing or unreachable folder is logged and shown in scans.status, never fatal.
      const watching = scanDesk.start();
      await submitter.resumeAll();
      background.run('close-out', () => closeOut.run());
      await documents.resumeAll();
      // Behind the counter's work: a purge (and the index compaction after it) may take a while.
      background.run('retention', async () => {
        await retention.run();
        await clientFiles.purge(preferences.get().retentionDays);
      });
      tracker.start();
      scheduleRetention();
      await watching;
    },
    async close() {
      await scanDesk.close();
      await tracker.stop();
      retentionTimer?.cancel();
      await background.drain();
      db.close();
    },
  };
}
