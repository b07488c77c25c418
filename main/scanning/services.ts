import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import type { EventHub } from '../events.ts';
import type { Http, Logger, Paths } from '../ports.ts';
import type { DocumentReader } from '../reading/port.ts';
import type { DraftService } from '../requests/drafts.ts';
import type { PathGrants } from '../security/grants.ts';
import type { PreferencesService } from '../settings/preferences.ts';
import type { Register } from '../store/port.ts';
import { CardReader } from './card-reader.ts';
import { preparePageFiles } from './page-files.ts';
import { Scanners, type ScannersConfig } from './scanners.ts';
import { ScanTray, type TrayTimings } from './tray.ts';

/** Scanners, and the watched folder's timings (tests shorten them). */
export type ScanningConfig = ScannersConfig & { watch?: TrayTimings | undefined };

/** What scanning takes of the app's shared core (main/core.ts gives it, app.ts passes it). */
export interface ScanningCore {
  ports: { paths: Pick<Paths, 'userData' | 'temp'>; http: Http };
  log: Logger;
  events: EventHub;
  preferences: Pick<PreferencesService, 'get'>;
  /** A file of the watched folder goes to a draft as a path main grants itself. */
  grants: PathGrants;
}

/** Scanning at the counter: the scanners, the watched scan folder, card barcodes. */
export function createScanningServices(
  core: ScanningCore,
  d: {
    store: Register;
    drafts: DraftService;
    attachments: AttachmentStore;
    catalog: CatalogService;
    reader: DocumentReader;
    config?: ScanningConfig | undefined;
  },
) {
  const { events, log, preferences, ports } = core;
  // Before any scan can run: what a crash left of the last one goes (a client's ID, page by page).
  const pageFiles = preparePageFiles(ports.paths, log);
  const config = { pageFiles, ...d.config };
  const scanners = new Scanners({
    store: d.store,
    drafts: d.drafts,
    catalog: d.catalog,
    events,
    http: ports.http,
    log,
    esclScanners: () => preferences.get().esclScanners,
    config,
  });
  const tray = new ScanTray({
    drafts: d.drafts,
    events,
    log,
    grants: core.grants,
    folder: () => preferences.get().watchFolder,
    timings: config.watch,
  });
  return { scanners, tray, cards: new CardReader({ attachments: d.attachments, tray, reader: d.reader }) };
}
