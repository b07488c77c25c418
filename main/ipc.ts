import { channelNames } from '../common/api.ts';
import { eventChannel, GRANT_PATH_CHANNEL } from '../common/bridge.ts';
import type { Outcome } from '../common/errors.ts';
import type { Dispatch } from './dispatch.ts';
import type { EventHub } from './events.ts';
import type { Logger } from './ports.ts';
import type { PathGrants } from './security/grants.ts';
import { isTrustedSender } from './security/policy.ts';

/*
 * Only types come from Electron here (structural subsets of IpcMain and IpcMainInvokeEvent), so the
 * wrapper runs under plain Node with a fake registry in tests. main/index.ts hands in `ipcMain`.
 */

/** The frame that sent a call: Electron's WebFrameMain, as far as the sender check reads it. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

export interface InvokeEvent {
  /** Null when the frame has navigated away or been destroyed since it sent the call. */
  readonly senderFrame: SenderFrame | null;
}

export type InvokeListener = (event: InvokeEvent, ...args: unknown[]) => Promise<Outcome<unknown>>;

/** A synchronous message (`ipcRenderer.sendSync`): the listener sets `returnValue`. */
export interface SyncEvent extends InvokeEvent {
  returnValue: unknown;
}

export type SyncListener = (event: SyncEvent, ...args: unknown[]) => void;

/** The part of `ipcMain` this file uses. */
export interface IpcRegistry {
  handle(channel: string, listener: InvokeListener): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: SyncListener): void;
  removeAllListeners(channel: string): void;
}

/** Where push events go: the window's webContents. */
export interface PushTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

const untrusted: Outcome<never> = {
  ok: false,
  error: { code: 'not_allowed', message: 'Richiesta rifiutata: mittente non autorizzato' },
};

/**
 * Registers every channel of the contract, once. A call is answered only for our own top-level
 * frame on our own origin; the dispatcher validates the arguments against the contract's schemas,
 * resolves every path in them against `grants` (which the preload feeds, for the files the clerk
 * drops or chooses) and turns every failure into a typed, translatable value. Returns the
 * unregister function.
 */
export function registerIpc(
  ipc: IpcRegistry,
  { dispatch, grants }: { dispatch: Dispatch; grants: PathGrants },
  log: Logger,
  options: { devServerUrl?: string | undefined } = {},
): () => void {
  const trusted = (event: InvokeEvent) => {
    const frame = event.senderFrame;
    return isTrustedSender(frame?.url, frame !== null && frame.parent === null, options.devServerUrl);
  };
  ipc.on(GRANT_PATH_CHANNEL, (event, path) => {
    const ok = trusted(event) && grants.grant(path, 'dropped') !== null;
    if (!ok) log.warn('ipc refused: path grant', { url: event.senderFrame?.url ?? null });
    event.returnValue = ok;
  });
  for (const channel of channelNames) {
    ipc.handle(channel, async (event, ...args) => {
      if (!trusted(event)) {
        log.warn('ipc refused: untrusted sender', { channel, url: event.senderFrame?.url ?? null });
        return untrusted;
      }
      return dispatch(channel, args);
    });
  }
  return () => {
    for (const channel of channelNames) ipc.removeHandler(channel);
    ipc.removeAllListeners(GRANT_PATH_CHANNEL);
  };
}

/** Forwards the services' push events to the window, while it exists. */
export function forwardEvents(events: EventHub, target: () => PushTarget | null): () => void {
  return events.subscribe((event, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
  });
}
