import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path';

/*
 * The window's security rules as plain data and pure functions, so tests can read and prove them
 * without an Electron binary. main/window.ts, main/ipc.ts and the shell opener apply them.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'sportello';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The first page the window loads in a build. */
export const APP_HOME = `${APP_ORIGIN}/index.html`;

/** How app:// behaves: like https (secure context, fetch, code cache); nothing more. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

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
    // A file dropped outside the drop zone must never replace the app.
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  } as const;
}

/** The main window's options (minus Electron-only types), webPreferences from the checklist above. */
export function mainWindowOptions(preload: string, devTools: boolean) {
  return {
    width: 1320,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    // Shown on 'ready-to-show': no white flash, and the tracker starts only once the clerk sees the app.
    show: false,
    title: 'Sportello',
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preload, devTools),
  } as const;
}

/** True for our own pages: app://sportello in a build, the electron-vite dev server in development. */
export function isAppUrl(url: string | undefined, devServerUrl?: string): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (!devServerUrl) return false;
  try {
    return parsed.origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}

/**
 * Only the scanning camera may be asked for, and only by our own page: no microphone, no
 * geolocation, no notifications API (main notifies), no clipboard reads, nothing else.
 */
export function isPermissionAllowed(
  permission: string,
  mediaTypes: readonly string[],
  requestingUrl: string | undefined,
  devServerUrl?: string,
): boolean {
  if (permission !== 'media' || !isAppUrl(requestingUrl, devServerUrl)) return false;
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

/** https only, no credentials in the URL, and the host exactly on the list (no suffix tricks). */
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
    parsed.port === '' &&
    EXTERNAL_HOSTS.includes(parsed.hostname)
  );
}

export type NavigationDecision = 'open-externally' | 'refuse';

/**
 * What to do when the page tries to leave (a link, `location =`, `window.open`): the window never
 * navigates; an allowlisted https link opens in the system browser, anything else is refused.
 */
export function navigationDecision(url: string): NavigationDecision {
  return isExternalLinkAllowed(url) ? 'open-externally' : 'refuse';
}

/**
 * Maps app://sportello/<path> to a file inside the renderer folder; null for anything outside it.
 * Paths without an extension are the router's and get index.html.
 */
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
  // Backslashes are separators on Windows only: refuse them everywhere so every OS answers alike.
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const file = normalize(join(rendererDir, pathname));
  const rel = relative(rendererDir, file);
  if (isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return extname(rel) ? file : join(rendererDir, 'index.html');
}

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  // pdf.js character maps and standard fonts.
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

/** The headers of every app:// answer: its type, the CSP, and no MIME sniffing. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/**
 * Downloads: only files our own page made itself (a CSV export, the mandato to sign), i.e. `blob:`
 * URLs of our origin, saved where the clerk chooses in the system dialog. Nothing from the network.
 */
export function isDownloadAllowed(url: string, devServerUrl?: string): boolean {
  if (!url.startsWith('blob:')) return false;
  return isAppUrl(url.slice('blob:'.length), devServerUrl);
}

/** IPC is answered only for our own top-level page: app:// in production, the dev server in development. */
export function isTrustedSender(
  frameUrl: string | undefined,
  isTopFrame: boolean,
  devServerUrl?: string,
): boolean {
  return isTopFrame && isAppUrl(frameUrl, devServerUrl);
}
