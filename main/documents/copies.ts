import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorFields } from '../log/redact.ts';
import type { Logger } from '../ports.ts';

/**
 * The outputs THIS counter wrote into its archive (downloads as the tracker's leader, and copies
 * fetched when opening outputs another counter downloaded), kept in a small JSON file on this
 * counter (userData), never in the register: several counters of an office share one register,
 * but each has its own disk.
 *
 * Why: retention purges a request once, on whichever counter runs it first, and then scrubs the
 * client's name from the register, so the other counters could no longer tell where their files
 * of that request are. With this list each counter, at each of its retention runs, deletes its
 * own files of every purged request and forgets them; a counter that was off during the purge
 * does it at its next start. The entry is written before the files (a crash in between leaves an
 * entry for files that never came, which a sweep removes as nothing), and forgotten only once its
 * files are gone (a file held open stays listed for the next run).
 *
 * The list names the folders, so it holds client names, as the archive itself does: an entry lives
 * exactly as long as its files. Only the listed files are deleted, then their two folders if empty,
 * and only inside the archive root they were written under (a folder two levels below it, never a
 * symbolic link): a damaged or edited list cannot make the sweep delete anything else.
 */

export interface ArchiveCopy {
  requestId: string;
  /** The archive root the files were written under (it may have been changed since). */
  root: string;
  /** `<root>/<client>/<request>`. */
  folder: string;
  /** Plain file names in `folder`. */
  files: string[];
}

interface CopyFile {
  version: 1;
  copies: ArchiveCopy[];
}

export class ArchiveCopies {
  private readonly file: string;
  private readonly log: Logger;
  private loaded: ArchiveCopy[] | null = null;
  /** Every change reads, edits and rewrites the list: one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Requests whose files this process is writing now (`writing`): no sweep touches their entries. */
  private readonly busy = new Map<string, number>();

  constructor(deps: { file: string; log: Logger }) {
    this.file = deps.file;
    this.log = deps.log;
  }

  /** Before writing `files` into `folder` under `root`: lists them (added to what is listed there). */
  add(copy: ArchiveCopy): Promise<void> {
    return this.serial(async () => {
      const copies = await this.load();
      const same = copies.find((c) => c.requestId === copy.requestId && c.folder === copy.folder);
      if (same) {
        const files = [...new Set([...same.files, ...copy.files])];
        if (files.length === same.files.length && same.root === copy.root) return;
        same.files = files;
        same.root = copy.root;
      } else copies.push({ ...copy, files: [...copy.files] });
      await this.save(copies);
    });
  }

  /**
   * Lists `copy` (as `add`), then runs `write`, which puts its files in place: meanwhile no sweep
   * deletes or forgets that request's entries. A purge during the write would otherwise find
   * nothing there yet and forget the entry, and the files that came next would be unlisted.
   */
  async writing<T>(copy: ArchiveCopy, write: () => Promise<T>): Promise<T> {
    this.busy.set(copy.requestId, (this.busy.get(copy.requestId) ?? 0) + 1);
    try {
      await this.add(copy);
      return await write();
    } finally {
      const left = (this.busy.get(copy.requestId) ?? 1) - 1;
      if (left > 0) this.busy.set(copy.requestId, left);
      else this.busy.delete(copy.requestId);
    }
  }

  /**
   * Deletes the files of every listed request that `purged` says is purged, and forgets them.
   * Entries being written (`writing`) are kept for the next sweep.
   * Idempotent: files already gone are nothing to do. Returns how many entries were swept.
   */
  sweep(purged: (requestId: string) => Promise<boolean>): Promise<number> {
    return this.serial(async () => {
      const copies = await this.load();
      const keep: ArchiveCopy[] = [];
      let swept = 0;
      for (const copy of copies) {
        if (this.busy.has(copy.requestId)) {
          keep.push(copy);
          continue;
        }
        let due: boolean;
        try {
          due = await purged(copy.requestId);
        } catch (error) {
          // The register does not answer: the next run tries again.
          this.log.warn('archive copies: request not checked', { id: copy.requestId, ...errorFields(error) });
          keep.push(copy);
          continue;
        }
        if (!due) keep.push(copy);
        else if (await this.remove(copy)) swept++;
        else keep.push(copy);
      }
      if (keep.length !== copies.length) await this.save(keep);
      return swept;
    });
  }

  /** True once the files are gone (or the entry is not safe to act on, so never will be). */
  private async remove(copy: ArchiveCopy): Promise<boolean> {
    if (!safeEntry(copy)) {
      this.log.warn('archive copies: entry outside the archive, forgotten', { id: copy.requestId });
      return true;
    }
    const folder = resolve(copy.folder);
    const client = dirname(folder);
    // Through a symbolic link a file name could reach anything: only real folders are entered.
    if (!(await realFolder(client)) || !(await realFolder(folder))) {
      if (await exists(folder))
        this.log.warn('archive copies: not a plain folder, left as it is', { id: copy.requestId });
      return true;
    }
    try {
      for (const name of copy.files) await rm(join(folder, name), { force: true });
    } catch (error) {
      // On Windows a file open in a viewer cannot be deleted: the next run tries again.
      this.log.warn('archive copies: files not deleted', { id: copy.requestId, ...errorFields(error) });
      return false;
    }
    await removeIfEmpty(folder);
    await removeIfEmpty(client);
    return true;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<ArchiveCopy[]> {
    if (this.loaded) return this.loaded;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.loaded = [];
      return this.loaded;
    }
    try {
      const parsed = JSON.parse(text) as Partial<CopyFile>;
      this.loaded = Array.isArray(parsed.copies) ? parsed.copies.filter(wellFormed) : [];
    } catch {
      // A torn or edited file: keep it aside for whoever investigates, start a new list.
      this.log.warn('archive copies: unreadable list set aside', {});
      await rename(this.file, `${this.file}.unreadable`).catch(() => undefined);
      this.loaded = [];
    }
    return this.loaded;
  }

  /** Written whole in a sibling, then renamed into place: never a half-written list. */
  private async save(copies: ArchiveCopy[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    const data: CopyFile = { version: 1, copies };
    await writeFile(temp, JSON.stringify(data), { mode: 0o600 });
    try {
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    this.loaded = copies;
  }
}

function wellFormed(value: unknown): value is ArchiveCopy {
  const c = value as Partial<ArchiveCopy> | null;
  return (
    typeof c?.requestId === 'string' &&
    typeof c.root === 'string' &&
    typeof c.folder === 'string' &&
    Array.isArray(c.files) &&
    c.files.every((f) => typeof f === 'string')
  );
}

/** A request folder exactly two levels below an absolute root, and plain file names in it. */
export function safeEntry(copy: ArchiveCopy): boolean {
  if (!isAbsolute(copy.root) || !isAbsolute(copy.folder)) return false;
  const rel = relative(resolve(copy.root), resolve(copy.folder));
  if (!rel || isAbsolute(rel)) return false;
  const parts = rel.split(sep);
  if (parts.length !== 2 || parts.some((p) => p === '' || p === '.' || p === '..')) return false;
  return copy.files.every(
    (name) =>
      name !== '' && name !== '.' && name !== '..' && basename(name) === name && !/[/\\:\0]/u.test(name),
  );
}

async function realFolder(path: string): Promise<boolean> {
  try {
    const info = await lstat(path);
    return info.isDirectory() && !info.isSymbolicLink();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function removeIfEmpty(folder: string): Promise<void> {
  try {
    if ((await readdir(folder)).length === 0) await rmdir(folder);
  } catch {
    // already gone, or not empty any more: either way nothing to do
  }
}
