import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestSummary } from '../../../common/requests.ts';
import { APP_HOME } from '../../../main/security/policy.ts';
import { CONGEDO, MARIO } from '../../support/drafts.ts';
import { bootMain, bootPreload, until, type Shell } from '../../support/electron/shell.ts';
import { photoJpeg, pngImage, textPdf } from '../../support/files.ts';

/*
 * The real main/index.ts (and window.ts, ipc.ts, app.ts, the adapters) and the real preload, run
 * under Node against the Electron double: what the shell does, not what its source text says.
 */

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

let shell: Shell | null = null;

afterEach(async () => {
  if (!shell) return;
  const { world, electron } = shell;
  if (world.quitting !== 'quit' && world.exitCode === null) {
    electron.app.quit();
    await until(() => world.quitting === 'quit', 'the app to quit').catch(() => {});
  }
  shell.dispose();
  shell = null;
});

function logLines(userData: string): { msg: string; [key: string]: unknown }[] {
  const dir = join(userData, 'logs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string });
}

const unwrap = <T>(
  outcome: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
) => {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
};

describe('the main process, from start to quit', () => {
  it('starts, opens the window, sends a request through the preload’s api, and quits cleanly', async () => {
    shell = await bootMain();
    const { electron, world, userData } = shell;

    // Before 'ready': app:// is privileged, and nothing else has happened yet.
    expect(world.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(world.appUserModelId).toBe('it.sportello.desktop');
    expect(world.windows).toHaveLength(0);

    electron.emitReady();
    await until(() => world.windows.length === 1, 'the first window');
    const window = world.windows[0]!;

    // The session was hardened and IPC registered before the window existed.
    expect(world.session.permissionRequest).not.toBeNull();
    expect(world.session.permissionCheck).not.toBeNull();
    expect(world.handlers.has('requests.submit')).toBe(true);
    expect(world.protocolHandlers.has('app')).toBe(true);

    expect(window.options).toMatchObject({ show: false, title: 'Sportello' });
    expect(window.options.webPreferences).toEqual(
      expect.objectContaining({
        preload: join(ROOT, 'preload', 'index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        devTools: true,
      }),
    );
    expect(window.loaded).toBe(APP_HOME);
    expect(window.visible).toBe(false);
    // The network waits for the clerk to see the window.
    expect(logLines(userData).some((l) => l.msg === 'started')).toBe(false);

    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
    await until(() => logLines(userData).some((l) => l.msg === 'started'), 'the services to start');

    const { api, platform } = await bootPreload(shell);
    expect(Object.keys(world.exposed).sort()).toEqual(['api', 'platform']);
    const pushes: RequestSummary[] = [];
    api.on('requestChanged', (payload) => pushes.push(payload));

    const info = unwrap(await api.app.info());
    expect(info).toMatchObject({ environment: 'prova', dataDir: userData });

    const draft = unwrap(await api.drafts.create(CONGEDO));
    unwrap(await api.drafts.update(draft.id, { fields: { ...MARIO } }));
    // A file "dropped" by the clerk: the preload grants its path to main before the page has it.
    const dropped = join(userData, '..', 'tessera.pdf');
    writeFileSync(dropped, await textPdf(2));
    const file = new File([], 'tessera.pdf');
    world.filePaths.set(file, dropped);
    const path = (platform as { getPathForFile(file: File): string }).getPathForFile(file);
    expect(path).toBe(dropped);
    unwrap(await api.attachments.add(draft.id, '$6', { path }));
    unwrap(
      await api.attachments.add(draft.id, '$5', { name: 'carta-identita.jpg', data: await photoJpeg() }),
    );
    unwrap(await api.attachments.add(draft.id, '$7', { name: 'mandato.png', data: await pngImage() }));

    const quote = unwrap(await api.requests.quote(draft.id));
    const sent = unwrap(await api.requests.submit(draft.id, quote.total));
    expect(sent).toMatchObject({ environment: 'prova', clientCf: MARIO.$4 });
    expect(['pending', 'done']).toContain(sent.status);
    await until(() => pushes.some((p) => p.id === draft.id), 'the requestChanged push');
    expect(window.webContents.sent.some((s) => s.channel === 'event:requestChanged')).toBe(true);

    electron.app.quit();
    await until(() => world.quitting === 'quit', 'the app to quit');
    const lines = logLines(userData);
    expect(lines.map((l) => l.msg)).toContain('stopped');
    expect(lines.some((l) => /uncaught|unhandled|start failed|shutdown/.test(l.msg))).toBe(false);
    // better-sqlite3 removes the WAL file only when the database is closed.
    expect(existsSync(join(userData, 'pratiche.sqlite'))).toBe(true);
    expect(existsSync(join(userData, 'pratiche.sqlite-wal'))).toBe(false);
  });

  it('closes the services even when asked to quit while they are still starting', async () => {
    shell = await bootMain();
    const { electron, world, userData } = shell;
    electron.emitReady();
    await until(() => world.windows.length === 1, 'the first window');
    world.windows[0]!.emit('ready-to-show');
    electron.app.quit();
    await until(() => world.quitting === 'quit', 'the app to quit');
    const messages = logLines(userData).map((l) => l.msg);
    expect(messages).toContain('stopped');
    expect(messages).not.toContain('start failed');
    expect(existsSync(join(userData, 'pratiche.sqlite-wal'))).toBe(false);
  });
});

describe('one Sportello per account', () => {
  it('quits at once, without a window, when another instance holds the lock', async () => {
    shell = await bootMain((world) => (world.singleInstance = false));
    const { electron, world } = shell;
    expect(world.quitting).toBe('quit');
    electron.emitReady();
    await new Promise((r) => setTimeout(r, 50));
    expect(world.windows).toHaveLength(0);
  });

  it('brings the open window forward when the clerk starts it again', async () => {
    shell = await bootMain();
    const { electron, world } = shell;
    electron.emitReady();
    await until(() => world.windows.length === 1, 'the first window');
    const window = world.windows[0]!;
    window.minimize();
    world.app.emit('second-instance');
    expect(window.isMinimized()).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(1);
  });
});

describe('start-up failures', () => {
  it('tell the clerk in a system dialog where the log is, and exit with an error', async () => {
    // A config.json that is not JSON (a disk error, a bad hand edit): the settings cannot load.
    shell = await bootMain((world) => writeFileSync(join(world.paths.userData!, 'config.json'), '{ rotto'));
    const { electron, world } = shell;
    electron.emitReady();
    await until(() => world.exitCode !== null, 'the app to exit');
    expect(world.exitCode).toBe(1);
    expect(world.windows).toHaveLength(0);
    expect(world.dialogs).toEqual([
      expect.objectContaining({
        kind: 'error',
        options: expect.objectContaining({ title: 'Sportello non si avvia' }) as unknown,
      }),
    ]);
  });
});

describe('after sleep', () => {
  it('looks at every pending request again, once the services have started', async () => {
    shell = await bootMain();
    const { electron, world, userData } = shell;
    electron.emitReady();
    await until(() => world.windows.length === 1, 'the first window');
    world.windows[0]!.emit('ready-to-show');
    await until(() => logLines(userData).some((l) => l.msg === 'started'), 'the services to start');
    const { api } = await bootPreload(shell);
    const draft = unwrap(await api.drafts.create(CONGEDO));
    unwrap(await api.drafts.update(draft.id, { fields: { ...MARIO } }));
    for (const [key, source] of Object.entries({
      $5: { name: 'a.jpg', data: await photoJpeg() },
      $6: { name: 'b.pdf', data: await textPdf(1) },
      $7: { name: 'c.png', data: await pngImage() },
    }))
      unwrap(await api.attachments.add(draft.id, key, source));
    const quote = unwrap(await api.requests.quote(draft.id));
    unwrap(await api.requests.submit(draft.id, quote.total));
    const before = world.fetched.length;
    world.powerMonitor.emit('resume');
    await until(() => world.fetched.length > before, 'a status check after resume');
    expect(world.fetched.slice(before).some((url) => url.includes('/richiesta'))).toBe(true);
  });
});
