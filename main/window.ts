import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserWindow, protocol, session, type Session } from 'electron';
import type { Logger } from './ports.ts';
import {
  APP_HOME,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appResponseHeaders,
  isAppUrl,
  isPermissionAllowed,
  isDownloadAllowed,
  mainWindowOptions,
  navigationDecision,
  resolveAppFile,
} from './security/policy.ts';

/** Must run before the app is ready: app:// behaves like https (secure, standard, fetch-able). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
}

/** Serves the built renderer from app://sportello/, never file://, with the CSP on every answer. */
export function serveRenderer(rendererDir: string, log: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) {
      log.warn('app:// request refused', { url: request.url });
      return new Response('Non trovato', { status: 404 });
    }
    try {
      return new Response(await readFile(file), { headers: appResponseHeaders(file) });
    } catch {
      return new Response('Non trovato', { status: 404 });
    }
  });
}

/** Permissions: only the camera for scanning, only for our page. Everything else is refused. */
export function hardenSession(
  devServerUrl: string | undefined,
  target: Session = session.defaultSession,
): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(permission, mediaTypes, details.requestingUrl, devServerUrl));
  });
  target.setPermissionCheckHandler((_contents, permission, origin, details) =>
    isPermissionAllowed(
      permission,
      details.mediaType ? [details.mediaType] : [],
      details.requestingUrl ?? origin,
      devServerUrl,
    ),
  );
  // Main fetches every document itself: the window may only save what the page made (CSV, mandato).
  target.on('will-download', (event, item) => {
    if (!isDownloadAllowed(item.getURL(), devServerUrl)) event.preventDefault();
  });
}

export interface MainWindowOptions {
  preload: string;
  /** The dev server in development; app://sportello/ otherwise. */
  devServerUrl?: string | undefined;
  devTools: boolean;
  /** Opens an allowlisted https link in the system browser. */
  openExternal(url: string): Promise<void>;
  log: Logger;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options.preload, options.devTools));
  const contents = window.webContents;
  const { log } = options;

  const leave = (url: string, how: string) => {
    if (navigationDecision(url) === 'open-externally') {
      options
        .openExternal(url)
        .catch((error: unknown) => log.warn('external link failed', { url, error: String(error) }));
    } else {
      log.warn(`${how} refused`, { url });
    }
  };
  contents.setWindowOpenHandler(({ url }) => {
    leave(url, 'window.open');
    return { action: 'deny' };
  });
  // The app is one page: it never navigates, it only routes. Reloads do not pass through here.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    leave(url, 'navigation');
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, options.devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview refused');
  });
  if (!options.devTools) contents.on('devtools-opened', () => contents.closeDevTools());

  void window
    .loadURL(options.devServerUrl ?? APP_HOME)
    .catch((error: unknown) => log.error('renderer load failed', { error: String(error) }));
  return window;
}

export const rendererDir = (mainDir: string) => join(mainDir, '..', 'renderer');
export const preloadPath = (mainDir: string) => join(mainDir, '..', 'preload', 'index.cjs');
