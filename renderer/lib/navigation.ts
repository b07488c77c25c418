import type { ComponentType } from 'react';

/*
 * Hash routes (`#/pratiche/<id>`, `#/nuova?cf=…`): they work the same under app:// in Electron and
 * over HTTP in the harness. Written here rather than taken from react-router (93 KB of the first
 * load for the five functions the app used) or wouter (whose hash routing keeps the query outside
 * the hash, so `?cf=` would outlive the screen it was meant for).
 *
 * This file is the router's state and has no React in it: the first module to run (main.tsx) starts
 * the opening screen's code with it before React is even compiled. The hooks are in router.tsx.
 *
 * A screen's code is loaded before the address changes: the screen on view stays until the next one
 * can draw at once, and no screen ever renders half-loaded.
 */

export interface Location {
  /** `/pratiche/abc` (never empty). */
  pathname: string;
  /** `?cf=…` or ''. */
  search: string;
}

export interface Route {
  path: string;
  /** A screen of the first load. */
  Component?: ComponentType;
  /** A screen in its own chunk, loaded on first visit. */
  load?: () => Promise<ComponentType>;
  /** An old address: the one to use instead (replaces it in the history). */
  redirect?: (params: Params) => string;
  /**
   * Starts what the screen will ask first (its data), as the address changes: the answer travels
   * while the screen's code loads and draws, not after.
   */
  prepare?: (params: Params) => void;
}

export type Params = Readonly<Record<string, string | undefined>>;

/** `/pratiche/:id` against `/pratiche/abc` → `{ id: 'abc' }`; null when it does not match. */
export function matchPath(pattern: string, pathname: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(have[i]!);
      } catch {
        return null;
      }
    } else if (part !== have[i]) return null;
  }
  return params;
}

/** The location a hash stands for: `#/nuova?cf=X` → `/nuova` and `?cf=X`. */
export function parseHash(hash: string): Location {
  const text = hash.replace(/^#/, '');
  const at = text.indexOf('?');
  const pathname = (at < 0 ? text : text.slice(0, at)) || '/';
  return {
    pathname: pathname.startsWith('/') ? pathname : `/${pathname}`,
    search: at < 0 ? '' : text.slice(at),
  };
}

interface Match {
  route: Route;
  params: Params;
}

let routes: readonly Route[] = [];
const loaded = new Map<Route, ComponentType>();
const loading = new Map<Route, Promise<ComponentType>>();

export function findRoute(pathname: string): Match | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

/** The screen's code for `pathname`, loaded once (a failed load is tried again next time). */
export function preload(pathname: string): Promise<void> {
  const match = findRoute(pathname);
  const route = match?.route;
  if (!route?.load || loaded.has(route)) return Promise.resolve();
  let pending = loading.get(route);
  if (!pending) {
    pending = route.load().then(
      (Component) => {
        loaded.set(route, Component);
        loading.delete(route);
        return Component;
      },
      (error: unknown) => {
        loading.delete(route);
        throw error;
      },
    );
    loading.set(route, pending);
  }
  return pending.then(() => undefined);
}

/**
 * Loads every screen's code not loaded yet, one at a time, each when `idle` says the page is idle:
 * after the first screen is up, the next ones open without waiting for their code.
 */
export async function prefetchScreens(idle: () => Promise<void>): Promise<void> {
  for (const route of routes) {
    if (!route.load || loaded.has(route)) continue;
    await idle();
    // A screen that fails now is loaded (and its failure shown) when the clerk opens it.
    await preload(route.path).catch(() => undefined);
  }
}

/* The location React draws: changed only once the next screen can be drawn. */
let current: Location = { pathname: '/', search: '' };
let failure: unknown = null;
const listeners = new Set<() => void>();
let generation = 0;

function publish(next: Location, error: unknown = null) {
  current = next;
  failure = error;
  for (const listener of listeners) listener();
}

/** Follows the address bar (Back, Forward, a typed hash, `navigate`), redirects applied. */
function follow() {
  let next = parseHash(window.location.hash);
  let match = findRoute(next.pathname);
  if (match?.route.redirect) {
    window.history.replaceState(window.history.state, '', `#${match.route.redirect(match.params)}`);
    next = parseHash(window.location.hash);
    match = findRoute(next.pathname);
  }
  const mine = ++generation;
  match?.route.prepare?.(match.params);
  preload(next.pathname).then(
    () => mine === generation && publish(next),
    (error: unknown) => mine === generation && publish(next, error),
  );
}

/**
 * Sets the routes and the location to open on. Resolves once the opening screen's code is here, so
 * the first render draws it (the caller renders after this).
 */
export function startRouter(table: readonly Route[]): Promise<void> {
  routes = table;
  current = parseHash(window.location.hash);
  window.addEventListener('hashchange', follow);
  const opening = new Promise<void>((resolve) => {
    const once = () => {
      listeners.delete(once);
      resolve();
    };
    listeners.add(once);
  });
  follow();
  return opening;
}

/**
 * Goes to `to` (`/pratiche/abc`, `/nuova?cf=…`); `replace` takes the current entry's place in the
 * history. Resolves once the new screen is the one React draws.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): Promise<void> {
  const url = `#${to}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  // pushState and replaceState fire no hashchange: follow the new address here.
  follow();
  const target = window.location.hash;
  return new Promise((resolve) => {
    const check = () => {
      if (window.location.hash !== target || `#${current.pathname}${current.search}` === target) {
        listeners.delete(check);
        resolve();
      }
    };
    listeners.add(check);
    check();
  });
}

/** The location React draws, and a way to hear it change (for `useSyncExternalStore`). */
export const routerState = {
  current: (): Location => current,
  failure: (): unknown => failure,
  loaded: (route: Route): ComponentType | undefined => route.Component ?? loaded.get(route),
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
