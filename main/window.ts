import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { BrowserWindow, protocol, session, shell, type Session } from 'electron';
import type { Logger } from './ports.ts';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isExternalLinkAllowed,
  isPermissionAllowed,
  MIME_TYPES,
  resolveAppFile,
  secureWebPreferences,
} from './security/policy.ts';

/** Must run before the app is ready: app:// behaves like https (secure, standard, fetch-able). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer from app://sportello/, never file://, with the CSP on every answer. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/** Permissions: only the camera for scanning. Everything else is refused, and so is every webview. */
export function hardenSession(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(permission, mediaTypes));
  });
  target.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionAllowed(permission, details.mediaType ? [details.mediaType] : []),
  );
}

export interface MainWindowOptions {
  preload: string;
  /** The dev server in development; app://sportello/ otherwise. */
  devServerUrl?: string | undefined;
  devTools: boolean;
  log: Logger;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'Sportello',
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preload, options.devTools),
  });
  const contents = window.webContents;
  const home = options.devServerUrl ?? `${APP_ORIGIN}/`;

  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    else options.log.warn('window.open refused', { url });
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url.startsWith(home)) return;
    event.preventDefault();
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    else options.log.warn('navigation refused', { url });
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(home)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());

  void window.loadURL(options.devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

export const rendererDir = (mainDir: string) => join(mainDir, '..', 'renderer');
export const preloadPath = (mainDir: string) => join(mainDir, '..', 'preload', 'index.cjs');
