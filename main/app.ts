import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Handlers } from '../common/api.ts';
import { environments } from '../common/environments.ts';
import { clientOf } from '../common/form.ts';
import type { CardBarcodeReading, RecentScan as RecentScanView, ScannerBackend } from '../common/scanning.ts';
import { lookupPlace } from '../common/validators/belfiore.ts';
import { checkCodiceFiscale } from '../common/validators/codiceFiscale.ts';
import { sanitizeFileName } from '../common/validators/fileString.ts';
import { BackgroundWork } from './background.ts';
import { MAX_INPUT_BYTES } from './attachments/limits.ts';
import { AttachmentStore } from './attachments/store.ts';
import { CatalogService, type CatalogOptions } from './catalog/catalog.ts';
import { openDatabase, type Database } from './db/database.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { DocumentService } from './documents/service.ts';
import type { RetryPolicy, Timeouts } from './engine/client.ts';
import { EngineProvider } from './engine/provider.ts';
import { CreditBook, WalletClient } from './engine/wallet.ts';
import { AppError } from './errors.ts';
import { EventHub } from './events.ts';
import { generateMandato } from './mandato/mandato.ts';
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
import { DraftService } from './requests/drafts.ts';
import { RequestRepository, type RequestRow } from './requests/repository.ts';
import { Retention } from './requests/retention.ts';
import { Submitter } from './requests/submit.ts';
import { Tracker } from './requests/tracker.ts';
import { toDetail, toDraft, toSummary } from './requests/views.ts';
import { readCodiceFiscaleBarcode, type CardBarcode } from './scanning/barcode.ts';
import { EsclScanner, type EsclDeviceConfig } from './scanning/escl.ts';
import { SaneScanner } from './scanning/sane.ts';
import {
  CompositeScanner,
  scanError,
  type ScanMime,
  type ScannerAdapter,
  type ScannerSurvey,
} from './scanning/scanner.ts';
import { WatchFolder, type RecentScan, type WatchFolderOptions } from './scanning/watch-folder.ts';
import { WiaScanner } from './scanning/wia.ts';
import { PreferencesService, type ConfigFile } from './settings/preferences.ts';
import { KeyVault } from './settings/vault.ts';
import type { Simulator, SimulatorOptions } from './simulator/server.ts';
import { existsSync } from 'node:fs';

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

export interface ScanningConfig {
  /**
   * SANE devices offered even when `scanimage -L` does not list them (`test`: SANE's test backend,
   * for tests and the harness). Default: the comma-separated SPORTELLO_SANE_DEVICES variable.
   */
  saneDevices?: readonly string[] | undefined;
  /** The scanimage program; `scanimage` in PATH by default. */
  saneCommand?: string | undefined;
  /** Backends asked for devices. Default: SANE everywhere but Windows, WIA on Windows, eSCL always. */
  backends?: readonly ScannerBackend[] | undefined;
  /** Network scanners besides the office's `esclScanners` preference (tests' eSCL responder). */
  esclDevices?: readonly EsclDeviceConfig[] | undefined;
  /** Watched-folder timings (tests shorten them). */
  watch?:
    | Pick<
        WatchFolderOptions,
        'stableMs' | 'pollMs' | 'recentHours' | 'incompleteGraceMs' | 'depth' | 'usePolling'
      >
    | undefined;
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
  const drafts = new DraftService({ repo, catalog, attachments, environment, operator, now });
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

  // Scanning at the counter: scanners, the watched scan folder, card barcodes, the mandato.
  const scanning = config.scanning ?? {};
  const scanner = new CompositeScanner(
    scannerAdapters(scanning, {
      http: ports.http,
      escl: () => [
        ...(scanning.esclDevices ?? []),
        ...preferences.get().esclScanners.map((url) => ({ url })),
      ],
    }),
  );
  /** Device ids of the last survey: a scan only goes to a device the clerk was offered. */
  const knownDevices = new Set<string>();
  const runningScans = new Map<string, AbortController>();
  const survey = async (): Promise<ScannerSurvey> => {
    const found = await scanner.survey();
    knownDevices.clear();
    for (const device of found.devices) knownDevices.add(device.id);
    for (const problem of found.problems)
      log.info('scanner backend unavailable', { backend: problem.backend, reason: problem.reason });
    return found;
  };
  /** The draft exists and the field takes files: checked before the paper moves. */
  const fileField = async (draftId: string, fieldKey: string) => {
    const row = repo.get(draftId);
    if (!row || row.status !== 'draft') throw new AppError('draft_not_found', `Bozza ${draftId} non trovata`);
    const service = await catalog.detail(row.environment, row.serviceHash);
    const field = service.fields.find((f) => f.key === fieldKey);
    if (!field || field.tipo !== 'file')
      throw new AppError('invalid_argument', `Il campo ${fieldKey} non accetta file`);
  };

  let appStarted = false;
  let closed = false;
  let watcher: WatchFolder | null = null;
  let watchState: { folder: string | null; problem: string | null } = { folder: null, problem: null };
  let watchChain: Promise<void> = Promise.resolve();
  const recentScans = (): RecentScanView[] => (watcher?.recent() ?? []).map(scanView);
  const publishScans = () => {
    if (!closed) events.emit('scansChanged', recentScans());
  };
  /** (Re)starts the watcher on `folder` (none: stops it). Serialised; never rejects. */
  const watchFolder = (wanted: string | null): Promise<void> => {
    const folder = wanted?.trim() || null;
    const step = watchChain.then(async () => {
      const previous = watcher;
      watcher = null;
      await previous?.stop().catch(() => undefined);
      watchState = { folder, problem: null };
      if (folder && !isAbsolute(folder)) {
        watchState = { folder, problem: 'La cartella delle scansioni va indicata con il percorso completo' };
      } else if (folder && !closed) {
        const next: WatchFolder = new WatchFolder({
          ...scanning.watch,
          folder,
          onError: (error) => {
            log.warn('watched scan folder failed', { error: String(error) });
            if (watcher === next)
              watchState = { folder, problem: 'La cartella delle scansioni non si riesce a leggere' };
          },
        });
        next.subscribe(() => {
          if (watcher === next) publishScans();
        });
        watcher = next;
        try {
          await next.start();
        } catch (error) {
          watcher = null;
          await next.stop().catch(() => undefined);
          const problem =
            error instanceof AppError ? error.message : 'La cartella delle scansioni non si riesce a leggere';
          watchState = { folder, problem };
          log.warn('watched scan folder not started', { folder, error: String(error) });
        }
      }
      publishScans();
    });
    watchChain = step.catch((error: unknown) => log.error('watched scan folder', { error: String(error) }));
    return watchChain;
  };
  const recentScan = (scanId: string): RecentScan => {
    const scan = watcher?.get(scanId);
    if (!scan)
      throw new AppError('not_found', 'Scansione non più disponibile: forse è stata spostata o già usata');
    return scan;
  };
  const cardReading = async (bytes: Uint8Array): Promise<CardBarcodeReading | null> => {
    const found = await readCodiceFiscaleBarcode(bytes, { placeName: true });
    return found && barcodeView(found);
  };

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

    'drafts.create': async (hash) => drafts.create(hash),
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
      const before = previous.watchFolder;
      const next = preferences.update(patch);
      if (next.accountEmail !== previous.accountEmail) credit.forget();
      events.emit('settingsChanged', next);
      // A changed folder, or the same one saved again after fixing it (created, share reconnected).
      const retry = patch.watchFolder !== undefined && watcher === null;
      if (appStarted && (next.watchFolder !== before || retry)) await watchFolder(next.watchFolder);
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

    'scanning.devices': async () => survey(),
    'scanning.scan': async (draftId, fieldKey, deviceId, options) => {
      await fileField(draftId, fieldKey);
      if (!knownDevices.has(deviceId)) await survey();
      if (!knownDevices.has(deviceId))
        throw scanError('no_device', 'Scanner non trovato: verificate che sia acceso e sceglietelo di nuovo');
      if (runningScans.has(deviceId))
        throw scanError('busy', 'Lo scanner sta già acquisendo: attendete la fine o annullate');
      const controller = new AbortController();
      runningScans.set(deviceId, controller);
      let last = '';
      try {
        const pages = await scanner.scan(deviceId, options, {
          signal: controller.signal,
          onProgress: ({ page, percent }) => {
            const whole = percent === null ? null : Math.floor(percent);
            if (`${page}:${whole}` === last) return;
            last = `${page}:${whole}`;
            events.emit('scanProgress', { deviceId, page, percent: whole });
          },
        });
        if (controller.signal.aborted) throw scanError('cancelled', 'Scansione annullata');
        const infos = [];
        for (const [i, page] of pages.entries()) {
          const name = `scansione-${i + 1}.${EXTENSIONS[page.mime]}`;
          infos.push(await drafts.addAttachment(draftId, fieldKey, { name, data: page.bytes }));
        }
        return infos;
      } finally {
        if (runningScans.get(deviceId) === controller) runningScans.delete(deviceId);
      }
    },
    'scanning.cancel': async (deviceId) => {
      runningScans.get(deviceId)?.abort();
      return null;
    },

    'scans.recent': async () => recentScans(),
    'scans.status': async () => ({
      folder: watchState.folder,
      watching: watcher !== null,
      problem: watchState.problem,
    }),
    'scans.use': async (draftId, fieldKey, scanId, position) => {
      const scan = recentScan(scanId);
      const info = await drafts.addAttachment(draftId, fieldKey, { path: scan.path }, position);
      watcher?.take(scanId);
      return info;
    },
    'scans.dismiss': async (scanId) => {
      watcher?.take(scanId);
      return null;
    },

    'barcode.read': async (draftId, attachmentId) =>
      cardReading((await attachments.preview(draftId, attachmentId)).data),
    'barcode.readScan': async (scanId) => {
      const scan = recentScan(scanId);
      const info = await stat(scan.path).catch(() => null);
      if (!info?.isFile()) throw new AppError('not_found', 'La scansione non è più nella cartella');
      if (info.size > MAX_INPUT_BYTES)
        throw new AppError('file_too_large', 'La scansione è troppo grande per leggerne il codice a barre');
      return cardReading(await readFile(scan.path));
    },

    'mandato.generate': async (id) => {
      const row = repo.get(id);
      if (!row) throw new AppError('draft_not_found', `Bozza ${id} non trovata`);
      const service = await catalog.detail(row.environment, row.serviceHash);
      const client = clientOf(service.fields, row.fields);
      if (!client.nome || !client.cognome) {
        throw new AppError(
          'validation_failed',
          'Per il mandato servono nome e cognome dell’assistito: compilateli nel modulo',
          { details: { fields: ['nome', 'cognome'] } },
        );
      }
      if (!client.codiceFiscale) {
        throw new AppError(
          'validation_failed',
          'Per il mandato serve il codice fiscale dell’assistito: compilatelo nel modulo',
          { details: { fields: ['codiceFiscale'] } },
        );
      }
      const check = checkCodiceFiscale(client.codiceFiscale.replace(/\s+/g, '').toUpperCase());
      if (!check.ok) {
        throw new AppError(
          'validation_failed',
          `Il codice fiscale dell’assistito non è valido: ${check.issue.message}`,
          { details: { fields: ['codiceFiscale'] } },
        );
      }
      const birthPlace =
        check.info?.kind === 'persona' ? await lookupPlace(check.info.placeCode).catch(() => null) : null;
      const prefs = preferences.get();
      const data = await generateMandato({
        office: { name: prefs.officeName, operator: prefs.operatorName },
        client: {
          nome: client.nome,
          cognome: client.cognome,
          codiceFiscale: client.codiceFiscale,
          email: client.email,
          phone: client.phone,
          birthPlace,
        },
        service: { name: row.serviceName },
        date: new Date(now()),
      });
      return { name: sanitizeFileName(`Mandato ${client.cognome} ${client.nome}.pdf`), data };
    },
  };

  let retentionTimer: TimerHandle | null = null;
  const scheduleRetention = () => {
    retentionTimer = clock.setTimeout(() => {
      background.run('retention', () => retention.run());
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
      scanFolder: () => watcher,
      scanFolderSettled: () => watchChain,
    },
    async start() {
      appStarted = true;
      // A missing or unreachable folder is logged and shown in scans.status, never fatal.
      const watching = watchFolder(preferences.get().watchFolder);
      await submitter.resumeAll();
      await documents.resumeAll();
      await retention
        .run()
        .catch((error: unknown) => log.error('retention failed', { error: String(error) }));
      tracker.start();
      scheduleRetention();
      await watching;
    },
    async close() {
      closed = true;
      for (const controller of runningScans.values()) controller.abort();
      await watchFolder(null);
      await tracker.stop();
      retentionTimer?.cancel();
      await background.drain();
      await engines.close();
      db.close();
    },
  };
}

const EXTENSIONS: Record<ScanMime, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
  'application/pdf': 'pdf',
};

/** The scanner backends of this system (see ScanningConfig.backends). */
function scannerAdapters(
  scanning: ScanningConfig,
  deps: { http: Http; escl: () => readonly EsclDeviceConfig[] },
): ScannerAdapter[] {
  const backends = scanning.backends ?? (process.platform === 'win32' ? ['wia', 'escl'] : ['sane', 'escl']);
  const saneDevices =
    scanning.saneDevices ??
    (process.env.SPORTELLO_SANE_DEVICES ?? '')
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  const adapters: ScannerAdapter[] = [];
  if (backends.includes('sane')) {
    adapters.push(
      new SaneScanner({
        extraDevices: saneDevices,
        ...(scanning.saneCommand ? { command: scanning.saneCommand } : {}),
      }),
    );
  }
  if (backends.includes('wia')) adapters.push(new WiaScanner());
  if (backends.includes('escl')) adapters.push(new EsclScanner({ devices: deps.escl, http: deps.http }));
  return adapters;
}

/** A recent scan as the renderer sees it: the path stays in main. */
function scanView(scan: RecentScan): RecentScanView {
  return { id: scan.id, name: scan.name, size: scan.size, mtime: scan.mtime, mime: scan.mime };
}

function barcodeView(found: CardBarcode): CardBarcodeReading {
  return {
    cf: found.cf,
    valid: found.valid,
    issue: found.issue,
    birthDate: found.info?.birthDate ?? null,
    sex: found.info?.sex ?? null,
    placeCode: found.info?.placeCode ?? null,
    placeName: found.info?.placeName ?? null,
    confidence: found.confidence,
  };
}
