import '@mantine/core/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { Layout } from './features/layout/Layout.tsx';
import { openingFilter, pageQuery } from './features/requests/pages.ts';
import './i18n/setup.ts';
import { parseHash, startRouter } from './lib/navigation.ts';
import { queryClient } from './lib/queries.ts';
import { routes } from './routes.ts';
import { cssVariablesResolver, theme } from './theme.ts';

// The notifications' container (and its transitions) comes after the first paint; a notification
// shown before it is there waits in the store and appears with it.
const Notifications = lazy(async () => ({
  default: (await import('@mantine/notifications')).Notifications,
}));

/** How long the first render waits for the opening list's rows (asked early: usually already here). */
const ROWS_WAIT_MS = 60;

/**
 * Renders once the opening screen's code is here, with the list's first page when the window opens
 * on Pratiche (main was asked for it by early.js, before this module was even compiled).
 */
async function start() {
  const screen = startRouter(routes);
  if (parseHash(window.location.hash).pathname === '/pratiche') {
    const rows = queryClient.prefetchQuery(pageQuery(openingFilter, 0));
    await Promise.race([rows, new Promise((resolve) => setTimeout(resolve, ROWS_WAIT_MS))]);
  }
  await screen;
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
}

void start();
