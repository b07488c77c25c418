import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_HOME, CONTENT_SECURITY_POLICY } from '../../../main/security/policy.ts';
import type { BrowserWindowDouble } from '../../support/electron/double.ts';
import { bootMain, until, type Shell } from '../../support/electron/shell.ts';

/*
 * main/window.ts as the running app applies it: the app:// handler answering real Requests, the
 * window's navigation and pop-up rules, the session's permissions and downloads.
 */

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

async function started(
  prepare?: Parameters<typeof bootMain>[0],
): Promise<{ shell: Shell; window: BrowserWindowDouble }> {
  const shell = await bootMain(prepare);
  shell.electron.emitReady();
  await until(() => shell.world.windows.length === 1, 'the first window');
  return { shell, window: shell.world.windows[0]! };
}

async function quit(shell: Shell): Promise<void> {
  shell.electron.app.quit();
  await until(() => shell.world.quitting === 'quit', 'the app to quit');
  shell.dispose();
}

function warnings(shell: Shell): string[] {
  const dir = join(shell.userData, 'logs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string })
    .filter((l) => l.level === 'warn')
    .map((l) => l.msg);
}

describe('in a development run', () => {
  let shell: Shell;
  let window: BrowserWindowDouble;
  const serve = (url: string) => shell.world.protocolHandlers.get('app')!(new Request(url));

  beforeAll(async () => ({ shell, window } = await started()));
  afterAll(() => quit(shell));

  describe('app://', () => {
    it('serves the renderer with the CSP, its type and no sniffing', async () => {
      const response = await serve('app://sportello/index.html');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(readFileSync(join(ROOT, 'renderer', 'index.html'), 'utf8'));
    });

    it('answers the router’s paths with index.html', async () => {
      const response = await serve('app://sportello/pratiche/123');
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
    });

    it.each([
      ['an encoded ../', 'app://sportello/..%2fpackage.json'],
      ['an encoded backslash', 'app://sportello/..%5cpackage.json'],
      ['a doubly encoded path', 'app://sportello/%252e%252e%252fpackage.json'],
      ['a NUL byte', 'app://sportello/index.html%00.png'],
      ['another host', 'app://evil/index.html'],
    ])('refuses %s with a 404, reading nothing outside the renderer', async (_what, url) => {
      const response = await serve(url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('"name": "sportello"');
      expect(response.headers.get('content-type')).not.toBe('application/json');
    });

    it('logs what it refused', () => {
      expect(warnings(shell)).toContain('app:// request refused');
    });
  });

  it('opens allowlisted links in the system browser and denies every pop-up', () => {
    const open = window.webContents.windowOpenHandler!;
    expect(open({ url: 'https://www.inps.it/prestazioni' })).toEqual({ action: 'deny' });
    expect(open({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://www.inps.it/' })).toEqual({ action: 'deny' });
    expect(shell.world.shell.external).toEqual(['https://www.inps.it/prestazioni']);
  });

  it('never navigates: not even to its own origin; allowlisted links open outside', () => {
    const contents = window.webContents;
    expect(contents.attempt('will-navigate', 'app://sportello/index.html')).toBe(true);
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'https://www.agenziaentrate.gov.it/')).toBe(true);
    expect(shell.world.shell.external).toContain('https://www.agenziaentrate.gov.it/');
    expect(shell.world.shell.external).not.toContain('https://evil.example/');
  });

  it('follows redirects only within the app, and attaches no webview', () => {
    const contents = window.webContents;
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-redirect', 'app://sportello/index.html')).toBe(false);
    expect(contents.attempt('will-attach-webview', {}, {})).toBe(true);
  });

  it('grants the camera to its own page only, and nothing else to anyone', () => {
    const request = shell.world.session.permissionRequest!;
    const ask = (permission: string, mediaTypes: string[], requestingUrl: string) => {
      let granted: boolean | null = null;
      request(null, permission, (g) => (granted = g), { mediaTypes, requestingUrl });
      return granted;
    };
    expect(ask('media', ['video'], 'app://sportello/index.html')).toBe(true);
    expect(ask('media', ['audio'], 'app://sportello/index.html')).toBe(false);
    expect(ask('media', ['video'], 'https://evil.example/')).toBe(false);
    expect(ask('geolocation', [], 'app://sportello/index.html')).toBe(false);
    expect(ask('notifications', [], 'app://sportello/index.html')).toBe(false);
    const check = shell.world.session.permissionCheck!;
    expect(
      check(null, 'media', 'app://sportello', { mediaType: 'video', requestingUrl: 'app://sportello/' }),
    ).toBe(true);
    expect(check(null, 'clipboard-read', 'app://sportello', { requestingUrl: 'app://sportello/' })).toBe(
      false,
    );
  });

  it('lets the page save only files it made itself', () => {
    const download = (url: string) => {
      let prevented = false;
      shell.world.session.emit(
        'will-download',
        { preventDefault: () => (prevented = true) },
        { getURL: () => url },
      );
      return prevented;
    };
    expect(download('blob:app://sportello/0b0e6a52-6d4b-4a52-9a0f-64f1d54d7c3e')).toBe(false);
    expect(download('https://evil.example/virus.exe')).toBe(true);
    expect(download('blob:https://evil.example/0b0e6a52')).toBe(true);
  });

  it('keeps DevTools in development', () => {
    expect((window.options.webPreferences as { devTools: boolean }).devTools).toBe(true);
    window.webContents.emit('devtools-opened');
    expect(window.webContents.devToolsClosed).toBe(0);
  });
});

describe('in a packaged build', () => {
  let shell: Shell;
  let window: BrowserWindowDouble;

  beforeAll(
    async () =>
      ({ shell, window } = await started((world) => {
        world.isPackaged = true;
        // Set on a clerk's PC, these must change nothing in a build.
        process.env.ELECTRON_RENDERER_URL = 'http://127.0.0.1:5173/';
        process.env.SPORTELLO_BASE_URL = 'http://127.0.0.1:9/';
      })),
  );
  afterAll(() => quit(shell));

  it('loads app://, never a dev server named by the environment', () => {
    expect(window.loaded).toBe(APP_HOME);
    expect(window.webContents.attempt('will-redirect', 'http://127.0.0.1:5173/')).toBe(true);
  });

  it('has no DevTools, and closes them if something opens them', () => {
    expect((window.options.webPreferences as { devTools: boolean }).devTools).toBe(false);
    window.webContents.emit('devtools-opened');
    expect(window.webContents.devToolsClosed).toBe(1);
  });

  it('ignores SPORTELLO_BASE_URL: Prova is the built-in simulator', async () => {
    const info = (await shell.electron.invokeFrom(window.webContents.mainFrame, 'app.info')) as {
      ok: boolean;
      value: { baseUrl: string };
    };
    expect(info.ok).toBe(true);
    expect(info.value.baseUrl).not.toContain('127.0.0.1:9');
  });
});

describe('with the dev server', () => {
  it('loads and trusts it by its exact origin', async () => {
    const { shell, window } = await started(() => {
      process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    });
    try {
      expect(window.loaded).toBe('http://localhost:5173');
      const ours = { url: 'http://localhost:5173/', parent: null };
      const theirs = { url: 'http://localhost:5173.evil.example/', parent: null };
      expect(await shell.electron.invokeFrom(ours, 'settings.get')).toMatchObject({ ok: true });
      expect(await shell.electron.invokeFrom(theirs, 'settings.get')).toMatchObject({
        ok: false,
        error: { code: 'not_allowed' },
      });
    } finally {
      await quit(shell);
    }
  });
});
