import { randomUUID } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { MIME_OF, sniff, type FileKind } from '../attachments/sniff.ts';
import { AppError } from '../errors.ts';

/*
 * The folder the office scanner's own software saves into. New images and PDFs appear as "recent
 * scans" once they are completely written: a scanner writes a page over seconds, and a half-written
 * JPEG must not reach the attachment pipeline. A file counts as written when its size and mtime
 * have not changed for `stableMs` and, for the formats that have one, its end marker is there.
 */

export interface RecentScan {
  id: string;
  path: string;
  name: string;
  size: number;
  /** Modification time, epoch ms. */
  mtime: number;
  mime: string;
}

export interface WatchFolderOptions {
  folder: string;
  /** Files modified within this many hours are listed at start. */
  recentHours?: number;
  /** Size and mtime unchanged for this long → written. */
  stableMs?: number;
  pollMs?: number;
  /** A file whose end marker never comes is offered anyway after this long stable (odd writers). */
  incompleteGraceMs?: number;
  /** Sub-folder depth watched (scanner software often saves into dated sub-folders). */
  depth?: number;
  now?: () => number;
  /** Chokidar polling, for network shares where native events do not arrive. */
  usePolling?: boolean;
  /** Watcher failures (folder removed, permissions): the lead's logger. */
  onError?: (error: unknown) => void;
}

export type WatchFolderEvent = { type: 'added'; scan: RecentScan } | { type: 'removed'; id: string };

const ACCEPTED: ReadonlySet<FileKind> = new Set(['pdf', 'jpeg', 'png', 'tiff', 'webp', 'heic', 'avif']);
/** Partial downloads, editor locks, OS litter. */
const IGNORED = /(^\.|^~\$|\.(tmp|part|partial|crdownload|download)$|^thumbs\.db$|^desktop\.ini$)/i;

interface Pending {
  size: number;
  mtimeMs: number;
  stableSince: number;
  timer: NodeJS.Timeout;
}

export class WatchFolder {
  private readonly folder: string;
  private readonly recentMs: number;
  private readonly stableMs: number;
  private readonly pollMs: number;
  private readonly incompleteGraceMs: number;
  private readonly depth: number;
  private readonly now: () => number;
  private readonly usePolling: boolean;
  private readonly onError: (error: unknown) => void;
  private readonly items = new Map<string, RecentScan>();
  private readonly pending = new Map<string, Pending>();
  /** Paths used or dismissed: a rewrite of the same file (same size and mtime) is not offered again. */
  private readonly done = new Map<string, string>();
  private readonly listeners = new Set<(event: WatchFolderEvent) => void>();
  private watcher: FSWatcher | null = null;

  constructor(options: WatchFolderOptions) {
    this.folder = options.folder;
    this.recentMs = (options.recentHours ?? 12) * 3_600_000;
    this.stableMs = options.stableMs ?? 1500;
    this.pollMs = options.pollMs ?? 250;
    this.incompleteGraceMs = options.incompleteGraceMs ?? 30_000;
    this.depth = options.depth ?? 1;
    this.now = options.now ?? Date.now;
    this.usePolling = options.usePolling ?? false;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Lists the recent files already there, then watches for new ones. */
  async start(): Promise<void> {
    if (this.watcher) return;
    const info = await stat(this.folder).catch(() => null);
    if (!info?.isDirectory()) {
      throw new AppError('not_found', `La cartella delle scansioni non esiste: ${this.folder}`, {
        details: { folder: this.folder },
      });
    }
    await this.initial(this.folder, 0);
    const watcher = watch(this.folder, {
      ignoreInitial: true,
      depth: this.depth,
      usePolling: this.usePolling,
      interval: this.pollMs,
      ignored: (path) => path !== this.folder && IGNORED.test(basename(path)),
    });
    watcher.on('add', (path) => this.observe(path));
    watcher.on('change', (path) => this.observe(path));
    watcher.on('unlink', (path) => this.forget(path));
    watcher.on('error', (error) => this.onError(error));
    this.watcher = watcher;
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async stop(): Promise<void> {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
    await this.watcher?.close();
    this.watcher = null;
  }

  subscribe(listener: (event: WatchFolderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Newest first. */
  recent(): RecentScan[] {
    return [...this.items.values()].sort((a, b) => b.mtime - a.mtime);
  }

  get(id: string): RecentScan | undefined {
    return this.items.get(id);
  }

  /**
   * Takes a scan out of the tray (it went into a slot, or the clerk dismissed it). The file stays:
   * it belongs to the scanner's folder and the office's own clean-up.
   */
  take(id: string): RecentScan | undefined {
    const scan = this.items.get(id);
    if (!scan) return undefined;
    this.items.delete(id);
    this.done.set(scan.path, `${scan.size}:${scan.mtime}`);
    this.emit({ type: 'removed', id });
    return scan;
  }

  private async initial(dir: string, level: number): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      this.onError(error);
      return [];
    });
    for (const entry of entries) {
      if (IGNORED.test(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && level < this.depth) await this.initial(path, level + 1);
      if (!entry.isFile()) continue;
      const info = await stat(path).catch(() => null); // vanished since readdir
      if (info && this.now() - info.mtimeMs <= this.recentMs) this.observe(path);
    }
  }

  private observe(path: string): void {
    const existing = [...this.items.values()].find((s) => s.path === path);
    if (existing) {
      // Rewritten in place: offer the new content once it is complete.
      this.items.delete(existing.id);
      this.emit({ type: 'removed', id: existing.id });
    }
    const previous = this.pending.get(path);
    if (previous) clearTimeout(previous.timer);
    this.pending.set(path, {
      size: -1,
      mtimeMs: -1,
      stableSince: this.now(),
      timer: setTimeout(() => void this.check(path), this.pollMs),
    });
  }

  private async check(path: string): Promise<void> {
    const entry = this.pending.get(path);
    if (!entry) return;
    // Gone (moved, deleted) between the event and now: nothing to offer.
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) {
      this.pending.delete(path);
      return;
    }
    const now = this.now();
    if (info.size !== entry.size || info.mtimeMs !== entry.mtimeMs) {
      entry.size = info.size;
      entry.mtimeMs = info.mtimeMs;
      entry.stableSince = now;
    }
    const stableFor = now - entry.stableSince;
    if (info.size > 0 && stableFor >= this.stableMs) {
      // Unreadable for now (the scanner software may hold it locked on Windows): try again later.
      const verdict = await inspect(path, info.size).catch(() => null);
      if (verdict === 'reject') {
        this.pending.delete(path);
        return;
      }
      if (verdict && (verdict.complete || stableFor >= this.incompleteGraceMs)) {
        this.pending.delete(path);
        this.offer(path, info.size, Math.round(info.mtimeMs), verdict.kind);
        return;
      }
    }
    if (this.pending.get(path) === entry) entry.timer = setTimeout(() => void this.check(path), this.pollMs);
  }

  private offer(path: string, size: number, mtime: number, kind: FileKind): void {
    if (this.done.get(path) === `${size}:${mtime}`) return;
    const scan: RecentScan = {
      id: randomUUID(),
      path,
      name: basename(path),
      size,
      mtime,
      mime: MIME_OF[kind],
    };
    this.items.set(scan.id, scan);
    this.emit({ type: 'added', scan });
  }

  private forget(path: string): void {
    const entry = this.pending.get(path);
    if (entry) clearTimeout(entry.timer);
    this.pending.delete(path);
    this.done.delete(path);
    for (const scan of this.items.values()) {
      if (scan.path !== path) continue;
      this.items.delete(scan.id);
      this.emit({ type: 'removed', id: scan.id });
    }
  }

  private emit(event: WatchFolderEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** The file's kind from its first bytes, and whether its end marker is already written. */
async function inspect(
  path: string,
  size: number,
): Promise<{ kind: FileKind; complete: boolean } | 'reject'> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(Math.min(size, 4096));
    await file.read(head, 0, head.length, 0);
    const kind = sniff(head);
    if (!kind || !ACCEPTED.has(kind)) return 'reject';
    const tailLength = Math.min(size, 2048);
    const tail = new Uint8Array(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    return { kind, complete: hasEndMarker(kind, tail) };
  } finally {
    await file.close();
  }
}

const PADDING = new Set([0x00, 0x09, 0x0a, 0x0d, 0x20]);

function hasEndMarker(kind: FileKind, tail: Uint8Array): boolean {
  const text = Buffer.from(tail).toString('latin1');
  switch (kind) {
    case 'jpeg': {
      // EOI, possibly followed by a little zero or blank padding.
      let end = tail.length;
      while (end > 0 && PADDING.has(tail[end - 1]!)) end--;
      return end >= 2 && tail[end - 2] === 0xff && tail[end - 1] === 0xd9;
    }
    case 'png':
      return text.includes('IEND');
    case 'pdf':
      return text.includes('%%EOF');
    default:
      // No end marker to look for: stability alone decides.
      return true;
  }
}
