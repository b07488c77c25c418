import type { RequestFilter } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { keys } from '../../lib/queries.ts';
import { pageArgs } from './paging.ts';

export { openingFilter, PAGE } from './paging.ts';

/** Page `n` of the list under `filter`, as one query (shared by the opening's prefetch and the page). */
export const pageQuery = (filter: RequestFilter, n: number) => ({
  queryKey: [...keys.requests, filter, n] as const,
  queryFn: () => api.requests.list(pageArgs(filter, n)),
});
