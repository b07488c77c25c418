import { z } from 'zod';

/**
 * The one type of a file path the page may name: a file the clerk dropped or chose, whose path
 * Electron told the preload and the preload told main before the page had it, or one main itself
 * handed over (a file of the watched scan folder). Main's dispatcher resolves every value of this
 * type, at any depth of a call's arguments, against its grants before any handler runs
 * (main/security/grants.ts); a path that was never granted is refused, whether it exists or not.
 *
 * Every path field of the contract is this very schema (a test walks the contract and fails on a
 * path field of another type): derive nothing from it (`.max()` makes another schema), wrap it
 * (`.optional()`, arrays, objects) as needed.
 */
export const grantedPathSchema = z.string().min(1).max(4096).brand<'GrantedPath'>();

/** A path main resolved against its grants; only main/security/grants.ts makes one. */
export type GrantedPath = z.output<typeof grantedPathSchema>;
