import { grantedPathSchema, type GrantedPath } from '../../common/granted-path.ts';

/**
 * Where a granted path came from: a file the clerk dropped or chose in the page (the preload tells
 * main its real path, from Electron, before the page has it), or a file of the watched scan folder
 * main itself hands to a draft.
 */
export type GrantSource = 'dropped' | 'watched';

/** Paths remembered per session; the oldest go first (a day at the counter is far below this). */
const MAX_GRANTS = 5_000;

/**
 * The files the page may name: every path field of the contract (common/granted-path.ts) is
 * resolved here by the dispatcher before a handler runs, whatever channel and however deep in the
 * arguments. A path the page merely names — an injected script guessing `C:\Users\…\id.jpg` —
 * resolves to nothing, and the call is refused before anything touches the disk.
 */
export class PathGrants {
  private readonly granted = new Map<string, GrantSource>();

  /** Grants `path`; null (nothing granted) when it is not a path the contract could carry. */
  grant(path: unknown, source: GrantSource): GrantedPath | null {
    const parsed = grantedPathSchema.safeParse(path);
    if (!parsed.success) return null;
    // Re-inserted: the most recent grants are the last to go.
    this.granted.delete(parsed.data);
    this.granted.set(parsed.data, source);
    if (this.granted.size > MAX_GRANTS) this.granted.delete(this.granted.keys().next().value!);
    return parsed.data;
  }

  /** The granted path the page names, or null: never granted (or granted too long ago). */
  resolve(path: string): GrantedPath | null {
    return this.granted.has(path) ? (path as GrantedPath) : null;
  }
}
