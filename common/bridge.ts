import { channelNames, type BridgeApi, type ChannelName, type EventName } from './api.ts';
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

type Tree = Record<string, Record<string, (...args: unknown[]) => unknown>>;

function buildTree(call: (channel: ChannelName, args: unknown[]) => unknown): Tree {
  const tree: Tree = {};
  for (const name of channelNames) {
    const dot = name.indexOf('.');
    const ns = name.slice(0, dot);
    const method = name.slice(dot + 1);
    (tree[ns] ??= {})[method] = (...args: unknown[]) => call(name, args);
  }
  return tree;
}

/** Builds `window.api` from the contract's channel list over any transport (IPC, HTTP). */
export function buildBridge(invoke: Invoke, subscribe: Subscribe): BridgeApi {
  const tree = buildTree((channel, args) => invoke(channel, args));
  return { ...tree, on: subscribe } as unknown as BridgeApi;
}
