import { createHashRouter } from 'react-router';
import { HomePage } from './features/home/HomePage.tsx';
import { Layout } from './features/layout/Layout.tsx';
import { ConfirmPage } from './features/new/ConfirmPage.tsx';
import { DraftPage } from './features/new/DraftPage.tsx';
import { ServicePicker } from './features/new/ServicePicker.tsx';
import { RequestDetailPage } from './features/requests/RequestDetailPage.tsx';
import { RequestsPage } from './features/requests/RequestsPage.tsx';
import { SettingsPage } from './features/settings/SettingsPage.tsx';

/** Hash routes: they work the same under app:// in Electron and over HTTP in the harness. */
export const router = createHashRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/nuova', element: <ServicePicker /> },
      { path: '/nuova/:draftId', element: <DraftPage /> },
      { path: '/nuova/:draftId/conferma', element: <ConfirmPage /> },
      { path: '/pratiche', element: <RequestsPage /> },
      { path: '/pratiche/:id', element: <RequestDetailPage /> },
      { path: '/impostazioni', element: <SettingsPage /> },
    ],
  },
]);
