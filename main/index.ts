import { join } from 'node:path';
import { app, ipcMain, type BrowserWindow } from 'electron';
import { createApp, type App } from './app.ts';
import { desktopNotifier } from './adapters/desktop-notifier.ts';
import { electronPaths } from './adapters/electron-paths.ts';
import { electronPreferences } from './adapters/electron-preferences.ts';
import { netHttp } from './adapters/net-http.ts';
import { SafeStorageCipher } from './adapters/safe-storage.ts';
import { shellOpener } from './adapters/shell-opener.ts';
import { systemClock } from './adapters/system-clock.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { createFileLogger } from './log/logger.ts';
import {
  createMainWindow,
  hardenSession,
  preloadPath,
  registerAppScheme,
  rendererDir,
  serveRenderer,
} from './window.ts';

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
let window: BrowserWindow | null = null;
let sportello: App | null = null;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.whenReady().then(start, (error: unknown) => {
    process.stderr.write(`Avvio non riuscito: ${String(error)}\n`);
    app.exit(1);
  });
}

function start(): void {
  const paths = electronPaths();
  const log = createFileLogger(join(paths.userData, 'logs'), { echo: !app.isPackaged });
  process.on('uncaughtException', (error) =>
    log.error('uncaught exception', { error: error.stack ?? String(error) }),
  );
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: String(reason) }));

  sportello = createApp(
    {
      cipher: new SafeStorageCipher(),
      http: netHttp,
      opener: shellOpener,
      notifier: desktopNotifier,
      clock: systemClock,
      paths,
      preferences: electronPreferences(),
      log,
    },
    {
      version: app.getVersion(),
      baseUrlOverride: app.isPackaged ? undefined : process.env.SPORTELLO_BASE_URL,
    },
  );

  hardenSession();
  serveRenderer(rendererDir(import.meta.dirname));
  registerIpc(ipcMain, sportello.dispatch, log, { devServerUrl });
  forwardEvents(sportello.events, () => window?.webContents ?? null);

  window = createMainWindow({
    preload: preloadPath(import.meta.dirname),
    devServerUrl,
    devTools: !app.isPackaged,
    log,
  });
  window.on('closed', () => (window = null));
  log.info('started', { version: app.getVersion() });
}

app.on('window-all-closed', () => app.quit());

let closing = false;
app.on('before-quit', (event) => {
  if (closing || !sportello) return;
  closing = true;
  event.preventDefault();
  void sportello.close().finally(() => app.quit());
});
