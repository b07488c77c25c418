import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { channelNames, type Handlers } from '../../../common/api.ts';
import { eventChannel, GRANT_PATH_CHANNEL } from '../../../common/bridge.ts';
import type { Outcome } from '../../../common/errors.ts';
import { createDispatcher } from '../../../main/dispatch.ts';
import { AppError } from '../../../main/errors.ts';
import { PathGrants } from '../../../main/security/grants.ts';
import { EventHub } from '../../../main/events.ts';
import {
  forwardEvents,
  registerIpc,
  type InvokeEvent,
  type InvokeListener,
  type IpcRegistry,
  type SenderFrame,
  type SyncEvent,
  type SyncListener,
} from '../../../main/ipc.ts';
import { memoryLogger } from '../../support/logger.ts';

/** Behaves like ipcMain: a second handler for one channel throws, as Electron's does. */
class FakeIpcMain implements IpcRegistry {
  readonly handlers = new Map<string, InvokeListener>();
  readonly registrations: string[] = [];

  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.registrations.push(channel);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  readonly listeners = new Map<string, SyncListener[]>();

  on(channel: string, listener: SyncListener): void {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  }

  removeAllListeners(channel: string): void {
    this.listeners.delete(channel);
  }

  /** Like `ipcRenderer.sendSync`: runs the listeners, answers their returnValue. */
  sendSync(channel: string, frame: SenderFrame | null, ...args: unknown[]): unknown {
    const event: SyncEvent = { senderFrame: frame, returnValue: undefined };
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
    return event.returnValue;
  }

  invoke(channel: string, event: InvokeEvent, ...args: unknown[]): Promise<Outcome<unknown>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args);
  }
}

const topFrame = (url: string): SenderFrame => ({ url, parent: null });
const from = (frame: SenderFrame | null): InvokeEvent => ({ senderFrame: frame });
const ours = from(topFrame('app://sportello/index.html'));

/** Every handler answers with its own name; a few fail on purpose. */
function fakeHandlers(calls: { channel: string; args: unknown[] }[]): Handlers {
  const handlers = Object.fromEntries(
    channelNames.map((channel) => [
      channel,
      async (...args: unknown[]) => {
        calls.push({ channel, args });
        return { channel };
      },
    ]),
  ) as unknown as Handlers;
  handlers['drafts.get'] = async (id) => {
    throw new AppError('draft_not_found', `Bozza ${id} non trovata`, { details: { id } });
  };
  handlers['requests.refresh'] = async () => {
    throw new Error('ECONNRESET while holding Bearer sk-live-0123456789');
  };
  return handlers;
}

function setup(options: { devServerUrl?: string } = {}) {
  const ipc = new FakeIpcMain();
  const log = memoryLogger();
  const calls: { channel: string; args: unknown[] }[] = [];
  const grants = new PathGrants();
  const dispatch = createDispatcher(fakeHandlers(calls), log, grants);
  const unregister = registerIpc(ipc, { dispatch, grants }, log, options);
  return { ipc, log, calls, unregister };
}

describe('IPC registration', () => {
  it('registers every channel of the contract exactly once, and nothing else', () => {
    const { ipc } = setup();
    expect(ipc.registrations).toHaveLength(channelNames.length);
    expect(new Set(ipc.registrations).size).toBe(channelNames.length);
    expect([...ipc.registrations].sort()).toEqual([...channelNames].sort());
  });

  it('unregisters every channel, so a second registration does not throw', () => {
    const { ipc, unregister } = setup();
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes valid arguments through to the handler', async () => {
    const { ipc, calls } = setup();
    const id = randomUUID();
    await expect(ipc.invoke('app.info', ours)).resolves.toEqual({ ok: true, value: { channel: 'app.info' } });
    await expect(ipc.invoke('requests.submit', ours, id, 14.7)).resolves.toMatchObject({ ok: true });
    expect(calls).toEqual([
      { channel: 'app.info', args: [] },
      { channel: 'requests.submit', args: [id, 14.7] },
    ]);
  });
});

describe('IPC argument validation', () => {
  it.each([
    ['requests.submit', ['not-a-uuid', 14.7]],
    ['requests.submit', [randomUUID(), -1]],
    ['requests.submit', [randomUUID()]],
    ['requests.submit', [randomUUID(), 14.7, 'extra']],
    ['drafts.create', ['../../etc/passwd']],
    ['settings.setApiKey', ['produzione', { toString: 'x' }]],
    ['attachments.add', [randomUUID(), '$5', { path: '/x', data: new Uint8Array(1) }]],
    ['catalog.list', ['unexpected']],
  ])('rejects %s(%j) with a typed invalid_argument, without calling the handler', async (channel, args) => {
    const { ipc, calls } = setup();
    const outcome = await ipc.invoke(channel, ours, ...args);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(calls).toEqual([]);
  });
});

describe('IPC sender check', () => {
  it.each([
    ['another origin', from(topFrame('https://evil.example/'))],
    ['a file:// page', from(topFrame('file:///opt/sportello/out/renderer/index.html'))],
    ['another app:// host', from(topFrame('app://evil/index.html'))],
    [
      'a subframe of our page',
      from({ url: 'app://sportello/index.html', parent: topFrame('app://sportello/') }),
    ],
    ['a destroyed frame', from(null)],
    ['the dev server when none is configured', from(topFrame('http://localhost:5173/'))],
  ])('refuses %s with a typed not_allowed and logs it', async (_what, event) => {
    const { ipc, calls, log } = setup();
    const outcome = await ipc.invoke('settings.setApiKey', event, 'produzione', 'a'.repeat(40));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect(calls).toEqual([]);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'ipc refused: untrusted sender' }),
    );
  });

  it('accepts the dev server in development, by its exact origin', async () => {
    const { ipc } = setup({ devServerUrl: 'http://localhost:5173' });
    await expect(ipc.invoke('app.info', from(topFrame('http://localhost:5173/')))).resolves.toMatchObject({
      ok: true,
    });
    await expect(
      ipc.invoke('app.info', from(topFrame('http://localhost:5173.evil.example/'))),
    ).resolves.toMatchObject({ ok: false, error: { code: 'not_allowed' } });
  });
});

describe('IPC errors', () => {
  it('come back as the typed, translatable value the service threw', async () => {
    const { ipc } = setup();
    const id = randomUUID();
    await expect(ipc.invoke('drafts.get', ours, id)).resolves.toEqual({
      ok: false,
      error: { code: 'draft_not_found', message: `Bozza ${id} non trovata`, details: { id } },
    });
  });

  it('turn an unexpected crash into internal, with no technical text for the renderer', async () => {
    const { ipc, log } = setup();
    const outcome = await ipc.invoke('requests.refresh', ours, randomUUID());
    expect(outcome).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(outcome)).not.toMatch(/sk-live|ECONNRESET/);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'call crashed' }));
  });

  it('are plain data that survive structured cloning', async () => {
    const { ipc } = setup();
    const outcome = await ipc.invoke('drafts.get', ours, randomUUID());
    expect(structuredClone(outcome)).toEqual(outcome);
  });
});

describe('push events', () => {
  it('reach the window on their contract channel, and stop when it is gone', () => {
    const events = new EventHub();
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const target = {
      isDestroyed: () => destroyed,
      send: (channel: string, p: unknown) => sent.push([channel, p]),
    };
    let window: typeof target | null = target;
    const stop = forwardEvents(events, () => window);

    events.emit('catalogUpdated', { count: 3 });
    destroyed = true;
    events.emit('catalogUpdated', { count: 4 });
    window = null;
    events.emit('catalogUpdated', { count: 5 });
    stop();
    destroyed = false;
    window = target;
    events.emit('catalogUpdated', { count: 6 });

    expect(sent).toEqual([[eventChannel('catalogUpdated'), { count: 3 }]]);
  });
});

describe('files named by the page', () => {
  const draftId = randomUUID();
  const dropped = '/home/operatore/Scrivania/carta-identita.jpg';
  const grant = (ipc: FakeIpcMain, path: unknown) =>
    ipc.sendSync(GRANT_PATH_CHANNEL, topFrame('app://sportello/index.html'), path);

  it('reads only a path the preload granted for a file the clerk dropped or chose', async () => {
    const { ipc, calls, log } = setup();
    const refused = await ipc.invoke('attachments.add', ours, draftId, '$5', { path: '/etc/shadow' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'path_not_granted' } });
    expect(calls).toEqual([]);
    expect(log.lines.some((l) => l.message === 'ipc refused: path not granted')).toBe(true);

    expect(grant(ipc, dropped)).toBe(true);
    const accepted = await ipc.invoke('attachments.add', ours, draftId, '$5', { path: dropped });
    expect(accepted).toMatchObject({ ok: true });
    expect(calls).toEqual([{ channel: 'attachments.add', args: [draftId, '$5', { path: dropped }] }]);
  });

  it('refuses an ungranted path anywhere in the arguments: one of a drop of several files', async () => {
    const { ipc, calls } = setup();
    expect(grant(ipc, dropped)).toBe(true);
    const sources = [{ path: dropped }, { name: 'foto.jpg', data: new Uint8Array([0xff, 0xd8]) }];
    const refused = await ipc.invoke('attachments.place', ours, draftId, [
      ...sources,
      { path: '/home/operatore/.ssh/id_rsa' },
    ]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'path_not_granted' } });
    expect(calls).toEqual([]);

    await expect(ipc.invoke('attachments.place', ours, draftId, sources, '$5')).resolves.toMatchObject({
      ok: true,
    });
    expect(calls).toEqual([{ channel: 'attachments.place', args: [draftId, sources, '$5'] }]);
  });

  it('answers an ungranted path in the same words whatever it names: no oracle for the page', async () => {
    const { ipc } = setup();
    const answers = await Promise.all(
      [
        import.meta.filename,
        '/questo/file/non/esiste.pdf',
        'C:\\Windows\\win.ini',
        '\\\\server\\share\\x.pdf',
      ].map((path) => ipc.invoke('attachments.place', ours, draftId, [{ path }])),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ ok: false, error: { code: 'path_not_granted' } });
  });

  it('takes no grant from another origin, a subframe, or something that is not a path', () => {
    const { ipc } = setup();
    expect(ipc.sendSync(GRANT_PATH_CHANNEL, topFrame('https://evil.example/'), dropped)).toBe(false);
    expect(ipc.sendSync(GRANT_PATH_CHANNEL, { url: 'app://sportello/index.html', parent: {} }, dropped)).toBe(
      false,
    );
    expect(grant(ipc, { path: dropped })).toBe(false);
    expect(grant(ipc, '')).toBe(false);
    expect(grant(ipc, 'x'.repeat(4097))).toBe(false);
  });

  it('lets bytes (a paste, a photo) through without any grant', async () => {
    const { ipc, calls } = setup();
    const data = new Uint8Array([0xff, 0xd8, 0xff]);
    const outcome = await ipc.invoke('attachments.add', ours, draftId, '$5', { name: 'foto.jpg', data });
    expect(outcome).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
  });

  it('stops listening for grants when unregistered', () => {
    const { ipc, unregister } = setup();
    unregister();
    expect(ipc.listeners.has(GRANT_PATH_CHANNEL)).toBe(false);
  });
});
