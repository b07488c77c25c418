import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { PathRefusalReason } from '../../common/register-paths.ts';
import { AppError } from '../errors.ts';
import type { RefusedPaths, RegisterRow } from './refused-paths.ts';

/*
 * The register records where files are as names relative to a root this counter owns, resolved
 * here and only here. Several counters share one register in an office, and any of them (or anyone
 * with its database password) can write any row: a recorded path is a name to look up inside THIS
 * counter's folders, never an order to open, check or delete something elsewhere.
 */

/** This counter's folders that the register names files in. */
export const rootKinds = ['archive', 'drafts', 'clients'] as const;
export type RootKind = (typeof rootKinds)[number];

// Windows opens a device for these names in any folder, whatever the extension ("nul.pdf", "CON .txt").
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/iu;

/**
 * Why `name` cannot be a name inside a root, judged by its text alone on every system (an office
 * mixes Windows and other PCs): null when it is a plain relative name. Both slashes separate.
 */
export function nameProblem(name: string): PathRefusalReason | null {
  if (name.includes('\0')) return 'nul';
  if (/^[\\/]{2}/u.test(name)) return 'unc';
  if (/^[A-Za-z]:/u.test(name)) return 'drive';
  if (/^[\\/]/u.test(name)) return 'absolute';
  if (name.includes(':')) return 'colon';
  const segments = name.split(/[\\/]/u);
  // Windows drops trailing dots and spaces: ".. " and "..." are ".." or "." there.
  if (segments.some((s) => /^[.\s]*$/u.test(s))) return 'parent';
  if (segments.some((s) => WINDOWS_DEVICE.test((s.split('.')[0] ?? '').trimEnd()))) return 'device';
  return null;
}

/** Where a name is under a root: the real path (symbolic links followed), and whether it is there. */
export type Placed = { ok: true; path: string; exists: boolean } | { ok: false; reason: PathRefusalReason };

/**
 * Resolves `name` under `root`. The name must be plain (`nameProblem`), and its real target —
 * every symbolic link on the way followed, as the operating system would — must lie strictly
 * inside the root's own real path. For a name not (yet) there, the deepest part that is there is
 * followed and the rest appended.
 */
export async function placeInside(root: string, name: string): Promise<Placed> {
  const problem = nameProblem(name);
  if (problem) return { ok: false, reason: problem };
  const base = resolve(root);
  const target = join(base, ...name.split(/[\\/]/u));
  let realBase: string;
  try {
    realBase = await realpath(base);
  } catch (error) {
    if (!missing(error)) throw error;
    return { ok: true, path: target, exists: false };
  }
  const rest: string[] = [];
  let probe = target;
  let real: string;
  for (;;) {
    try {
      real = await realpath(probe);
      break;
    } catch (error) {
      if (!missing(error)) throw error;
      rest.unshift(basename(probe));
      probe = dirname(probe);
    }
  }
  const path = rest.length ? join(real, ...rest) : real;
  if (!path.startsWith(realBase + sep)) return { ok: false, reason: 'outside' };
  return { ok: true, path, exists: rest.length === 0 };
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A file of this counter, where a register row names it. */
export interface Located {
  path: string;
  exists: boolean;
}

/** What a row may name: so many parts, the first being this folder (a draft's own scans). */
export interface Shape {
  segments?: number;
  folder?: string;
}

/**
 * This counter's roots, and the one way from a register row's name to a file on this computer.
 * Every use of a recorded path — open, show in the folder, read to print, checksum, delete at
 * retention, copies, scans, clients' documents — goes through `locate`; a refusal is reported
 * (logged by code, listed for Home) and the caller acts as if the file were not here.
 */
export class Roots {
  private readonly dirs: Record<RootKind, () => string>;
  private readonly refused: RefusedPaths;

  constructor(deps: { dirs: Record<RootKind, () => string>; refused: RefusedPaths }) {
    this.dirs = deps.dirs;
    this.refused = deps.refused;
  }

  /** The root's folder on this counter (the archive's may change in Impostazioni). */
  dir(kind: RootKind): string {
    return resolve(this.dirs[kind]());
  }

  /**
   * The name to record for a file main writes at `parts` under a root: its parts joined by `/`,
   * the same on every system. A part that would make it anything but a plain name is a bug here.
   */
  name(...parts: string[]): string {
    const name = parts.join('/');
    const problem = nameProblem(name);
    if (problem) throw new Error(`not a name inside a root (${problem})`);
    return name;
  }

  /**
   * Where the row's recorded `name` is on this counter, or null: the row records no file (an
   * empty name: its file is gone), or names one outside the root — refused, and reported. `shape`
   * narrows what the row may name: `segments` parts exactly, the first being `folder`.
   */
  async locate(kind: RootKind, name: string, row: RegisterRow, shape: Shape = {}): Promise<Located | null> {
    if (name === '') return null;
    const parts = name.split(/[\\/]/u);
    const misplaced =
      (shape.segments !== undefined && parts.length !== shape.segments) ||
      (shape.folder !== undefined && parts[0] !== shape.folder);
    const placed: Placed = misplaced
      ? { ok: false, reason: nameProblem(name) ?? 'misplaced' }
      : await placeInside(this.dir(kind), name);
    if (placed.ok) return { path: placed.path, exists: placed.exists };
    this.refused.report(row, placed.reason);
    return null;
  }

  /**
   * As `locate`, for a file the caller must read: a refused name is an error the clerk can act on
   * (the row is listed on Home), not a file that merely is not here.
   */
  async mustLocate(kind: RootKind, name: string, row: RegisterRow, shape: Shape = {}): Promise<Located> {
    if (name === '') throw new AppError('not_found', 'Il file non è più disponibile');
    const located = await this.locate(kind, name, row, shape);
    if (located) return located;
    throw new AppError(
      'register_path_refused',
      'Il registro indica per questo file una posizione fuori dalle cartelle di Sportello: non è stato aperto',
      { details: { table: row.table, id: row.id } },
    );
  }

  /**
   * Where a name would be, by its text alone (for showing a folder, not for touching it); null,
   * reported, when the text is no plain name.
   */
  place(kind: RootKind, name: string, row: RegisterRow): string | null {
    if (name === '') return null;
    const problem = nameProblem(name);
    if (!problem) return join(this.dir(kind), ...name.split(/[\\/]/u));
    this.refused.report(row, problem);
    return null;
  }
}
