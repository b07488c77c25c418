import { isAbsolute, join, normalize, relative, sep } from 'node:path';

/*
 * The window's security rules as plain data and pure functions, so tests can read and prove them
 * without an Electron binary. main/window.ts and main/ipc.ts apply them.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'sportello';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** No remote origin anywhere: main makes every HTTP call. Inline styles are Mantine's CSS variables. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob: mediastream:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Electron's security checklist, applied to every window. */
export function secureWebPreferences(preload: string, devTools: boolean) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  } as const;
}

/** Only the scanning camera (and its microphone-less stream) may be asked for. */
export function isPermissionAllowed(permission: string, mediaTypes: readonly string[] = []): boolean {
  if (permission !== 'media') return false;
  return mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
}

/** Sites a clerk may be sent to from the app (links in service instructions, help). */
export const EXTERNAL_HOSTS = [
  'www.inps.it',
  'servizi2.inps.it',
  'www.agenziaentrate.gov.it',
  'www.lavoro.gov.it',
  'openapi.com',
  'console.openapi.com',
  'openapi.it',
  'www.openapi.it',
];

export function isExternalLinkAllowed(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    !parsed.username &&
    !parsed.password &&
    EXTERNAL_HOSTS.includes(parsed.hostname)
  );
}

/** Maps app://sportello/<path> to a file inside the renderer folder; null for anything outside it. */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const wanted = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = normalize(join(rendererDir, wanted));
  const rel = relative(rendererDir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** IPC is answered only for our own top-level page: app:// in production, the dev server in development. */
export function isTrustedSender(
  frameUrl: string | undefined,
  isTopFrame: boolean,
  devServerUrl?: string,
): boolean {
  if (!isTopFrame || !frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (devServerUrl) {
    try {
      return url.origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}
