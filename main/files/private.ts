import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

/*
 * Personal data at rest on this PC (scans, their thumbnails, the drafts folder, the request log and
 * its journals, the held drafts, the logs, the documents on file) is the clerk's account's only:
 * folders 0700, files 0600, whatever the umask. On Windows these modes mean little: there the
 * protection is the ACL of the user profile (%APPDATA%), which only the user and the system read.
 */

/** rwx for the owner only. */
export const PRIVATE_DIR = 0o700;
/** rw for the owner only. */
export const PRIVATE_FILE = 0o600;

/** Creates `dir` (and missing parents) 0700, and makes `dir` itself 0700 if it was there already. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
}

/**
 * Creates `file` empty and 0600 if missing, and makes it 0600 if it was there already: what SQLite
 * then opens keeps that mode, and gives it to its -wal, -shm and -journal files.
 */
export function privateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE));
  chmodSync(file, PRIVATE_FILE);
}
