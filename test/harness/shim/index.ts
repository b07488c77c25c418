/*
 * `window.api` in a plain browser: the same bridge the preload builds, over HTTP (calls) and
 * server-sent events (pushes) to the test harness. Loaded as a classic script before the
 * renderer's module, so the renderer finds `window.api` exactly as it does in Electron.
 */
import type { ChannelName, EventName } from '../../../common/api.ts';
import { bridgeFrom } from '../../../common/bridge-tree.ts';
import type { Outcome } from '../../../common/errors.ts';
import { parse, stringify, type Base64 } from '../codec.ts';

const base64: Base64 = {
  encode(bytes) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  },
  decode(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  },
};

/*
 * The contract's channel and event names, written in by the harness server when it bundles this
 * script (test/harness/server.ts, from common/api.ts): the shim only forwards calls, main checks
 * every argument, so the schemas (and zod) stay out of the page, as in the app's renderer.
 */
declare const __CHANNEL_NAMES__: ChannelName[];
declare const __EVENT_NAMES__: EventName[];
const eventNames = __EVENT_NAMES__;

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
const source = new EventSource('/__harness/events');
for (const name of eventNames) {
  source.addEventListener(name, (message: MessageEvent<string>) => {
    const payload = parse(message.data, base64);
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
}

window.api = bridgeFrom(
  __CHANNEL_NAMES__,
  async (channel, args) => {
    // JSON has no `undefined`: a trailing optional argument left out must not arrive as null.
    const sent = [...args];
    while (sent.length && sent.at(-1) === undefined) sent.pop();
    try {
      const response = await fetch(`/__harness/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: stringify(sent, base64),
      });
      return parse(await response.text(), base64) as Outcome<unknown>;
    } catch (error) {
      // The harness itself is gone: the renderer sees what it would see if main were unreachable.
      return { ok: false, error: { code: 'internal', message: `harness: ${String(error)}` } };
    }
  },
  (event, listener) => {
    if (!eventNames.includes(event)) throw new Error(`evento sconosciuto: ${String(event)}`);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  },
);
