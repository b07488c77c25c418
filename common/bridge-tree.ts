import type { BridgeApi, ChannelName, EventName } from './api.ts';
import type { Outcome } from './errors.ts';

type Tree = Record<string, Record<string, (...args: unknown[]) => unknown>>;

/**
 * `window.api` from a list of channel names: one method per channel, grouped by namespace. The
 * names always come from the contract (common/api.ts `channelNames`); this module holds no schema,
 * so a transport that only forwards calls (the browser harness shim) needs no zod.
 */
export function bridgeFrom(
  names: readonly ChannelName[],
  invoke: (channel: ChannelName, args: unknown[]) => Promise<Outcome<unknown>>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void,
): BridgeApi {
  const tree: Tree = {};
  for (const name of names) {
    const dot = name.indexOf('.');
    const ns = name.slice(0, dot);
    const method = name.slice(dot + 1);
    (tree[ns] ??= {})[method] = (...args: unknown[]) => invoke(name, args);
  }
  return { ...tree, on: subscribe } as unknown as BridgeApi;
}
