import { QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
    mutations: { retry: false },
  },
});

export const keys = {
  info: ['app.info'] as const,
  credit: ['app.credit'] as const,
  catalog: ['catalog.list'] as const,
  detail: (hash: string) => ['catalog.detail', hash] as const,
  draft: (id: string) => ['drafts.get', id] as const,
  home: ['requests.home'] as const,
  refusedPaths: ['register.refusedPaths'] as const,
  requests: ['requests.list'] as const,
  request: (id: string) => ['requests.get', id] as const,
  settings: ['settings.get'] as const,
  credentials: ['settings.credentials'] as const,
  office: ['office.status'] as const,
  filesAccess: ['clients.filesAccess'] as const,
  /** Every client query (`clients.get`, `clients.search`): their keys start with this. */
  clients: ['clients'] as const,
  client: (cf: string | null) => ['clients', 'get', cf] as const,
  clientSearch: (text: string) => ['clients', 'search', text] as const,
};

/**
 * Everything that shows a request, asked again after it changed (sent, cancelled, refreshed,
 * discarded…): the same whether this page made the change or main pushed it.
 */
export function invalidateRequest(client: QueryClient, id: string): void {
  void client.invalidateQueries({ queryKey: keys.home });
  void client.invalidateQueries({ queryKey: keys.requests });
  void client.invalidateQueries({ queryKey: keys.request(id) });
  // A submission may have charged the wallet (main's cached answer is dropped with it).
  void client.invalidateQueries({ queryKey: keys.credit });
  // … and changed what is known of its client: requests, outputs, documents kept on file.
  void client.invalidateQueries({ queryKey: keys.clients });
}

/** Keeps every screen live: main pushes each change, the affected queries refetch. */
export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    const offRequest = api.on('requestChanged', (summary) => invalidateRequest(client, summary.id));
    // The office's notices were missed for a while: everything that shows requests reads again.
    const offStale = api.on('requestsStale', () => {
      void client.invalidateQueries({ queryKey: keys.home });
      void client.invalidateQueries({ queryKey: keys.requests });
      void client.invalidateQueries({ queryKey: ['requests.get'] });
      void client.invalidateQueries({ queryKey: keys.clients });
    });
    const offCatalog = api.on('catalogUpdated', () => {
      void client.invalidateQueries({ queryKey: keys.catalog });
    });
    const offSettings = api.on('settingsChanged', (preferences) => {
      client.setQueryData(keys.settings, preferences);
      void client.invalidateQueries({ queryKey: keys.info });
      void client.invalidateQueries({ queryKey: keys.credit });
      // Another environment: Home's account items and the list's "current" environment are others.
      void client.invalidateQueries({ queryKey: keys.home });
      void client.invalidateQueries({ queryKey: keys.requests });
    });
    return () => {
      offRequest();
      offStale();
      offCatalog();
      offSettings();
    };
  }, [client]);
}
