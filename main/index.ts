import { join } from 'node:path';
import { app, dialog, ipcMain, powerMonitor, type BrowserWindow } from 'electron';
import { createApp, type App } from './app.ts';
import { desktopNotifier } from './adapters/desktop-notifier.ts';
import { electronDialogs } from './adapters/electron-dialogs.ts';
import { electronPaths } from './adapters/electron-paths.ts';
import { electronPreferences } from './adapters/electron-preferences.ts';
import { netHttp } from './adapters/net-http.ts';
import { SafeStorageCipher } from './adapters/safe-storage.ts';
import { shellOpener } from './adapters/shell-opener.ts';
import { systemClock } from './adapters/system-clock.ts';
import { startUpdater } from './adapters/updater.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { createFileLogger } from './log/logger.ts';
import { errorFields } from './log/redact.ts';
import type { Logger } from './ports.ts';
import { officeAtStart } from './settings/office.ts';
import { builtInProva } from './simulator/prova.ts';
import {
  createMainWindow,
  hardenSession,
  preloadPath,
  registerAppScheme,
  rendererDir,
  serveRenderer,
} from './window.ts';

/** Windows groups the taskbar and the notifications by this id; electron-builder.yml's appId. */
const APP_ID = 'it.sportello.desktop';
/** Shutdown waits this long for the tracker, downloads and the database, then quits anyway. */
const CLOSE_TIMEOUT_MS = 15_000;

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
let window: BrowserWindow | null = null;
let sportello: App | null = null;
/** Prova's built-in simulator, started when Prova is first used; stopped after the services. */
let prova: ReturnType<typeof builtInProva> | null = null;
/** The services' start (resumes, first retention run): closing waits for it, never cuts into it. */
let starting: Promise<void> = Promise.resolve();

// Before 'ready', as Electron requires: app:// must be known as a secure, standard scheme.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // Another Sportello is open on this account: it shows itself (see 'second-instance').
  app.quit();
} else {
  const paths = electronPaths();
  const log = createFileLogger(join(paths.userData, 'logs'), { echo: !app.isPackaged });
  watchForCrashes(log);
  app.setAppUserModelId(APP_ID);

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  app.whenReady().then(
    () => start(log, paths).catch((error: unknown) => fail(log, error)),
    (error: unknown) => fail(log, error),
  );

  app.on('window-all-closed', () => app.quit());
  quitCleanly(log);
}

async function start(log: Logger, paths: ReturnType<typeof electronPaths>): Promise<void> {
  prova = builtInProva({ stateFile: join(paths.userData, 'prova', 'simulatore.json') });
  const preferences = electronPreferences();
  const cipher = new SafeStorageCipher();
  // The office's register when this counter joined one (Impostazioni → Ufficio), else its own file.
  const office = await officeAtStart(preferences, cipher, log);
  try {
    sportello = createApp(
      {
        cipher,
        http: netHttp,
        opener: shellOpener,
        notifier: desktopNotifier,
        clock: systemClock,
        paths,
        preferences,
        dialogs: electronDialogs(() => window),
        log,
      },
      {
        version: app.getVersion(),
        prova: prova.access,
        office,
        baseUrlOverride: app.isPackaged ? undefined : process.env.SPORTELLO_BASE_URL,
        oauthBaseUrlOverride: app.isPackaged ? undefined : process.env.SPORTELLO_OAUTH_URL,
        // SANE devices `scanimage -L` does not list (a network one, SANE's `test` backend).
        scanning: { saneDevices: listOf(process.env.SPORTELLO_SANE_DEVICES) },
        // The document reader's thread, built beside this file (electron.vite.config.ts).
        reading: { script: join(import.meta.dirname, 'reading-worker.js') },
      },
    );
  } catch (error) {
    fail(log, error);
    return;
  }
  const services = sportello;

  hardenSession(devServerUrl);
  serveRenderer(rendererDir(import.meta.dirname), log);
  registerIpc(ipcMain, services, log, { devServerUrl });
  forwardEvents(services.events, () => window?.webContents ?? null);

  window = createMainWindow({
    preload: preloadPath(import.meta.dirname),
    devServerUrl,
    devTools: !app.isPackaged,
    openExternal: (url) => shellOpener.openExternal(url),
    log,
  });
  window.on('closed', () => (window = null));
  window.webContents.on('render-process-gone', (_event, details) =>
    log.error('renderer gone', { reason: details.reason, exitCode: details.exitCode }),
  );

  // Resumes and the tracker wait for the window: the clerk sees the app at once, the network after.
  let started = false;
  window.once('ready-to-show', () => {
    window?.show();
    starting = services.start().then(
      () => {
        started = true;
        log.info('started', { version: app.getVersion() });
      },
      (error: unknown) => log.error('start failed', errorFields(error)),
    );
    void startUpdater({
      isPackaged: app.isPackaged,
      version: app.getVersion(),
      log,
      // Written into the bundle at build time by electron.vite.config.ts (from
      // SPORTELLO_UPDATE_PUBLIC_KEY or build/update-public-key.pem); '' when the build pinned none.
      pinnedKey: process.env.SPORTELLO_PINNED_UPDATE_KEY ?? '',
    });
  });

  // After sleep every pending request may have moved on: look at all of them now.
  powerMonitor.on('resume', () => {
    if (!started) return;
    void services.dispatch('requests.refreshAll', []).then((outcome) => {
      if (!outcome.ok) log.warn('refresh after resume failed', { code: outcome.error.code });
    });
  });
}

/** Closes the services (tracker stopped, background work drained, database closed) before quitting. */
function quitCleanly(log: Logger): void {
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !sportello) return;
    closing = true;
    event.preventDefault();
    const services = sportello;
    const timeout = new Promise<void>((resolve) =>
      setTimeout(() => {
        log.warn('shutdown timed out', { afterMs: CLOSE_TIMEOUT_MS });
        resolve();
      }, CLOSE_TIMEOUT_MS).unref(),
    );
    services.interrupt();
    void Promise.race([starting.then(() => services.close()).then(() => prova?.stop()), timeout])
      .catch((error: unknown) => log.error('shutdown failed', errorFields(error)))
      .finally(() => {
        sportello = null;
        log.info('stopped');
        app.quit();
      });
  });
}

/** Crashes reach the log (redacted by the logger: no keys, no documents, CF masked). */
function watchForCrashes(log: Logger): void {
  process.on('uncaughtException', (error) => log.error('uncaught exception', errorFields(error)));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', errorFields(reason)));
  app.on('child-process-gone', (_event, details) =>
    log.error('child process gone', {
      type: details.type,
      reason: details.reason,
      exitCode: details.exitCode,
    }),
  );
}

function fail(log: Logger, error: unknown): void {
  log.error('start-up failed', errorFields(error));
  dialog.showErrorBox(
    'Sportello non si avvia',
    `Si è verificato un errore all'avvio. Il dettaglio è nel registro:\n${join(app.getPath('userData'), 'logs')}`,
  );
  app.exit(1);
}

/** A comma-separated environment variable as a list. */
function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
