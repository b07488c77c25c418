import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/*
 * `npm run dist`: electron-builder with the update feed defaulting to "off", so a plain build works
 * on any OS; set SPORTELLO_UPDATE_URL=https://… to ship installers that update themselves.
 * Extra arguments pass through (e.g. `npm run dist -- --linux deb`).
 */
process.env.SPORTELLO_UPDATE_URL ??= 'off';
const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
