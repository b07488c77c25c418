import { createHashRouter, matchPath, redirect } from 'react-router';
import { HomePage } from './features/home/HomePage.tsx';
import { Layout } from './features/layout/Layout.tsx';
import { openingFilter, pageQuery } from './features/requests/pages.ts';
import { queryClient } from './lib/queries.ts';

/*
 * Hash routes: they work the same under app:// in Electron and over HTTP in the harness. Home is
 * in the first bundle (it is the first screen); every other screen is its own chunk, loaded when
 * first visited, so the form's validators, the table, the dropzone and the settings stay out of
 * the first load.
 */

const screens = {
  '/nuova': async () => ({ Component: (await import('./features/new/ServicePicker.tsx')).ServicePicker }),
  '/nuova/:draftId': async () => ({ Component: (await import('./features/new/DraftPage.tsx')).DraftPage }),
  '/nuova/:draftId/inviata': async () => ({
    Component: (await import('./features/new/SentPage.tsx')).SentPage,
  }),
  '/pratiche': async () => ({
    Component: (await import('./features/requests/RequestsPage.tsx')).RequestsPage,
  }),
  '/pratiche/:id': async () => ({
    Component: (await import('./features/requests/RequestDetailPage.tsx')).RequestDetailPage,
  }),
  '/clienti/:cf': async () => ({ Component: (await import('./features/clients/ClientPage.tsx')).ClientPage }),
  '/impostazioni': async () => ({
    Component: (await import('./features/settings/SettingsPage.tsx')).SettingsPage,
  }),
} as const;

/** The first page of the list is asked for while the screen's code loads, not after. */
const prefetchRequests = () => {
  void queryClient.prefetchQuery(pageQuery(openingFilter, 0));
  return null;
};

// The screen the window opens on starts loading with the app, not after React's first render.
const opening = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
for (const [path, load] of Object.entries(screens)) {
  if (!matchPath(path, opening)) continue;
  void load();
  if (path === '/pratiche') prefetchRequests();
}

export const router = createHashRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/nuova', lazy: screens['/nuova'] },
      { path: '/nuova/:draftId', lazy: screens['/nuova/:draftId'] },
      {
        // The old confirmation step: the price and the send button are on the form now.
        path: '/nuova/:draftId/conferma',
        loader: ({ params }) => redirect(`/nuova/${params.draftId ?? ''}`),
      },
      { path: '/nuova/:draftId/inviata', lazy: screens['/nuova/:draftId/inviata'] },
      { path: '/pratiche', loader: prefetchRequests, lazy: screens['/pratiche'] },
      { path: '/pratiche/:id', lazy: screens['/pratiche/:id'] },
      { path: '/clienti/:cf', lazy: screens['/clienti/:cf'] },
      { path: '/impostazioni', lazy: screens['/impostazioni'] },
    ],
  },
]);
