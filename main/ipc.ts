import { channelNames } from '../common/api.ts';
import { eventChannel } from '../common/bridge.ts';
import type { Outcome } from '../common/errors.ts';
import type { Dispatch } from './dispatch.ts';
import type { EventHub } from './events.ts';
import type { Logger } from './ports.ts';
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

/** The part of `ipcMain` this file uses. */
export interface IpcRegistry {
  handle(channel: string, listener: InvokeListener): void;
  removeHandler(channel: string): void;
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
 * frame on our own origin; the dispatcher validates the arguments against the contract's schemas
 * and turns every failure into a typed, translatable value. Returns the unregister function.
 */
export function registerIpc(
  ipc: IpcRegistry,
  dispatch: Dispatch,
  log: Logger,
  options: { devServerUrl?: string | undefined } = {},
): () => void {
  for (const channel of channelNames) {
    ipc.handle(channel, async (event, ...args) => {
      const frame = event.senderFrame;
      if (!isTrustedSender(frame?.url, frame !== null && frame.parent === null, options.devServerUrl)) {
        log.warn('ipc refused: untrusted sender', { channel, url: frame?.url ?? null });
        return untrusted;
      }
      return dispatch(channel, args);
    });
  }
  return () => {
    for (const channel of channelNames) ipc.removeHandler(channel);
  };
}

/** Forwards the services' push events to the window, while it exists. */
export function forwardEvents(events: EventHub, target: () => PushTarget | null): () => void {
  return events.subscribe((event, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
  });
}
