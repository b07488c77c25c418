import {
  createContext,
  createElement,
  useContext,
  useMemo,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { findRoute, navigate, routerState, type Location, type Params } from './navigation.ts';

/* The router's React side: hooks and the outlet; the state and the routes are in navigation.ts. */

export { navigate };

export function useLocation(): Location {
  return useSyncExternalStore(routerState.subscribe, routerState.current);
}

export function useNavigate(): typeof navigate {
  return navigate;
}

const ParamsContext = createContext<Params>({});

export function useParams(): Params {
  return useContext(ParamsContext);
}

/** The query of the hash, and a way to change it (the path stays). */
export function useSearchParams(): [
  URLSearchParams,
  (next: Record<string, string>, options?: { replace?: boolean }) => void,
] {
  const { pathname, search } = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const set = (next: Record<string, string>, options?: { replace?: boolean }) => {
    const query = new URLSearchParams(next).toString();
    void navigate(query ? `${pathname}?${query}` : pathname, options);
  };
  return [params, set];
}

/** The screen the address names, or `fallback` (unknown address, or its code failed to load). */
export function Outlet({ fallback }: { fallback: (error: unknown) => ReactNode }) {
  const location = useLocation();
  const match = findRoute(location.pathname);
  const Component = match ? routerState.loaded(match.route) : undefined;
  if (!match || !Component) return fallback(routerState.failure());
  // Looked up, not made here: the same route keeps its component (and its state) across addresses.
  return (
    <ParamsContext.Provider value={match.params}>
      {createElement(Component, { key: match.route.path })}
    </ParamsContext.Provider>
  );
}
