import type { Migration } from '../migrate.ts';

/**
 * Versions 11 to 16 belong to migrations written on other branches at the same time as 17 (the
 * pratica numbers): until they are merged in, these empty ones keep the versions 1..n without a
 * gap. TO REMOVE AT MERGE, once the real 11–16 are in the list: a file migrated with these stands
 * at 17 and would never run the real ones (development files only: nothing was released with them).
 */
export const reservedMigrations: readonly Migration[] = [11, 12, 13, 14, 15, 16].map((version) => ({
  version,
  name: `reserved ${version}`,
  up: '',
}));
