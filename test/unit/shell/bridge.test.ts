import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, eventNames } from '../../../common/api.ts';
import { GRANT_PATH_CHANNEL } from '../../../common/bridge.ts';
import type * as SafeStorageModule from '../../../main/adapters/safe-storage.ts';
import type * as ShellOpenerModule from '../../../main/adapters/shell-opener.ts';
import type { Frame } from '../../support/electron/double.ts';
import { bootMain, bootPreload, loadNative, until, type Shell } from '../../support/electron/shell.ts';

/*
 * main/ipc.ts as main/index.ts registers it, called from trusted and untrusted frames; the preload
 * as the page gets it; the adapters over safeStorage, dialog and shell.
 */

async function started(prepare?: Parameters<typeof bootMain>[0]): Promise<Shell> {
  const shell = await bootMain(prepare);
  shell.electron.emitReady();
  await until(() => shell.world.windows.length === 1, 'the first window');
  shell.world.windows[0]!.emit('ready-to-show');
  return shell;
}

async function quit(shell: Shell): Promise<void> {
  shell.electron.app.quit();
  await until(() => shell.world.quitting === 'quit', 'the app to quit');
  shell.dispose();
}

const ours: Frame = { url: 'app://sportello/index.html', parent: null };

describe('IPC as the running app registers it', () => {
  let shell: Shell;
  beforeAll(async () => (shell = await started()));
  afterAll(() => quit(shell));

  it('answers every channel of the contract, and only those', () => {
    const registered = [...shell.world.handlers.keys()].sort();
    expect(registered).toEqual([...channelNames].sort());
  });

  it('answers our own top-level page', async () => {
    expect(await shell.electron.invokeFrom(ours, 'settings.get')).toMatchObject({ ok: true });
  });

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['another app:// host', { url: 'app://evil/index.html', parent: null }],
    ['a subframe of our page', { url: 'app://sportello/index.html', parent: ours }],
    ['a frame that is gone', null],
  ])('refuses %s, and changes nothing', async (_what, frame: Frame | null) => {
    const before = await shell.electron.invokeFrom(ours, 'settings.get');
    const outcome = await shell.electron.invokeFrom(frame, 'settings.update', { officeName: 'Intruso' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect(await shell.electron.invokeFrom(ours, 'settings.get')).toEqual(before);
    expect(shell.electron.sendSyncFrom(frame, GRANT_PATH_CHANNEL, '/etc/passwd')).toBe(false);
  });

  it('validates arguments from our own page too', async () => {
    expect(await shell.electron.invokeFrom(ours, 'drafts.create', '../../etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });

  it('reads no file the clerk did not drop or choose', async () => {
    const draft = (await shell.electron.invokeFrom(
      ours,
      'drafts.create',
      '8a7c8386fff43d28182cfa2ad24a3532',
    )) as {
      value: { id: string };
    };
    const secret = join(shell.userData, 'config.json');
    const outcome = await shell.electron.invokeFrom(ours, 'attachments.add', draft.value.id, '$5', {
      path: secret,
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'path_not_granted' } });
  });
});

describe('the preload', () => {
  let shell: Shell;
  beforeAll(async () => (shell = await started()));
  afterAll(() => quit(shell));

  it('exposes `api` (the contract, namespace by namespace, and `on`) and `platform`, nothing else', async () => {
    const { api } = await bootPreload(shell);
    expect(Object.keys(shell.world.exposed).sort()).toEqual(['api', 'platform']);
    const exposed = Object.entries(api as unknown as Record<string, Record<string, unknown>>).flatMap(
      ([ns, members]) =>
        typeof members === 'function' ? [ns] : Object.keys(members).map((m) => `${ns}.${m}`),
    );
    expect(exposed.sort()).toEqual([...channelNames, 'on'].sort());
    expect(Object.keys(shell.world.exposed.platform as object)).toEqual(['getPathForFile']);
  });

  it('hands listeners the payload only, and unsubscribes them', async () => {
    const api = shell.world.exposed.api as {
      on(event: string, listener: (...args: unknown[]) => void): () => void;
    };
    const calls: unknown[][] = [];
    const stop = api.on('catalogUpdated', (...args) => calls.push(args));
    shell.world.windows[0]!.webContents.send('event:catalogUpdated', { count: 7 });
    stop();
    shell.world.windows[0]!.webContents.send('event:catalogUpdated', { count: 8 });
    expect(calls).toEqual([[{ count: 7 }]]);
    expect(() => api.on('ipc-message', () => {})).toThrow(/evento sconosciuto/);
    expect(eventNames).not.toContain('ipc-message');
  });

  it('grants main a dropped file’s path before the page has it, and nothing for a file without one', () => {
    const platform = shell.world.exposed.platform as { getPathForFile(file: File): string };
    const dropped = new File([], 'carta.jpg');
    shell.world.filePaths.set(dropped, '/home/operatore/carta.jpg');
    expect(platform.getPathForFile(dropped)).toBe('/home/operatore/carta.jpg');
    expect(platform.getPathForFile(new File([], 'incollato.png'))).toBe('');
  });
});

describe('Openapi credentials through safeStorage', () => {
  let shell: Shell | null = null;
  afterEach(async () => {
    if (shell) await quit(shell);
    shell = null;
  });

  it.each([
    ['gnome_libsecret', true, true],
    ['kwallet5', true, true],
    ['basic_text', true, false],
    ['unknown', true, false],
    ['unavailable', false, false],
  ])('with the %s backend (available: %s) is persisted: %s', async (backend, available, persisted) => {
    const key = 'tok-test-0123456789abcdef';
    shell = await started((world) => {
      world.safeStorage = { available, backend, encrypted: 0 };
      world.dialogAnswers.push({ button: 1 });
    });
    const outcome = await shell.electron.invokeFrom(ours, 'settings.setToken', 'sandbox', key);
    expect(outcome).toMatchObject({ ok: true, value: { kind: 'token', persisted, tokenHint: '••••cdef' } });
    const file = join(shell.userData, 'config.json');
    const config = existsSync(file) ? readFileSync(file, 'utf8') : '';
    expect(config).not.toContain(key);
    expect(config.includes('sandbox.token')).toBe(persisted);
    expect(shell.world.safeStorage.encrypted).toBe(persisted ? 1 : 0);
  });

  it.each([
    ['win32', 'dpapi'],
    ['darwin', 'keychain'],
  ] as const)('on %s names the backend %s and persists', async (platform, backend) => {
    const { SafeStorageCipher } = await loadNative<typeof SafeStorageModule>('main/adapters/safe-storage.ts');
    shell = await started();
    const real = process.platform;
    Object.defineProperty(process, 'platform', { value: platform });
    try {
      const cipher = new SafeStorageCipher();
      expect(await cipher.backend()).toBe(backend);
      expect(await cipher.canPersist()).toBe(true);
      expect(await cipher.decrypt(await cipher.encrypt('segreto'))).toBe('segreto');
    } finally {
      Object.defineProperty(process, 'platform', { value: real });
    }
  });
});

describe('main’s own dialogs', () => {
  let shell: Shell;
  beforeAll(async () => (shell = await started()));
  afterAll(() => quit(shell));

  const dialogs = () => shell.world.dialogs.filter((d) => d.kind !== 'error');

  it('choose the archive in the system folder picker, then confirm it in a message box', async () => {
    const folder = join(shell.documents, 'Archivio ufficio');
    shell.world.dialogAnswers.push({ folder }, { button: 1 });
    const outcome = await shell.electron.invokeFrom(ours, 'settings.chooseFolder', 'archiveRoot');
    expect(outcome).toMatchObject({ ok: true, value: { archiveRoot: folder } });
    const [open, message] = dialogs().slice(-2);
    expect(open).toMatchObject({ kind: 'open', parent: true });
    expect(open!.options.properties).toContain('openDirectory');
    expect(message).toMatchObject({ kind: 'message', parent: true });
    expect(message!.options).toMatchObject({
      buttons: ['Annulla', 'Usa questa cartella'],
      cancelId: 0,
      defaultId: 0,
    });
  });

  it('change nothing when the clerk dismisses them', async () => {
    const before = (await shell.electron.invokeFrom(ours, 'settings.get')) as { value: unknown };
    shell.world.dialogAnswers.push({ folder: join(shell.documents, 'Altro') });
    expect(await shell.electron.invokeFrom(ours, 'settings.chooseFolder', 'archiveRoot')).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    expect(
      await shell.electron.invokeFrom(ours, 'settings.setToken', 'produzione', 'tok-live-0123456789'),
    ).toMatchObject({ ok: false, error: { code: 'not_confirmed' } });
    expect(await shell.electron.invokeFrom(ours, 'settings.get')).toEqual(before);
  });

  it('refuse a network folder picked in the dialog, in Italian', async () => {
    shell.world.dialogAnswers.push({ folder: '\\\\server\\condivisione\\Archivio' });
    const outcome = (await shell.electron.invokeFrom(ours, 'settings.chooseFolder', 'watchFolder')) as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(outcome.error.code).toBe('invalid_argument');
    expect(outcome.error.message).toMatch(/cartelle di rete .* non sono ammesse/);
  });
});

describe('the system shell', () => {
  it('opens only allowlisted https links, and says why it refused the others', async () => {
    const shell = await started();
    try {
      const { shellOpener } = await loadNative<typeof ShellOpenerModule>('main/adapters/shell-opener.ts');
      await shellOpener.openExternal('https://console.openapi.com/');
      await expect(shellOpener.openExternal('file:///etc/passwd')).rejects.toThrow(/non consentito/);
      await expect(shellOpener.openExternal('https://console.openapi.com.evil.example/')).rejects.toThrow();
      expect(shell.world.shell.external).toEqual(['https://console.openapi.com/']);
      expect(await shellOpener.openPath('/tmp/esito.pdf')).toBe('');
      expect(shell.world.shell.opened).toEqual(['/tmp/esito.pdf']);
    } finally {
      await quit(shell);
    }
  });
});
