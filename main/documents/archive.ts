import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, rename, rm, writeFile as fsWriteFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../errors.ts';
import { markFromInternet, type WriteStream } from './zone.ts';

/**
 * A request's folder in the office archive appears whole or not at all: files are written and
 * synced in a hidden sibling, which is then renamed into place. A re-download swaps folders, so
 * the clerk never sees a half-written mix of old and new outputs.
 */

export interface FileToWrite {
  name: string;
  bytes: Uint8Array;
  /** Hex sha256 of `bytes` when the caller has it already (unzip computes it while checking). */
  sha256?: string;
}

export interface WrittenFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

/** How one file reaches the disk; resolves only once the bytes are durable. A seam for tests. */
export type WriteDurably = (path: string, bytes: Uint8Array) => Promise<void>;

export interface WriteOptions {
  writeFile?: WriteDurably;
  /** Whose rules apply to the Mark-of-the-Web (tests pass 'win32'); the running OS by default. */
  platform?: NodeJS.Platform;
  /** Writes the `Zone.Identifier` stream; the file system by default. */
  writeZone?: WriteStream;
}

/** Outputs hold personal data: only the clerk's account may list the folders and read the files. */
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

export interface SweepOptions {
  /** Younger leftovers may be another PC writing to the same shared archive right now. */
  minAgeMs?: number;
  now?: number;
}

const tempPrefix = '.sportello-tmp-';
const oldPrefix = '.sportello-old-';
const defaultMinAgeMs = 10 * 60_000;

export async function writeFilesAtomically(
  targetDir: string,
  files: FileToWrite[],
  options: WriteOptions = {},
): Promise<WrittenFile[]> {
  const writeFile = options.writeFile ?? writeDurably;
  refuseBadNames(files);
  const target = resolve(targetDir);
  const parent = dirname(target);
  const replacing = await existingFolder(target);

  try {
    await mkdir(parent, { recursive: true, mode: FOLDER_MODE });
  } catch (error) {
    throw writeFailure(error);
  }
  const temp = join(parent, tempPrefix + randomBytes(8).toString('hex'));
  const written: WrittenFile[] = [];
  try {
    await mkdir(temp, { mode: FOLDER_MODE });
    for (const file of files) {
      await writeFile(join(temp, file.name), file.bytes);
      await markDownloaded(join(temp, file.name), options);
      written.push({
        name: file.name,
        path: join(target, file.name),
        size: file.bytes.byteLength,
        sha256: file.sha256 ?? createHash('sha256').update(file.bytes).digest('hex'),
      });
    }
    await syncFolder(temp);
    await moveIntoPlace(temp, target, replacing);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw writeFailure(error);
  }
  // The folder is in place and its files are synced; failing now would report a success as lost.
  await syncFolder(parent).catch(() => undefined);
  return written;
}

/**
 * At start: removes the hidden folders a crash left under `root` and under each of its direct
 * subfolders (temp folders are siblings of a request folder, so they live in the client folders).
 * Symlinks are never followed. Returns the removed paths.
 */
export async function removeStaleTemp(root: string, options: SweepOptions = {}): Promise<string[]> {
  const minAgeMs = options.minAgeMs ?? defaultMinAgeMs;
  const now = options.now ?? Date.now();
  const removed: string[] = [];

  const sweep = async (dir: string, descend: boolean): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith(tempPrefix) || entry.name.startsWith(oldPrefix)) {
        const info = await lstat(path);
        // A rename touches ctime, not mtime: the later of the two is when the leftover was last in use.
        if (now - Math.max(info.mtimeMs, info.ctimeMs) < minAgeMs) continue;
        await rm(path, { recursive: true, force: true });
        removed.push(path);
      } else if (descend) {
        // One unreadable client folder must not keep the others from being cleaned.
        await sweep(path, false).catch((error: unknown) => {
          if (!isErrno(error, 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR')) throw error;
        });
      }
    }
  };

  try {
    await sweep(resolve(root), true);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  return removed;
}

/** The writer takes names as given; they must already be plain, distinct basenames. */
function refuseBadNames(files: FileToWrite[]): void {
  const seen = new Set<string>();
  for (const { name } of files) {
    // Windows and macOS fold case; ":" would write an NTFS alternate data stream.
    const key = name.normalize('NFC').toLowerCase();
    if (name === '' || name === '.' || name === '..' || /[/\\:\0]/u.test(name) || seen.has(key)) {
      throw new AppError('invalid_argument', "Nome di file non valido per l'archivio", {
        details: { reason: 'bad_name', name },
      });
    }
    seen.add(key);
  }
}

/** Whether the target is an existing folder; a symlink there could point anywhere, so it is refused. */
async function existingFolder(target: string): Promise<boolean> {
  let info;
  try {
    info = await lstat(target);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw writeFailure(error);
  }
  if (info.isSymbolicLink()) {
    throw new AppError(
      'unsafe_archive',
      "La cartella della pratica nell'archivio è un collegamento simbolico: non è stato salvato nulla",
      { details: { reason: 'target_symlink' } },
    );
  }
  if (!info.isDirectory()) {
    throw new AppError(
      'unsafe_archive',
      "Al posto della cartella della pratica nell'archivio c'è un file: non è stato salvato nulla",
      { details: { reason: 'target_not_directory' } },
    );
  }
  return true;
}

/**
 * rename() never follows a symlink in its last component, so even a link planted after the check
 * is only moved aside and unlinked, never written through.
 */
async function moveIntoPlace(temp: string, target: string, replacing: boolean): Promise<void> {
  if (!replacing) {
    await rename(temp, target);
    return;
  }
  const old = join(dirname(target), oldPrefix + randomBytes(8).toString('hex'));
  await rename(target, old);
  try {
    await rename(temp, target);
  } catch (error) {
    await rename(old, target);
    throw error;
  }
  // The new folder is in place: a leftover old one is swept at the next start.
  await rm(old, { recursive: true, force: true }).catch(() => undefined);
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  // "wx": never reuse or follow what is already there.
  const handle = await open(path, 'wx', FILE_MODE);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The Mark-of-the-Web on Windows (the stream moves with the file when its folder is renamed). A
 * volume without alternate streams (FAT, some network shares) cannot hold it: the file is still
 * saved, as a browser would.
 */
async function markDownloaded(path: string, options: WriteOptions): Promise<void> {
  const write = options.writeZone ?? ((target, text) => fsWriteFile(target, text));
  await markFromInternet(path, { platform: options.platform ?? process.platform, write }).catch(() => false);
}

/** Makes the new names durable; Windows cannot open a folder for this and journals renames itself. */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Some network file systems (SMB, NFS mounts) refuse to sync a directory.
    if (!isErrno(error, 'EINVAL', 'ENOTSUP', 'EPERM', 'EISDIR', 'EBADF')) throw error;
  }
}

function writeFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const errno = errnoOf(error);
  // On Windows a file held open by a viewer blocks renaming its folder.
  const locked = errno === 'EBUSY' || errno === 'EPERM' || errno === 'EACCES';
  const message = locked
    ? "Non è stato possibile salvare i documenti nell'archivio: chiudete i file della pratica aperti e riprovate"
    : "Non è stato possibile salvare i documenti nella cartella dell'archivio: non è stato salvato nulla";
  return new AppError('internal', message, { details: { reason: 'write_failed', errno }, cause: error });
}

function errnoOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  const errno = errnoOf(error);
  return errno !== null && codes.includes(errno);
}
