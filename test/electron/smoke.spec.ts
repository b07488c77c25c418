import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import type { BridgeApi } from '../../common/api.ts';
import { photoJpeg, pngImage, textPdf } from '../support/files.ts';

/*
 * The packaged shell, for real: Electron starts out/main/index.js (`npm run build` first), the
 * window shows the home screen in Prova, one request goes through window.api and the app quits
 * cleanly. Without an Electron binary (no internet at `npm install`) the suite says so and skips.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'out', 'main', 'index.js');
/** Congedo parentale in the Prova catalog (the same hash test/support/simulator.ts uses). */
const CONGEDO = '8a7c8386fff43d28182cfa2ad24a3532';

/** Where the electron package keeps its binary, without require('electron') (that would download it). */
function electronBinary(): { path: string } | { missing: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { missing: 'il pacchetto electron non è installato' };
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      missing:
        'node_modules/electron/path.txt non esiste: il binario di Electron non è mai stato scaricato ' +
        '(serve internet; `npx install-electron` lo scarica, o ELECTRON_OVERRIDE_DIST_PATH indica una copia locale)',
    };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, relative);
  if (!existsSync(binary)) return { missing: `${binary} non esiste: il download di Electron è incompleto` };
  return { path: binary };
}

const binary = electronBinary();
if ('missing' in binary) {
  process.stdout.write(`\n[electron] Suite saltata — nessun binario Electron: ${binary.missing}\n\n`);
}

test.describe('the Electron shell', () => {
  test.skip('missing' in binary, `Nessun binario Electron: ${'missing' in binary ? binary.missing : ''}`);

  let app: ElectronApplication;
  let userData: string;

  test.beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} non esiste: eseguite prima \`npm run build\``);
    userData = mkdtempSync(join(tmpdir(), 'sportello-electron-'));
    const env = { ...process.env } as Record<string, string>;
    delete env.ELECTRON_RENDERER_URL;
    delete env.SPORTELLO_BASE_URL;
    delete env.SPORTELLO_OAUTH_URL;
    delete env.SPORTELLO_UPDATE_URL;
    app = await electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [MAIN, `--user-data-dir=${userData}`],
      env,
    });
  });

  test.afterAll(async () => {
    await app?.close().catch(() => {});
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('opens in Prova, from app://, on the first start’s questions, with no Node in the page', async () => {
    const page = await app.firstWindow();
    await expect(page.getByText('Prova', { exact: true }).first()).toBeVisible();
    // A new PC: the office's data and the retention are asked before anything else.
    await expect(page.getByTestId('first-start')).toBeVisible();
    expect(page.url()).toMatch(/^app:\/\/sportello\//);
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      api: typeof (window as unknown as { api?: unknown }).api,
      popup: window.open('https://www.inps.it/') === null,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', api: 'object', popup: true });
  });

  test('sends one request through window.api', async () => {
    const page = await app.firstWindow();
    // Bytes, as a paste or a photo reaches main: a path the page merely names is never read
    // (only paths the preload granted for files the clerk dropped or chose).
    const files = {
      $5: { name: 'carta-identita.jpg', data: Buffer.from(await photoJpeg()).toString('base64') },
      $6: { name: 'tessera.pdf', data: Buffer.from(await textPdf(2)).toString('base64') },
      $7: { name: 'mandato.png', data: Buffer.from(await pngImage()).toString('base64') },
    };

    const sent = await page.evaluate(
      async ({ hash, files }) => {
        const unwrap = <T>(
          outcome: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
        ) => {
          if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
          return outcome.value;
        };
        const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        // window.api's type lives with the renderer; here it is the bridge the preload exposes.
        const api = (window as unknown as { api: BridgeApi }).api;
        const draft = unwrap(await api.drafts.create(hash));
        unwrap(
          await api.drafts.update(draft.id, {
            fields: {
              $0: 'Mario',
              $1: 'Rossi',
              $2: 'mario.rossi@example.it',
              $3: '333 123 4567',
              $4: 'RSSMRA85T10A562S',
            },
          }),
        );
        for (const [key, file] of Object.entries(files))
          unwrap(await api.attachments.add(draft.id, key, { name: file.name, data: bytes(file.data) }));
        const quote = unwrap(await api.requests.quote(draft.id));
        return unwrap(await api.requests.submit(draft.id, quote.total));
      },
      { hash: CONGEDO, files },
    );
    expect(sent).toMatchObject({ status: 'pending', environment: 'prova', clientCf: 'RSSMRA85T10A562S' });
  });

  test('quits cleanly: services closed before the process ends', async () => {
    const exited = new Promise<void>((done) => app.process().once('exit', () => done()));
    await app.close();
    await exited;
    const logs = join(userData, 'logs');
    const text = readdirSync(logs)
      .map((f) => readFileSync(join(logs, f), 'utf8'))
      .join('');
    expect(text).toContain('"msg":"stopped"');
    expect(text).not.toContain('uncaught exception');
  });
});
