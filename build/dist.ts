import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/*
 * `npm run dist`: electron-builder with the update feed defaulting to "off", so a plain build works
 * on any OS; set SPORTELLO_UPDATE_URL=https://… to ship installers that update themselves.
 * Extra arguments pass through (e.g. `npm run dist -- --linux deb`).
 */
process.env.SPORTELLO_UPDATE_URL ??= 'off';
const keyFile = new URL('./update-public-key.pem', import.meta.url);
if (
  process.env.SPORTELLO_UPDATE_URL !== 'off' &&
  !process.env.SPORTELLO_UPDATE_PUBLIC_KEY?.trim() &&
  !existsSync(keyFile)
) {
  // The app refuses every update it cannot verify: without a pinned key these never update.
  process.stderr.write(
    'Attenzione: feed impostato ma nessuna chiave pubblica di firma (SPORTELLO_UPDATE_PUBLIC_KEY o ' +
      'build/update-public-key.pem): gli installatori non si aggiorneranno. Vedete README, "Rilascio".\n',
  );
}
const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
