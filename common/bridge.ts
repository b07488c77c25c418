import { channelNames, type BridgeApi, type ChannelName, type EventName } from './api.ts';
import { bridgeFrom } from './bridge-tree.ts';
import type { Outcome } from './errors.ts';

/**
 * The preload tells main, synchronously, each path Electron gave it for a file the clerk dropped or
 * chose: main reads from disk only paths granted this way, never one the page merely names.
 */
export const GRANT_PATH_CHANNEL = 'platform:grant-path';

/** The IPC channel that carries one push event of the contract. */
export const eventChannel = (event: EventName) => `event:${event}`;

export type Invoke = (channel: ChannelName, args: unknown[]) => Promise<Outcome<unknown>>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/** Builds `window.api` from the contract's channel list over any transport (IPC, HTTP). */
export function buildBridge(invoke: Invoke, subscribe: Subscribe): BridgeApi {
  return bridgeFrom(channelNames, invoke, subscribe);
}
