import { createHashRouter, redirect } from 'react-router';
import { HomePage } from './features/home/HomePage.tsx';
import { Layout } from './features/layout/Layout.tsx';

/*
 * Hash routes: they work the same under app:// in Electron and over HTTP in the harness. Home is
 * in the first bundle (it is the first screen); every other screen is its own chunk, loaded when
 * first visited, so the form's validators, the table, the dropzone and the settings stay out of
 * the first load.
 */
export const router = createHashRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      {
        path: '/nuova',
        lazy: async () => ({ Component: (await import('./features/new/ServicePicker.tsx')).ServicePicker }),
      },
      {
        path: '/nuova/:draftId',
        lazy: async () => ({ Component: (await import('./features/new/DraftPage.tsx')).DraftPage }),
      },
      {
        // The old confirmation step: the price and the send button are on the form now.
        path: '/nuova/:draftId/conferma',
        loader: ({ params }) => redirect(`/nuova/${params.draftId ?? ''}`),
      },
      {
        path: '/nuova/:draftId/inviata',
        lazy: async () => ({ Component: (await import('./features/new/SentPage.tsx')).SentPage }),
      },
      {
        path: '/pratiche',
        lazy: async () => ({
          Component: (await import('./features/requests/RequestsPage.tsx')).RequestsPage,
        }),
      },
      {
        path: '/pratiche/:id',
        lazy: async () => ({
          Component: (await import('./features/requests/RequestDetailPage.tsx')).RequestDetailPage,
        }),
      },
      {
        path: '/clienti/:cf',
        lazy: async () => ({ Component: (await import('./features/clients/ClientPage.tsx')).ClientPage }),
      },
      {
        path: '/impostazioni',
        lazy: async () => ({
          Component: (await import('./features/settings/SettingsPage.tsx')).SettingsPage,
        }),
      },
    ],
  },
]);
