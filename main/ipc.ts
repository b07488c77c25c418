import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channelNames } from '../common/api.ts';
import { eventChannel } from '../common/bridge.ts';
import type { Dispatch } from './dispatch.ts';
import type { EventHub } from './events.ts';
import type { Logger } from './ports.ts';
import { isTrustedSender } from './security/policy.ts';

/** The subset of ipcMain used here, so tests can hand in a fake registry. */
export type IpcRegistry = Pick<IpcMain, 'handle' | 'removeHandler'>;

/**
 * Registers every channel of the contract once. Each call is answered only for our own top-level
 * frame; arguments are validated by the dispatcher against the contract's schemas.
 */
export function registerIpc(
  ipc: IpcRegistry,
  dispatch: Dispatch,
  log: Logger,
  options: { devServerUrl?: string | undefined } = {},
): () => void {
  for (const channel of channelNames) {
    ipc.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const frame = event.senderFrame;
      const top = frame !== null && frame === event.sender.mainFrame;
      if (!isTrustedSender(frame?.url, top, options.devServerUrl)) {
        log.warn('ipc refused: untrusted sender', { channel, url: frame?.url ?? null });
        return { ok: false, error: { code: 'not_allowed', message: 'Mittente non autorizzato' } };
      }
      return dispatch(channel, args);
    });
  }
  return () => {
    for (const channel of channelNames) ipc.removeHandler(channel);
  };
}

/** Forwards the services' push events to one window. */
export function forwardEvents(events: EventHub, target: () => WebContents | null): () => void {
  return events.subscribe((event, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
  });
}
