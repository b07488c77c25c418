import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir } from '../files/private.ts';
import type { Logger } from '../ports.ts';

/*
 * Where SANE and WIA write a scan's page images while it runs (sane.ts, wia.ts: a folder per scan,
 * removed when it ends): a folder of this app in userData, 0700 — the system's temp folder may be
 * shared by every user of the PC (/tmp). A crash mid-scan leaves pages there — a client's ID — so
 * the app empties it when it starts, before any scan can run.
 */

/** The folder of page images in userData. */
export const PAGE_FILES_FOLDER = 'scansioni-in-corso';

/** Folders of page images that versions before this one made in the system's temp folder. */
const OLDER = /^sportello-(scan|wia)-/;

/**
 * Empties (or makes) the folder of page images in `userData`, and removes what older versions left
 * in `temp`; answers the folder for the scanners. What cannot be removed is logged.
 */
export function preparePageFiles(paths: { userData: string; temp: string }, log: Logger): string {
  const { temp } = paths;
  const folder = join(paths.userData, PAGE_FILES_FOLDER);
  privateDir(folder);
  const leftovers = [
    ...readdirSync(folder).map((name) => join(folder, name)),
    ...(existsSync(temp) ? readdirSync(temp) : [])
      .filter((name) => OLDER.test(name))
      .map((name) => join(temp, name)),
  ];
  let removed = 0;
  for (const path of leftovers) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch (error) {
      log.warn('scanner page files: a leftover could not be removed', {
        code: (error as NodeJS.ErrnoException).code ?? 'unknown',
      });
    }
  }
  if (removed) log.info('scanner page files left by an interrupted scan removed', { count: removed });
  return folder;
}
