import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * main/window.ts, main/index.ts and preload/index.ts import 'electron', which plain Node cannot
 * load: their rules live in main/security/policy.ts (policy.test.ts proves them) and these checks
 * read the source to make sure the shell really applies them.
 */
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const source = (path: string) =>
  readFileSync(join(ROOT, path), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

describe('main/window.ts', () => {
  const window = source('main/window.ts');

  it('builds the window from the checked options only', () => {
    expect(window).toMatch(/new BrowserWindow\(mainWindowOptions\(/);
    expect(window).not.toMatch(/webPreferences\s*:/);
    expect(window).not.toMatch(/sandbox\s*:\s*false|contextIsolation\s*:\s*false|nodeIntegration\s*:\s*true/);
  });

  it('loads app:// (or the dev server), never a file', () => {
    expect(window).toMatch(/loadURL\(options\.devServerUrl \?\? APP_HOME\)/);
    expect(window).not.toMatch(/loadFile|file:\/\//);
  });

  it('registers the scheme as privileged and serves it through the path check and the CSP headers', () => {
    expect(window).toMatch(
      /registerSchemesAsPrivileged\(\[\{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES \}\]\)/,
    );
    expect(window).toMatch(/protocol\.handle\(APP_SCHEME/);
    expect(window).toMatch(/resolveAppFile\(rendererDir, request\.url\)/);
    expect(window).toMatch(/headers: appResponseHeaders\(file\)/);
  });

  it('denies every window.open and every navigation, opening only allowlisted links outside', () => {
    expect(window).toMatch(/setWindowOpenHandler\([\s\S]*?return \{ action: 'deny' \}/);
    expect(window).not.toMatch(/action: 'allow'/);
    expect(window).toMatch(/on\('will-navigate', \(event, url\) => \{\s*event\.preventDefault\(\);/);
    expect(window).toMatch(/navigationDecision\(url\) === 'open-externally'/);
    expect(window).toMatch(/on\('will-redirect'[\s\S]*?preventDefault/);
    expect(window).not.toMatch(/shell\.openExternal/);
  });

  it('refuses webviews and every download but the page’s own files, and asks the policy about permissions', () => {
    expect(window).toMatch(/on\('will-attach-webview', \(event\) => \{\s*event\.preventDefault\(\);/);
    expect(window).toMatch(
      /on\('will-download', \(event, item\) => \{\s*if \(!isDownloadAllowed\(item\.getURL\(\), devServerUrl\)\) event\.preventDefault\(\);/,
    );
    expect(window).toMatch(/setPermissionRequestHandler\([\s\S]*?callback\(isPermissionAllowed\(/);
    expect(window).toMatch(/setPermissionCheckHandler\([\s\S]*?isPermissionAllowed\(/);
  });
});

describe('main/index.ts', () => {
  const index = source('main/index.ts');

  it('holds the single-instance lock and brings the open window forward on a second launch', () => {
    expect(index).toMatch(/if \(!app\.requestSingleInstanceLock\(\)\) \{\s*app\.quit\(\);/);
    expect(index).toMatch(/app\.on\('second-instance'[\s\S]*?window\.focus\(\)/);
  });

  it('registers app:// before ready, and hardens the session before the window exists', () => {
    expect(index.indexOf('registerAppScheme();')).toBeLessThan(index.indexOf('app.whenReady()'));
    expect(index.indexOf('hardenSession(')).toBeLessThan(index.indexOf('createMainWindow('));
    expect(index.indexOf('registerIpc(')).toBeLessThan(index.indexOf('createMainWindow('));
  });

  it('gives DevTools to development builds only', () => {
    expect(index).toMatch(/devTools: !app\.isPackaged/);
    expect(index).toMatch(
      /const devServerUrl = app\.isPackaged \? undefined : process\.env\.ELECTRON_RENDERER_URL/,
    );
  });

  it('starts resumes and the tracker once the window has shown', () => {
    expect(index).toMatch(/once\('ready-to-show', \(\) => \{\s*window\?\.show\(\);\s*services\.start\(\)/);
    expect(index.match(/\.start\(\)/g)).toHaveLength(1);
  });

  it('closes the services before quitting, and quits again when they are closed', () => {
    expect(index).toMatch(
      /on\('before-quit', \(event\) => \{[\s\S]*?event\.preventDefault\(\);[\s\S]*?services\.close\(\)[\s\S]*?app\.quit\(\);/,
    );
  });

  it('logs crashes of main, of the renderer and of child processes', () => {
    for (const event of [
      'uncaughtException',
      'unhandledRejection',
      'render-process-gone',
      'child-process-gone',
    ])
      expect(index).toContain(`'${event}'`);
  });

  it('looks at pending requests again after sleep', () => {
    expect(index).toMatch(/powerMonitor\.on\('resume'[\s\S]*?'requests\.refreshAll'/);
  });
});

describe('preload/index.ts', () => {
  const preload = source('preload/index.ts');

  it("builds window.api from the contract's list, not by hand", () => {
    expect(preload).toMatch(/buildBridge\(/);
    expect(preload).toMatch(/exposeInMainWorld\('api', api\)/);
    expect(preload).not.toMatch(/invoke\('[a-z]+\.[a-zA-Z]+'/);
  });

  it('hands listeners the payload, never the IPC event', () => {
    expect(preload).toMatch(
      /\(_event: Electron\.IpcRendererEvent, payload: unknown\) => listener\(payload\)/,
    );
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\b/);
  });

  it('offers getPathForFile through webUtils, granting main each path before the page has it', () => {
    expect(preload).toMatch(
      /getPathForFile: \(file: File\) => \{\s*const path = webUtils\.getPathForFile\(file\);\s*if \(path\) ipcRenderer\.sendSync\(GRANT_PATH_CHANNEL, path\);\s*return path;/,
    );
  });

  it('is bundled as one CommonJS file, loaded from where main/window.ts looks for it', () => {
    const vite = source('electron.vite.config.ts');
    expect(vite).toMatch(/externalizeDeps: false/);
    expect(vite).toMatch(/format: 'cjs', entryFileNames: '\[name\]\.cjs'/);
    expect(source('main/window.ts')).toMatch(/join\(mainDir, '\.\.', 'preload', 'index\.cjs'\)/);
  });
});

describe('who imports electron', () => {
  it('the IPC wrapper only its types, so it runs in tests with a fake ipcMain', () => {
    expect(source('main/ipc.ts')).not.toMatch(/from 'electron'/);
  });
});
