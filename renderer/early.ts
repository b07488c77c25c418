import { openingFilter, pageArgs } from './features/requests/paging.ts';
import { askEarly } from './lib/early.ts';
import { matchPath, parseHash } from './lib/navigation.ts';
import { screens } from './screens.ts';

/*
 * A script of its own (out/renderer/early.js, built by build/opening-scripts.ts), run before the
 * app's module is compiled. It starts what the opening screen needs so that it travels while React
 * and Mantine compile: the screen's chunks (when the window opens on a screen other than Home), and
 * main's answers for what the frame and the screen show.
 */

declare const __SCREEN_CHUNKS__: Record<string, string[]>;

const opening = parseHash(window.location.hash).pathname;
const screen = screens.find((s) => matchPath(s.path, opening));
for (const file of screen ? (__SCREEN_CHUNKS__[screen.module] ?? []) : []) {
  const link = document.createElement('link');
  link.rel = 'modulepreload';
  link.href = `./${file}`;
  document.head.append(link);
}

const ask = () =>
  askEarly(window.api, [
    // The screen's own data first (main answers in order), then what the frame shows everywhere.
    ...(opening === '/' ? ([['requests.home']] as const) : []),
    ...(opening === '/pratiche' ? ([['requests.list', pageArgs(openingFilter, 0)]] as const) : []),
    ['app.info'],
    ['settings.get'],
    ['app.credit'],
    ['office.status'],
  ]);
// Run as soon as it arrives (async): the bridge is there already in the app (the preload); in the
// browser harness its shim is a deferred script, done by DOMContentLoaded.
if (window.api) ask();
else document.addEventListener('DOMContentLoaded', ask, { once: true });
