import { isAbsolute } from 'node:path';
import type { AttachmentInfo } from '../../common/requests.ts';
import type { RecentScan as RecentScanView, ScanFolderStatus } from '../../common/scanning.ts';
import type { Preferences } from '../../common/settings.ts';
import { AppError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import { errorFields } from '../log/redact.ts';
import type { Logger } from '../ports.ts';
import type { DraftService } from '../requests/drafts.ts';
import type { PathGrants } from '../security/grants.ts';
import { WatchFolder, type RecentScan, type WatchFolderOptions } from './watch-folder.ts';

export type TrayTimings = Pick<
  WatchFolderOptions,
  'stableMs' | 'pollMs' | 'recentHours' | 'incompleteGraceMs' | 'depth' | 'usePolling'
>;

export interface ScanTrayDeps {
  drafts: DraftService;
  events: EventHub;
  log: Logger;
  /** A file of the watched folder goes to a draft as a path main grants itself. */
  grants: PathGrants;
  /** The folder the office's scanner saves into (Impostazioni), or null. */
  folder: () => string | null;
  /** Watched-folder timings (tests shorten them). */
  timings?: TrayTimings | undefined;
}

/**
 * The watched scan folder: many office scanners save into a folder, and its new files show in
 * "Scansioni recenti" (pushed as `scansChanged`) until the clerk puts one into a field.
 */
export class ScanTray {
  private readonly d: ScanTrayDeps;
  private started = false;
  private closed = false;
  private watcher: WatchFolder | null = null;
  private state: { folder: string | null; problem: string | null } = { folder: null, problem: null };
  private chain: Promise<void> = Promise.resolve();

  constructor(deps: ScanTrayDeps) {
    this.d = deps;
  }

  /** Starts watching the folder. A missing or unreachable one is logged and shown, never fatal. */
  start(): Promise<void> {
    this.started = true;
    return this.watch(this.d.folder());
  }

  /** After the preferences were saved: follows a changed folder (once started). */
  async applyPreferences(
    previous: Preferences,
    next: Preferences,
    patch: Partial<Preferences>,
  ): Promise<void> {
    // A changed folder, or the same one saved again after fixing it (created, share reconnected).
    const retry = patch.watchFolder !== undefined && this.watcher === null;
    if (this.started && (next.watchFolder !== previous.watchFolder || retry))
      await this.watch(next.watchFolder);
  }

  /** Stops the watcher; no `scansChanged` afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.watch(null);
  }

  /** The watcher while one runs (settled: see `settled`). */
  folderWatcher(): WatchFolder | null {
    return this.watcher;
  }

  /** Resolves once the last (re)start of the watcher is done. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** The folder's new files, newest first. */
  recent(): RecentScanView[] {
    return (this.watcher?.recent() ?? []).map(scanView);
  }

  status(): ScanFolderStatus {
    return { folder: this.state.folder, watching: this.watcher !== null, problem: this.state.problem };
  }

  /** Puts a recent scan into a file field and takes it off the tray. */
  async use(draftId: string, fieldKey: string, scanId: string, position?: number): Promise<AttachmentInfo> {
    const scan = this.scan(scanId);
    const path = this.d.grants.grant(scan.path, 'watched');
    if (!path)
      throw new AppError('not_found', 'Scansione non più disponibile: forse è stata spostata o già usata');
    const info = await this.d.drafts.addAttachment(draftId, fieldKey, { path }, position);
    this.watcher?.take(scanId);
    return info;
  }

  dismiss(scanId: string): void {
    this.watcher?.take(scanId);
  }

  /** A recent scan (its path stays in main). */
  scan(scanId: string): RecentScan {
    const scan = this.watcher?.get(scanId);
    if (!scan)
      throw new AppError('not_found', 'Scansione non più disponibile: forse è stata spostata o già usata');
    return scan;
  }

  /** (Re)starts the watcher on `folder` (none: stops it). Serialised; never rejects. */
  private watch(wanted: string | null): Promise<void> {
    const folder = wanted?.trim() || null;
    const step = this.chain.then(async () => {
      const previous = this.watcher;
      this.watcher = null;
      await previous?.stop().catch(() => undefined);
      this.state = { folder, problem: null };
      if (folder && !isAbsolute(folder)) {
        this.state = { folder, problem: 'La cartella delle scansioni va indicata con il percorso completo' };
      } else if (folder && !this.closed) {
        const next: WatchFolder = new WatchFolder({
          ...this.d.timings,
          folder,
          onError: (error) => {
            this.d.log.warn('watched scan folder failed', errorFields(error));
            if (this.watcher === next)
              this.state = { folder, problem: 'La cartella delle scansioni non si riesce a leggere' };
          },
        });
        next.subscribe(() => {
          if (this.watcher === next) this.publish();
        });
        this.watcher = next;
        try {
          await next.start();
        } catch (error) {
          this.watcher = null;
          await next.stop().catch(() => undefined);
          const problem =
            error instanceof AppError ? error.message : 'La cartella delle scansioni non si riesce a leggere';
          this.state = { folder, problem };
          this.d.log.warn('watched scan folder not started', errorFields(error));
        }
      }
      this.publish();
    });
    this.chain = step.catch((error: unknown) => this.d.log.error('watched scan folder', errorFields(error)));
    return this.chain;
  }

  private publish(): void {
    if (!this.closed) this.d.events.emit('scansChanged', this.recent());
  }
}

/** A recent scan as the renderer sees it: the path stays in main. */
function scanView(scan: RecentScan): RecentScanView {
  return { id: scan.id, name: scan.name, size: scan.size, mtime: scan.mtime, mime: scan.mime };
}
