import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Navigation from '../../../renderer/lib/navigation.ts';

/*
 * The router's state under Node: the window's address bar and history are the only browser parts it
 * touches, so the test gives it a small one (hash, pushState/replaceState, hashchange) and checks
 * what the clerk would see: the screen drawn only once its code is here, old addresses redirected,
 * Back followed, a failed load reported, the last navigation winning.
 */

class AddressBar {
  hash = '';
  entries: string[] = [''];
  at = 0;
  private listeners: (() => void)[] = [];
  readonly location = this as unknown as { hash: string };
  readonly history = {
    state: null,
    pushState: (_state: unknown, _title: string, url: string) => {
      this.entries = [...this.entries.slice(0, this.at + 1), url];
      this.at++;
      this.hash = url;
    },
    replaceState: (_state: unknown, _title: string, url: string) => {
      this.entries[this.at] = url;
      this.hash = url;
    },
  };
  addEventListener(type: string, listener: () => void) {
    if (type === 'hashchange') this.listeners.push(listener);
  }
  /** The user presses Back: the address changes, then hashchange. */
  back() {
    this.at--;
    this.hash = this.entries[this.at]!;
    for (const listener of this.listeners) listener();
  }
}

const screen = (name: string) => Object.assign(() => null, { displayName: name });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let bar: AddressBar;
let nav: typeof Navigation;

beforeEach(async () => {
  bar = new AddressBar();
  vi.stubGlobal('window', bar);
  vi.resetModules();
  nav = await import('../../../renderer/lib/navigation.ts');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('addresses', () => {
  it('matches a pattern and decodes its parameters', () => {
    expect(nav.matchPath('/pratiche/:id', '/pratiche/a%20b')).toEqual({ id: 'a b' });
    expect(nav.matchPath('/pratiche/:id', '/pratiche')).toBeNull();
    expect(nav.matchPath('/pratiche', '/pratiche/')).toEqual({});
    expect(nav.matchPath('/nuova/:draftId/inviata', '/nuova/x/conferma')).toBeNull();
    expect(nav.matchPath('/clienti/:cf', '/clienti/%E0%A4%A')).toBeNull();
  });

  it('reads the query inside the hash, and an empty hash as Home', () => {
    expect(nav.parseHash('#/nuova?cf=RSSMRA85T10A562S')).toEqual({
      pathname: '/nuova',
      search: '?cf=RSSMRA85T10A562S',
    });
    expect(nav.parseHash('')).toEqual({ pathname: '/', search: '' });
    expect(nav.parseHash('#pratiche')).toEqual({ pathname: '/pratiche', search: '' });
  });
});

describe('navigation', () => {
  it('opens on the screen of the address once its code is here', async () => {
    bar.hash = '#/pratiche';
    let release: (c: () => null) => void = () => {};
    const Pratiche = screen('Pratiche');
    const started = nav.startRouter([
      { path: '/', Component: screen('Home') },
      { path: '/pratiche', load: () => new Promise((resolve) => (release = resolve)) },
    ]);
    let opened = false;
    void started.then(() => (opened = true));
    await settle();
    expect(opened).toBe(false);
    release(Pratiche);
    await started;
    expect(nav.routerState.current().pathname).toBe('/pratiche');
    expect(nav.routerState.loaded(nav.findRoute('/pratiche')!.route)).toBe(Pratiche);
  });

  it("starts a screen's data as the address changes, before its code is here", async () => {
    const events: string[] = [];
    let release: (c: () => null) => void = () => {};
    await nav.startRouter([
      { path: '/', Component: screen('Home'), prepare: () => events.push('home data') },
      {
        path: '/pratiche/:id',
        prepare: (params) => events.push(`data of ${params.id}`),
        load: () => {
          events.push('code asked');
          return new Promise((resolve) => (release = resolve));
        },
      },
      { path: '/vecchia/:id', redirect: (p) => `/pratiche/${p.id ?? ''}` },
    ]);
    expect(events).toEqual(['home data']);
    const going = nav.navigate('/vecchia/abc');
    expect(events).toEqual(['home data', 'data of abc', 'code asked']);
    release(screen('Detail'));
    await going;
    expect(nav.routerState.current().pathname).toBe('/pratiche/abc');
  });

  it('keeps the screen on view until the next one can be drawn, then follows Back', async () => {
    let release: (c: () => null) => void = () => {};
    await nav.startRouter([
      { path: '/', Component: screen('Home') },
      { path: '/impostazioni', load: () => new Promise((resolve) => (release = resolve)) },
    ]);
    const going = nav.navigate('/impostazioni');
    await settle();
    expect(bar.hash).toBe('#/impostazioni');
    expect(nav.routerState.current().pathname).toBe('/');
    release(screen('Settings'));
    await going;
    expect(nav.routerState.current().pathname).toBe('/impostazioni');
    bar.back();
    await settle();
    expect(nav.routerState.current().pathname).toBe('/');
  });

  it('replaces an old address by its new one in the history', async () => {
    bar.hash = '#/nuova/abc/conferma';
    await nav.startRouter([
      { path: '/nuova/:draftId', Component: screen('Draft') },
      { path: '/nuova/:draftId/conferma', redirect: (p) => `/nuova/${p.draftId ?? ''}` },
    ]);
    expect(bar.hash).toBe('#/nuova/abc');
    expect(bar.entries).toEqual(['#/nuova/abc']);
    expect(nav.routerState.current().pathname).toBe('/nuova/abc');
  });

  it('reports a screen whose code did not load, and loads it again next time', async () => {
    let attempts = 0;
    await nav.startRouter([
      { path: '/', Component: screen('Home') },
      {
        path: '/pratiche',
        load: async () => {
          attempts++;
          if (attempts === 1) throw new Error('chunk missing');
          return screen('Pratiche');
        },
      },
    ]);
    await nav.navigate('/pratiche');
    expect(nav.routerState.failure()).toBeInstanceOf(Error);
    await nav.navigate('/');
    expect(nav.routerState.failure()).toBeNull();
    await nav.navigate('/pratiche');
    expect(nav.routerState.failure()).toBeNull();
    expect(attempts).toBe(2);
  });

  it('draws the last place asked for when two navigations overlap', async () => {
    let release: (c: () => null) => void = () => {};
    await nav.startRouter([
      { path: '/', Component: screen('Home') },
      { path: '/impostazioni', load: () => new Promise((resolve) => (release = resolve)) },
      { path: '/pratiche', Component: screen('Pratiche') },
    ]);
    void nav.navigate('/impostazioni');
    await nav.navigate('/pratiche');
    release(screen('Settings'));
    await settle();
    expect(nav.routerState.current().pathname).toBe('/pratiche');
  });
});

describe('the other screens, once the first is up', () => {
  it('load one at a time in idle moments, each once, a failure left for when it is opened', async () => {
    const loads: string[] = [];
    const load =
      (name: string, fail = false) =>
      async () => {
        loads.push(name);
        if (fail) throw new Error('offline');
        return screen(name);
      };
    await nav.startRouter([
      { path: '/', Component: screen('Home') },
      { path: '/nuova', load: load('Nuova') },
      { path: '/pratiche/:id', load: load('Detail', true) },
      { path: '/impostazioni', load: load('Settings') },
    ]);
    await nav.navigate('/impostazioni');
    let idles = 0;
    await nav.prefetchScreens(async () => {
      idles++;
      expect(loads).toHaveLength(idles);
    });
    expect(loads).toEqual(['Settings', 'Nuova', 'Detail']);
    expect(idles).toBe(2);
    expect(nav.routerState.loaded(nav.findRoute('/nuova')!.route)).toBeDefined();
    expect(nav.routerState.loaded(nav.findRoute('/pratiche/x')!.route)).toBeUndefined();
  });
});
