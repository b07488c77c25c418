import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BridgeApi } from '../../../common/api.ts';
import { unwrapApi } from '../../../common/client-api.ts';
import { askEarly, takeEarly } from '../../../renderer/lib/early.ts';

/*
 * early.js asks main for the opening screen's data before the app's module runs; the app's first
 * queries take those answers. Each is used once, for the same call only, and only while fresh.
 */

function bridge() {
  const calls: string[] = [];
  const answer =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push(`${name} ${JSON.stringify(args)}`);
      return Promise.resolve({ ok: true, value: `${name}#${calls.length}` });
    };
  const api = {
    app: { info: answer('app.info') },
    requests: { list: answer('requests.list'), home: answer('requests.home') },
    on: () => () => {},
  } as unknown as BridgeApi;
  return { api, calls };
}

beforeEach(() => {
  vi.stubGlobal('window', {});
  vi.useFakeTimers({ toFake: ['performance'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('answers asked early', () => {
  it('are taken once by the same call, then main is asked again', async () => {
    const { api, calls } = bridge();
    askEarly(api, [
      ['app.info'],
      ['requests.list', { sortBy: 'createdAt', sortDir: 'desc', offset: 0, limit: 50 }],
    ]);
    expect(calls).toHaveLength(2);
    const client = unwrapApi(api, takeEarly);
    expect(await client.app.info()).toBe('app.info#1');
    expect(await client.app.info()).toBe('app.info#3');
    // Other arguments are another question: asked of main.
    expect(await client.requests.list({ sortBy: 'createdAt', sortDir: 'desc', offset: 50, limit: 50 })).toBe(
      'requests.list#4',
    );
    expect(await client.requests.list({ sortBy: 'createdAt', sortDir: 'desc', offset: 0, limit: 50 })).toBe(
      'requests.list#2',
    );
    expect(calls).toHaveLength(4);
  });

  it('are not used once stale: the query asks main', async () => {
    const { api, calls } = bridge();
    askEarly(api, [['requests.home']]);
    vi.advanceTimersByTime(11_000);
    const client = unwrapApi(api, takeEarly);
    expect(await client.requests.home()).toBe('requests.home#2');
    expect(calls).toHaveLength(2);
  });

  it('never look at the arguments of a call not asked early, nor of any call once used up', async () => {
    const { api } = bridge();
    askEarly(api, [['app.info']]);
    const untouchable = {
      toJSON() {
        throw new Error('serialised');
      },
    };
    expect(takeEarly('attachments.add', ['id', '$5', untouchable])).toBeUndefined();
    expect(takeEarly('app.info', [])).toBeDefined();
    expect(takeEarly('app.info', [untouchable])).toBeUndefined();
  });

  it('are not asked again when the app asked main itself before early.js ran (a late early.js)', async () => {
    const { api, calls } = bridge();
    const client = unwrapApi(api, takeEarly);
    const list = { sortBy: 'createdAt', sortDir: 'desc', offset: 0, limit: 50 } as const;
    expect(await client.requests.list(list)).toBe('requests.list#1');
    askEarly(api, [['requests.list', list], ['app.info']]);
    expect(calls).toEqual([`requests.list ${JSON.stringify([list])}`, 'app.info []']);
    expect(await client.app.info()).toBe('app.info#2');
    // Asked later, the list is main's to answer, as any call.
    expect(await client.requests.list(list)).toBe('requests.list#3');
  });

  it('are none without early.js (as under `electron-vite dev`)', async () => {
    const { api, calls } = bridge();
    expect(takeEarly('app.info', [])).toBeUndefined();
    expect(await unwrapApi(api, takeEarly).app.info()).toBe('app.info#1');
    expect(calls).toHaveLength(1);
  });
});
