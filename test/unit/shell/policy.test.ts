import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_HOME,
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  appResponseHeaders,
  isAppUrl,
  isDownloadAllowed,
  isExternalLinkAllowed,
  isPermissionAllowed,
  isTrustedSender,
  mainWindowOptions,
  navigationDecision,
  resolveAppFile,
} from '../../../main/security/policy.ts';

const DEV = 'http://localhost:5173';

describe('the main window', () => {
  const options = mainWindowOptions('/app/out/preload/index.cjs', false);
  const prefs = options.webPreferences;

  it("applies Electron's security checklist", () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      preload: '/app/out/preload/index.cjs',
    });
  });

  it('never lets a dropped file replace the app', () => {
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('has DevTools only when asked for (development)', () => {
    expect(prefs.devTools).toBe(false);
    expect(mainWindowOptions('p', true).webPreferences.devTools).toBe(true);
  });

  it('stays hidden until its first paint (the tracker starts once it shows)', () => {
    expect(options.show).toBe(false);
  });

  it('loads the renderer from app://, never from file://', () => {
    expect(APP_HOME).toBe('app://sportello/index.html');
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
  });
});

describe('the content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );

  it("defaults to 'self'", () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('names no remote origin and no scheme a page could call out with', () => {
    for (const [name, values] of directives) {
      for (const value of values) {
        expect(value, `${name} ${value}`).not.toMatch(/^(https?:|wss?:|\*|http|ftp)/);
        expect(value, `${name} ${value}`).not.toMatch(/\.[a-z]{2,}$/i);
      }
    }
  });

  it('allows neither eval nor inline scripts, and no plugins, frames, forms or <base>', () => {
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    for (const name of ['object-src', 'base-uri', 'form-action', 'frame-src', 'frame-ancestors'])
      expect(directives.get(name), name).toEqual(["'none'"]);
  });

  it('is sent with every app:// answer, with its type and no sniffing', () => {
    expect(appResponseHeaders('/r/assets/index-abc.js')).toMatchObject({
      'Content-Type': 'text/javascript; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
    expect(appResponseHeaders('/r/x.unknown')['Content-Type']).toBe('application/octet-stream');
  });
});

describe('the app:// protocol handler', () => {
  const root = resolve('/opt/sportello/out/renderer');

  it('serves files inside the renderer folder', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/index.html`)).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/index-1a2b.js?v=1#x`)).toBe(
      join(root, 'assets', 'index-1a2b.js'),
    );
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/a%20b.css`)).toBe(join(root, 'assets', 'a b.css'));
  });

  it("answers the router's paths and the bare origin with index.html", () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/`)).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, APP_ORIGIN)).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/pratiche/123`)).toBe(join(root, 'index.html'));
  });

  it.each([
    `${APP_ORIGIN}/..%2F..%2Fmain%2Findex.js`,
    `${APP_ORIGIN}/assets/..%2F..%2F..%2Fpackage.json`,
    `${APP_ORIGIN}/%2e%2e%2f%2e%2e%2fetc%2fpasswd.txt`,
    `${APP_ORIGIN}/..%5C..%5Cwindows%5Cwin.ini`,
    `${APP_ORIGIN}/assets%5Cindex.js`,
    `${APP_ORIGIN}/%2Fetc%2Fpasswd`,
    `${APP_ORIGIN}/index.html%00.png`,
    `${APP_ORIGIN}/%E0%A4%A`,
  ])('refuses a path that leaves the folder or hides a trick: %s', (url) => {
    const file = resolveAppFile(root, url);
    if (file !== null) expect(file.startsWith(root + '/') || file.startsWith(root + '\\')).toBe(true);
    expect(file === null || file === join(root, 'index.html')).toBe(true);
  });

  it('refuses traversal outright when the target has an extension', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/..%2F..%2Fmain%2Findex.js`)).toBeNull();
    expect(resolveAppFile(root, `${APP_ORIGIN}/..%5C..%5Cwindows%5Cwin.ini`)).toBeNull();
    expect(resolveAppFile(root, `${APP_ORIGIN}/index.html%00.png`)).toBeNull();
  });

  it('refuses other hosts and schemes', () => {
    expect(resolveAppFile(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAppFile(root, 'file:///opt/sportello/out/renderer/index.html')).toBeNull();
    expect(resolveAppFile(root, 'https://sportello/index.html')).toBeNull();
    expect(resolveAppFile(root, 'not a url')).toBeNull();
  });
});

describe('permissions', () => {
  const page = `${APP_ORIGIN}/index.html`;

  it('grant the camera to our page, for scanning', () => {
    expect(isPermissionAllowed('media', ['video'], page)).toBe(true);
    expect(isPermissionAllowed('media', ['video'], `${DEV}/`, DEV)).toBe(true);
  });

  it('refuse the microphone, an unspecified media request, and any other origin', () => {
    expect(isPermissionAllowed('media', ['audio'], page)).toBe(false);
    expect(isPermissionAllowed('media', ['video', 'audio'], page)).toBe(false);
    expect(isPermissionAllowed('media', [], page)).toBe(false);
    expect(isPermissionAllowed('media', ['video'], 'https://evil.example/')).toBe(false);
    expect(isPermissionAllowed('media', ['video'], `${DEV}/`)).toBe(false);
    expect(isPermissionAllowed('media', ['video'], undefined)).toBe(false);
  });

  it.each([
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'openExternal',
    'pointerLock',
    'midi',
    'midiSysex',
    'hid',
    'serial',
    'usb',
    'fileSystem',
    'idle-detection',
    'storage-access',
    'unknown',
  ])('refuse %s', (permission) => {
    expect(isPermissionAllowed(permission, ['video'], page)).toBe(false);
  });
});

describe('navigation and links', () => {
  it('opens allowlisted https links in the system browser', () => {
    expect(navigationDecision('https://www.inps.it/it/it/dettaglio-scheda.html')).toBe('open-externally');
    expect(navigationDecision('https://www.agenziaentrate.gov.it/portale/')).toBe('open-externally');
  });

  it.each([
    'http://www.inps.it/',
    'https://www.inps.it.evil.example/',
    'https://evil.example/?u=https://www.inps.it/',
    'https://user:pw@www.inps.it/',
    'https://www.inps.it:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://sportello/index.html',
    'smb://server/share',
    'ms-settings:privacy',
    'not a url',
  ])('refuses everything else: %s', (url) => {
    expect(isExternalLinkAllowed(url)).toBe(false);
    expect(navigationDecision(url)).toBe('refuse');
  });
});

describe('downloads', () => {
  it('saves only files the page made itself (blob: of our origin)', () => {
    expect(isDownloadAllowed(`blob:${APP_ORIGIN}/5b7c1e8e-8f0e-4a53-9d55-2f1c4b9a7e11`)).toBe(true);
    expect(isDownloadAllowed(`blob:${DEV}/5b7c1e8e`, DEV)).toBe(true);
    expect(isDownloadAllowed(`blob:${DEV}/5b7c1e8e`)).toBe(false);
    expect(isDownloadAllowed('blob:https://evil.example/5b7c1e8e')).toBe(false);
    expect(isDownloadAllowed('https://visengine2.altravia.com/documento/1')).toBe(false);
    expect(isDownloadAllowed(`${APP_ORIGIN}/index.html`)).toBe(false);
    expect(isDownloadAllowed('data:application/pdf;base64,JVBERi0=')).toBe(false);
    expect(isDownloadAllowed('file:///etc/passwd')).toBe(false);
  });
});

describe('who may call main', () => {
  it('is our own top-level page only', () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, true)).toBe(true);
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, false)).toBe(false);
    expect(isTrustedSender('file:///opt/sportello/out/renderer/index.html', true)).toBe(false);
    expect(isTrustedSender('app://other/index.html', true)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });

  it('accepts the dev server only when one is configured, by exact origin', () => {
    expect(isTrustedSender(`${DEV}/`, true)).toBe(false);
    expect(isTrustedSender(`${DEV}/`, true, DEV)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', true, DEV)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', DEV)).toBe(false);
  });
});
