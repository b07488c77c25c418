import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cardBack } from '../support/cards.ts';
import { imageToY4m } from '../support/y4m.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const CAMERA_FEED = join(ROOT, 'test-results', 'camera-feed.y4m');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the renderer when out/ is missing or older than its sources, and makes the camera feed. */
export default async function globalSetup(): Promise<void> {
  const built = join(ROOT, 'out', 'renderer', 'index.html');
  const sources = Math.max(newest(join(ROOT, 'renderer')), newest(join(ROOT, 'common')));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  }
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  // A fresh run: the log scan reads only this run's logs (fixtures.ts E2E_LOGS).
  rmSync(join(ROOT, 'test-results', 'e2e-logs'), { recursive: true, force: true });
  // The back of a tessera sanitaria in front of the camera: a photo of it carries the CF barcode.
  writeFileSync(CAMERA_FEED, await imageToY4m(await cardBack({ cf: 'RSSMRA85T10A562S' })));
}
