import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/*
 * `npm start`: builds and opens the app with electron-vite, once the Electron runtime is known to be
 * there. Without it (it is downloaded apart from npm, on first install, and needs internet) this
 * says what is missing and how to get it, instead of electron-vite's "Error: Electron uninstall".
 * `--check` only checks: exit 0 with the runtime's path, 1 with the explanation.
 */

const require = createRequire(import.meta.url);

/** Where the electron package keeps its runtime; never `require('electron')`, which downloads. */
function electronRuntime(): { ok: true; path: string } | { ok: false; problem: string } {
  let pkg: string;
  try {
    pkg = dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, problem: 'il pacchetto npm "electron" non è installato (eseguite npm install)' };
  }
  const pathFile = join(pkg, 'path.txt');
  const platformDefault =
    process.platform === 'win32'
      ? 'electron.exe'
      : process.platform === 'darwin'
        ? 'Electron.app/Contents/MacOS/Electron'
        : 'electron';
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformDefault;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && !existsSync(pathFile)) {
    return {
      ok: false,
      problem: 'il runtime di Electron non è mai stato scaricato (manca node_modules/electron/path.txt)',
    };
  }
  const binary = join(override ?? join(pkg, 'dist'), relative);
  if (!existsSync(binary)) {
    return {
      ok: false,
      problem: override
        ? `ELECTRON_OVERRIDE_DIST_PATH indica ${override}, ma lì non c'è ${relative}`
        : `il download del runtime di Electron è incompleto (manca ${binary})`,
    };
  }
  return { ok: true, path: binary };
}

const HOW_TO_FIX = [
  'Come rimediare:',
  '  • con internet: npx install-electron   (scarica il runtime in node_modules/electron;',
  '    dietro un proxy impostate HTTPS_PROXY, con un mirror interno ELECTRON_MIRROR=<indirizzo>)',
  '  • con una copia già scaricata: ELECTRON_OVERRIDE_DIST_PATH=<cartella con il binario> npm start',
  '  • senza Electron, l’app nel browser con i servizi veri: npm run harness',
].join('\n');

const runtime = electronRuntime();
if (!runtime.ok) {
  process.stderr.write(
    `\nSportello non si avvia: manca il runtime di Electron.\nMotivo: ${runtime.problem}.\n\n${HOW_TO_FIX}\n\n`,
  );
  process.exit(1);
}
if (process.argv.includes('--check')) {
  process.stdout.write(`${runtime.path}\n`);
  process.exit(0);
}
const cli = require.resolve('electron-vite/bin/electron-vite.js');
const result = spawnSync(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
