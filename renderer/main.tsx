import '@mantine/core/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { Layout } from './features/layout/Layout.tsx';
import './i18n/setup.ts';
import { prefetchScreens, startRouter } from './lib/navigation.ts';
import { queryClient } from './lib/queries.ts';
import { routes } from './routes.ts';
import { cssVariablesResolver, theme } from './theme.ts';

// The notifications' container (and its transitions) comes after the first paint; a notification
// shown before it is there waits in the store and appears with it.
const Notifications = lazy(async () => ({
  default: (await import('@mantine/notifications')).Notifications,
}));

/**
 * Renders once the opening screen's code is here (early.js started it downloading). The screen's
 * first data (routes.ts: Pratiche's first page, taken from early.js's answer) travels meanwhile;
 * the frame does not wait for it: the rows follow as soon as they are here.
 */
async function start() {
  await startRouter(routes);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
        <Suspense fallback={null}>
          <Notifications position="top-right" />
        </Suspense>
        <QueryClientProvider client={queryClient}>
          <Layout />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
  // A second after the first screen, in the page's idle moments: the other screens' code, so that
  // going from Home to Pratiche or to a new request never waits for a download.
  setTimeout(() => {
    void prefetchScreens(
      () => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 5_000 })),
    );
  }, 1_000);
}

void start();
