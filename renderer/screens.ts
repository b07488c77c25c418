/*
 * The screens: each address and the module holding its component (relative to renderer/). One table
 * for the router (routes.ts) and for early.js, which starts the opening screen's code downloading
 * while the app's own module is still compiling (build/opening-scripts.ts maps each module to its
 * chunks). No React here: early.js must stay small.
 */
export interface Screen {
  path: string;
  module: string;
  /** The component's export name in `module`. */
  name: string;
}

export const screens = [
  { path: '/', module: 'features/home/HomePage.tsx', name: 'HomePage' },
  { path: '/nuova', module: 'features/new/ServicePicker.tsx', name: 'ServicePicker' },
  { path: '/nuova/:draftId', module: 'features/new/DraftPage.tsx', name: 'DraftPage' },
  { path: '/nuova/:draftId/inviata', module: 'features/new/SentPage.tsx', name: 'SentPage' },
  { path: '/pratiche', module: 'features/requests/RequestsPage.tsx', name: 'RequestsPage' },
  { path: '/pratiche/:id', module: 'features/requests/RequestDetailPage.tsx', name: 'RequestDetailPage' },
  { path: '/clienti/:cf', module: 'features/clients/ClientPage.tsx', name: 'ClientPage' },
  { path: '/impostazioni', module: 'features/settings/SettingsPage.tsx', name: 'SettingsPage' },
] as const satisfies readonly Screen[];
