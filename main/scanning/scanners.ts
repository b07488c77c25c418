import type { AttachmentInfo } from '../../common/requests.ts';
import type { ScannerBackend } from '../../common/scanning.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import type { EventHub } from '../events.ts';
import type { Http, Logger } from '../ports.ts';
import type { DraftService } from '../requests/drafts.ts';
import type { Register } from '../store/port.ts';
import { EsclScanner, type EsclDeviceConfig } from './escl.ts';
import { assertFileField } from './file-field.ts';
import { SaneScanner } from './sane.ts';
import {
  CompositeScanner,
  scanError,
  type ScanMime,
  type ScanOptions,
  type ScannerAdapter,
  type ScannerSurvey,
} from './scanner.ts';
import { WiaScanner } from './wia.ts';

export interface ScannersConfig {
  /**
   * SANE devices offered even when `scanimage -L` does not list them (`test`: SANE's test backend,
   * for tests and the harness). main/index.ts passes SPORTELLO_SANE_DEVICES here.
   */
  saneDevices?: readonly string[] | undefined;
  /** The scanimage program; `scanimage` in PATH by default. */
  saneCommand?: string | undefined;
  /** Backends asked for devices. Default: SANE everywhere but Windows, WIA on Windows, eSCL always. */
  backends?: readonly ScannerBackend[] | undefined;
  /** Network scanners besides the office's `esclScanners` preference (tests' eSCL responder). */
  esclDevices?: readonly EsclDeviceConfig[] | undefined;
  /** Where SANE and WIA write page images while scanning (page-files.ts); the system's temp dir by default. */
  pageFiles?: string | undefined;
}

export interface ScannersDeps {
  store: Register;
  drafts: DraftService;
  catalog: CatalogService;
  events: EventHub;
  http: Http;
  log: Logger;
  /** The office's network scanners (Impostazioni). */
  esclScanners: () => readonly string[];
  config?: ScannersConfig | undefined;
}

const EXTENSIONS: Record<ScanMime, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
  'application/pdf': 'pdf',
};

/** The counter's scanners (SANE, WIA, eSCL): surveyed, then scanned straight into a draft's file field. */
export class Scanners {
  private readonly d: ScannersDeps;
  private readonly scanner: CompositeScanner;
  /** Device ids of the last survey: a scan only goes to a device the clerk was offered. */
  private readonly knownDevices = new Set<string>();
  private readonly running = new Map<string, AbortController>();

  constructor(deps: ScannersDeps) {
    this.d = deps;
    const config = deps.config ?? {};
    this.scanner = new CompositeScanner(
      scannerAdapters(config, {
        http: deps.http,
        escl: () => [...(config.esclDevices ?? []), ...deps.esclScanners().map((url) => ({ url }))],
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
    await assertFileField(this.d, draftId, fieldKey);
    if (!this.knownDevices.has(deviceId)) await this.survey();
    if (!this.knownDevices.has(deviceId))
      throw scanError('no_device', 'Scanner non trovato: verificate che sia acceso e sceglietelo di nuovo');
    if (this.running.has(deviceId))
      throw scanError('busy', 'Lo scanner sta già acquisendo: attendete la fine o annullate');
    const controller = new AbortController();
    this.running.set(deviceId, controller);
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
      if (this.running.get(deviceId) === controller) this.running.delete(deviceId);
    }
  }

  /** Stops the scan running on that device (its `scan` fails as cancelled). */
  cancel(deviceId: string): void {
    this.running.get(deviceId)?.abort();
  }

  /** Aborts every running scan (the app is closing). */
  close(): void {
    for (const controller of this.running.values()) controller.abort();
  }
}

/** The scanner backends of this system (see ScannersConfig.backends). */
function scannerAdapters(
  config: ScannersConfig,
  deps: { http: Http; escl: () => readonly EsclDeviceConfig[] },
): ScannerAdapter[] {
  const backends = config.backends ?? (process.platform === 'win32' ? ['wia', 'escl'] : ['sane', 'escl']);
  const adapters: ScannerAdapter[] = [];
  if (backends.includes('sane')) {
    adapters.push(
      new SaneScanner({
        extraDevices: config.saneDevices ?? [],
        ...(config.saneCommand ? { command: config.saneCommand } : {}),
        ...(config.pageFiles ? { tempDir: config.pageFiles } : {}),
      }),
    );
  }
  if (backends.includes('wia'))
    adapters.push(new WiaScanner(config.pageFiles ? { tempDir: config.pageFiles } : {}));
  if (backends.includes('escl')) adapters.push(new EsclScanner({ devices: deps.escl, http: deps.http }));
  return adapters;
}
