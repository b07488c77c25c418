import type { ComponentType } from 'react';
import { HomePage } from './features/home/HomePage.tsx';
import type { Route } from './lib/navigation.ts';
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

export const routes: readonly Route[] = [
  ...screens.map((screen): Route => {
    if (screen.path === '/') return { path: '/', Component: HomePage };
    const load = modules[`./${screen.module}`];
    if (!load) throw new Error(`screens.ts: ${screen.module} is not a screen module`);
    return {
      path: screen.path,
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
