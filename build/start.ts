import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/*
 * `npm start`: builds and opens the app with electron-vite, once the Electron runtime is there.
 * The runtime is not part of npm install: it is downloaded once, with internet, from GitHub. When it
 * is missing this tries that download itself and, if it fails (offline it fails with a bare
 * "TypeError: fetch failed"), says what failed and the two ways out, instead of electron-vite's
 * "Error: Electron uninstall". `--check` only checks: exit 0 with the runtime's path, 1 with the
 * explanation, no download.
 */

const require = createRequire(import.meta.url);

type Runtime = { ok: true; path: string } | { ok: false; problem: string; downloadable: boolean };

function electronPackage(): { dir: string; version: string } | undefined {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    return { dir, version };
  } catch {
    return undefined;
  }
}

/** Where the electron package keeps its runtime; never `require('electron')`, which downloads. */
function electronRuntime(pkg: string): Runtime {
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
      downloadable: true,
      problem: 'il runtime di Electron non è mai stato scaricato (manca node_modules/electron/path.txt)',
    };
  }
  const binary = join(override ?? join(pkg, 'dist'), relative);
  if (!existsSync(binary)) {
    return override
      ? {
          ok: false,
          downloadable: false,
          problem: `ELECTRON_OVERRIDE_DIST_PATH indica ${override}, ma lì non c'è ${relative}`,
        }
      : {
          ok: false,
          downloadable: true,
          problem: `il download del runtime di Electron è incompleto (manca ${binary})`,
        };
  }
  return { ok: true, path: binary };
}

/**
 * Runs the electron package's own installer (the one `npx install-electron` runs) and, when it
 * fails, turns its stack trace into what the clerk's technician can act on.
 */
function download(pkg: string): { ok: true } | { ok: false; problem: string; detail: string } {
  process.stderr.write('Scarico il runtime di Electron da GitHub (una volta sola)…\n');
  const result = spawnSync(process.execPath, [join(pkg, 'install.js')], { encoding: 'utf8' });
  if (result.status === 0) return { ok: true };
  const output = `${result.stderr ?? ''}${result.stdout ?? ''}`;
  const detail =
    output
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('at ')) ??
    (result.error ? String(result.error) : `uscito con codice ${String(result.status)}`);
  const problem = /fetch failed|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket/i.test(output)
    ? 'il download da GitHub non è riuscito: la rete non risponde (niente internet, oppure GitHub bloccato da firewall o proxy)'
    : /HTTPError|Response code|checksum|sha256/i.test(output)
      ? 'il download da GitHub non è riuscito: il file ricevuto non è quello atteso'
      : 'il download da GitHub non è riuscito';
  return { ok: false, problem, detail };
}

function explain(version: string | undefined, problem: string, detail?: string): string {
  const v = version ?? '<la versione in package.json>';
  const zip = `electron-v${v}-${process.platform}-${process.arch}.zip`;
  return [
    '',
    `Sportello non si avvia: manca il runtime di Electron ${v}.`,
    'Il runtime non arriva con npm install: va scaricato una volta sola, con internet, da GitHub',
    `(https://github.com/electron/electron/releases/tag/v${v}); poi resta in node_modules/electron.`,
    `Cosa non è andato: ${problem}.`,
    ...(detail ? [`Dettaglio tecnico: ${detail}`] : []),
    '',
    'Come rimediare:',
    '  • con internet: npx install-electron',
    '    (dietro un proxy impostate HTTPS_PROXY, con un mirror interno ELECTRON_MIRROR=<indirizzo>)',
    `  • senza internet: portate da un PC con internet ${zip}`,
    `    (Electron ${v}, la stessa versione), scompattatelo in una cartella e avviate con`,
    '    ELECTRON_OVERRIDE_DIST_PATH=<quella cartella> npm start',
    'Nel frattempo, senza Electron, l’app nel browser con i servizi veri: npm run harness',
    '',
    '',
  ].join('\n');
}

const pkg = electronPackage();
if (!pkg) {
  process.stderr.write(
    explain(undefined, 'il pacchetto npm "electron" non è installato (eseguite npm install)'),
  );
  process.exit(1);
}
const check = process.argv.includes('--check');
let runtime = electronRuntime(pkg.dir);
if (!runtime.ok && runtime.downloadable && !check) {
  const fetched = download(pkg.dir);
  if (!fetched.ok) {
    process.stderr.write(explain(pkg.version, fetched.problem, fetched.detail));
    process.exit(1);
  }
  runtime = electronRuntime(pkg.dir);
}
if (!runtime.ok) {
  process.stderr.write(explain(pkg.version, runtime.problem));
  process.exit(1);
}
if (check) {
  process.stdout.write(`${runtime.path}\n`);
  process.exit(0);
}
const cli = require.resolve('electron-vite/bin/electron-vite.js');
const result = spawnSync(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
