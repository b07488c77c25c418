import type { ComponentType } from 'react';
import { HomePage } from './features/home/HomePage.tsx';
import { openingFilter, pageQuery } from './features/requests/pages.ts';
import type { Params, Route } from './lib/navigation.ts';
import { queryClient } from './lib/queries.ts';
import { screens } from './screens.ts';

/*
 * The router's table, from screens.ts: Home comes with the app (it is the first screen); every other
 * screen is its own chunk, loaded when first visited (or with the app when the window opens on it),
 * so the form's validators, the table, the dropzone and the settings stay out of the first load.
 */
const modules = import.meta.glob<Record<string, ComponentType>>([
  './features/*/*Page.tsx',
  './features/new/ServicePicker.tsx',
  '!./features/home/HomePage.tsx',
]);

/*
 * What a screen asks first, started as the address changes (on opening too: early.js's answer is
 * taken then). Pratiche always opens on its first page, newest first: its rows are on their way
 * while its chunk loads and its filters draw. A fresh answer (staleTime) is not asked again.
 */
const prepares: Partial<Record<string, (params: Params) => void>> = {
  '/pratiche': () => void queryClient.prefetchQuery(pageQuery(openingFilter, 0)),
};

export const routes: readonly Route[] = [
  ...screens.map((screen): Route => {
    if (screen.path === '/') return { path: '/', Component: HomePage };
    const load = modules[`./${screen.module}`];
    if (!load) throw new Error(`screens.ts: ${screen.module} is not a screen module`);
    const prepare = prepares[screen.path];
    return {
      path: screen.path,
      ...(prepare ? { prepare } : {}),
      load: async () => {
        const component = (await load())[screen.name];
        if (!component) throw new Error(`${screen.module} has no ${screen.name}`);
        return component;
      },
    };
  }),
  // The old confirmation step: the price and the send button are on the form now.
  { path: '/nuova/:draftId/conferma', redirect: (params) => `/nuova/${params.draftId ?? ''}` },
];
