import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { clientOf } from '../../common/form.ts';
import type { AttachmentInfo } from '../../common/requests.ts';
import type {
  CardBarcodeReading,
  GeneratedPdf,
  RecentScan as RecentScanView,
  ScanFolderStatus,
  ScannerBackend,
} from '../../common/scanning.ts';
import type { Preferences } from '../../common/settings.ts';
import { lookupPlace } from '../../common/validators/belfiore.ts';
import { checkCodiceFiscale } from '../../common/validators/codiceFiscale.ts';
import { sanitizeFileName } from '../../common/validators/fileString.ts';
import { MAX_INPUT_BYTES } from '../attachments/limits.ts';
import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import { AppError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import { errorFields } from '../log/redact.ts';
import { generateMandato } from '../mandato/mandato.ts';
import type { Http, Logger } from '../ports.ts';
import type { DraftService } from '../requests/drafts.ts';
import type { RequestRepository } from '../requests/repository.ts';
import type { PreferencesService } from '../settings/preferences.ts';
import { readCodiceFiscaleBarcode, type CardBarcode } from './barcode.ts';
import { EsclScanner, type EsclDeviceConfig } from './escl.ts';
import { SaneScanner } from './sane.ts';
import {
  CompositeScanner,
  scanError,
  type ScanMime,
  type ScanOptions,
  type ScannerAdapter,
  type ScannerSurvey,
} from './scanner.ts';
import { WatchFolder, type RecentScan, type WatchFolderOptions } from './watch-folder.ts';
import { WiaScanner } from './wia.ts';

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

export interface ScanDeskDeps {
  repo: RequestRepository;
  drafts: DraftService;
  attachments: AttachmentStore;
  catalog: CatalogService;
  preferences: PreferencesService;
  events: EventHub;
  http: Http;
  log: Logger;
  now: () => number;
  config?: ScanningConfig | undefined;
  /** Until when the client's documents would be kept on file (their consent), or null: the mandato says so. */
  keepUntil?: ((cf: string) => number | null) | undefined;
}

/**
 * Scanning at the counter: scanners, the watched scan folder, card barcodes, the mandato.
 * Pages and scans go into drafts' file fields; the folder's tray is pushed as `scansChanged`.
 */
export class ScanDesk {
  private readonly d: ScanDeskDeps;
  private readonly config: ScanningConfig;
  private readonly scanner: CompositeScanner;
  /** Device ids of the last survey: a scan only goes to a device the clerk was offered. */
  private readonly knownDevices = new Set<string>();
  private readonly runningScans = new Map<string, AbortController>();
  private started = false;
  private closed = false;
  private watcher: WatchFolder | null = null;
  private watchState: { folder: string | null; problem: string | null } = { folder: null, problem: null };
  private watchChain: Promise<void> = Promise.resolve();

  constructor(deps: ScanDeskDeps) {
    this.d = deps;
    const config = deps.config ?? {};
    this.config = config;
    this.scanner = new CompositeScanner(
      scannerAdapters(config, {
        http: deps.http,
        escl: () => [
          ...(config.esclDevices ?? []),
          ...deps.preferences.get().esclScanners.map((url) => ({ url })),
        ],
      }),
    );
  }

  /** Every backend's scanners; remembers the devices offered. */
  async survey(): Promise<ScannerSurvey> {
    const found = await this.scanner.survey();
    this.knownDevices.clear();
    for (const device of found.devices) this.knownDevices.add(device.id);
    for (const problem of found.problems)
      this.d.log.info('scanner backend unavailable', { backend: problem.backend, reason: problem.reason });
    return found;
  }

  /** Scans now and adds each page to the draft's file field, reporting progress as `scanProgress`. */
  async scan(
    draftId: string,
    fieldKey: string,
    deviceId: string,
    options: ScanOptions,
  ): Promise<AttachmentInfo[]> {
    await this.fileField(draftId, fieldKey);
    if (!this.knownDevices.has(deviceId)) await this.survey();
    if (!this.knownDevices.has(deviceId))
      throw scanError('no_device', 'Scanner non trovato: verificate che sia acceso e sceglietelo di nuovo');
    if (this.runningScans.has(deviceId))
      throw scanError('busy', 'Lo scanner sta già acquisendo: attendete la fine o annullate');
    const controller = new AbortController();
    this.runningScans.set(deviceId, controller);
    let last = '';
    try {
      const pages = await this.scanner.scan(deviceId, options, {
        signal: controller.signal,
        onProgress: ({ page, percent }) => {
          const whole = percent === null ? null : Math.floor(percent);
          if (`${page}:${whole}` === last) return;
          last = `${page}:${whole}`;
          this.d.events.emit('scanProgress', { deviceId, page, percent: whole });
        },
      });
      if (controller.signal.aborted) throw scanError('cancelled', 'Scansione annullata');
      const infos = [];
      for (const [i, page] of pages.entries()) {
        const name = `scansione-${i + 1}.${EXTENSIONS[page.mime]}`;
        infos.push(await this.d.drafts.addAttachment(draftId, fieldKey, { name, data: page.bytes }));
      }
      return infos;
    } finally {
      if (this.runningScans.get(deviceId) === controller) this.runningScans.delete(deviceId);
    }
  }

  /** Stops the scan running on that device (its `scan` fails as cancelled). */
  cancel(deviceId: string): void {
    this.runningScans.get(deviceId)?.abort();
  }

  /** The watched folder's new files, newest first. */
  recent(): RecentScanView[] {
    return (this.watcher?.recent() ?? []).map(scanView);
  }

  status(): ScanFolderStatus {
    return {
      folder: this.watchState.folder,
      watching: this.watcher !== null,
      problem: this.watchState.problem,
    };
  }

  /** Puts a recent scan into a file field and takes it off the tray. */
  async use(draftId: string, fieldKey: string, scanId: string, position?: number): Promise<AttachmentInfo> {
    const scan = this.recentScan(scanId);
    const info = await this.d.drafts.addAttachment(draftId, fieldKey, { path: scan.path }, position);
    this.watcher?.take(scanId);
    return info;
  }

  dismiss(scanId: string): void {
    this.watcher?.take(scanId);
  }

  /** The codice fiscale barcode of a card attached to a draft; null if none. */
  async readAttachment(draftId: string, attachmentId: string): Promise<CardBarcodeReading | null> {
    return cardReading((await this.d.attachments.preview(draftId, attachmentId)).data);
  }

  /** The same, from a file of the watched folder. */
  async readScan(scanId: string): Promise<CardBarcodeReading | null> {
    const scan = this.recentScan(scanId);
    const info = await stat(scan.path).catch(() => null);
    if (!info?.isFile()) throw new AppError('not_found', 'La scansione non è più nella cartella');
    if (info.size > MAX_INPUT_BYTES)
      throw new AppError('file_too_large', 'La scansione è troppo grande per leggerne il codice a barre');
    return cardReading(await readFile(scan.path));
  }

  /** The prefilled "mandato di assistenza e rappresentanza" for a draft's client. */
  async mandato(draftId: string): Promise<GeneratedPdf> {
    const row = this.d.repo.get(draftId);
    if (!row) throw new AppError('draft_not_found', `Bozza ${draftId} non trovata`);
    const service = await this.d.catalog.detail(row.environment, row.serviceHash);
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
    const prefs = this.d.preferences.get();
    const keepUntil = this.d.keepUntil?.(client.codiceFiscale.replace(/\s+/g, '').toUpperCase());
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
      date: new Date(this.d.now()),
      keepDocuments: keepUntil === null || keepUntil === undefined ? null : { until: new Date(keepUntil) },
    });
    return { name: sanitizeFileName(`Mandato ${client.cognome} ${client.nome}.pdf`), data };
  }

  /**
   * Starts watching the preferred folder. A missing or unreachable folder is logged and shown in
   * `status()`, never fatal: the promise never rejects.
   */
  start(): Promise<void> {
    this.started = true;
    return this.watchFolder(this.d.preferences.get().watchFolder);
  }

  /** After the preferences were saved: follows a changed watched folder (once started). */
  async applyPreferences(
    previous: Preferences,
    next: Preferences,
    patch: Partial<Preferences>,
  ): Promise<void> {
    // A changed folder, or the same one saved again after fixing it (created, share reconnected).
    const retry = patch.watchFolder !== undefined && this.watcher === null;
    if (this.started && (next.watchFolder !== previous.watchFolder || retry))
      await this.watchFolder(next.watchFolder);
  }

  /** Aborts running scans and stops the watcher; no `scansChanged` afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.runningScans.values()) controller.abort();
    await this.watchFolder(null);
  }

  /** The watched scan folder's watcher while one runs (settled: see `settled`). */
  folderWatcher(): WatchFolder | null {
    return this.watcher;
  }

  /** Resolves once the last (re)start of the watched folder is done. */
  settled(): Promise<void> {
    return this.watchChain;
  }

  /** (Re)starts the watcher on `folder` (none: stops it). Serialised; never rejects. */
  watchFolder(wanted: string | null): Promise<void> {
    const folder = wanted?.trim() || null;
    const step = this.watchChain.then(async () => {
      const previous = this.watcher;
      this.watcher = null;
      await previous?.stop().catch(() => undefined);
      this.watchState = { folder, problem: null };
      if (folder && !isAbsolute(folder)) {
        this.watchState = {
          folder,
          problem: 'La cartella delle scansioni va indicata con il percorso completo',
        };
      } else if (folder && !this.closed) {
        const next: WatchFolder = new WatchFolder({
          ...this.config.watch,
          folder,
          onError: (error) => {
            this.d.log.warn('watched scan folder failed', errorFields(error));
            if (this.watcher === next)
              this.watchState = { folder, problem: 'La cartella delle scansioni non si riesce a leggere' };
          },
        });
        next.subscribe(() => {
          if (this.watcher === next) this.publishScans();
        });
        this.watcher = next;
        try {
          await next.start();
        } catch (error) {
          this.watcher = null;
          await next.stop().catch(() => undefined);
          const problem =
            error instanceof AppError ? error.message : 'La cartella delle scansioni non si riesce a leggere';
          this.watchState = { folder, problem };
          this.d.log.warn('watched scan folder not started', errorFields(error));
        }
      }
      this.publishScans();
    });
    this.watchChain = step.catch((error: unknown) =>
      this.d.log.error('watched scan folder', errorFields(error)),
    );
    return this.watchChain;
  }

  private publishScans(): void {
    if (!this.closed) this.d.events.emit('scansChanged', this.recent());
  }

  /** The draft exists and the field takes files: checked before the paper moves. */
  private async fileField(draftId: string, fieldKey: string): Promise<void> {
    const row = this.d.repo.get(draftId);
    if (!row || row.status !== 'draft') throw new AppError('draft_not_found', `Bozza ${draftId} non trovata`);
    const service = await this.d.catalog.detail(row.environment, row.serviceHash);
    const field = service.fields.find((f) => f.key === fieldKey);
    if (!field || field.tipo !== 'file')
      throw new AppError('invalid_argument', `Il campo ${fieldKey} non accetta file`);
  }

  private recentScan(scanId: string): RecentScan {
    const scan = this.watcher?.get(scanId);
    if (!scan)
      throw new AppError('not_found', 'Scansione non più disponibile: forse è stata spostata o già usata');
    return scan;
  }
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

async function cardReading(bytes: Uint8Array): Promise<CardBarcodeReading | null> {
  const found = await readCodiceFiscaleBarcode(bytes, { placeName: true });
  return found && barcodeView(found);
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
