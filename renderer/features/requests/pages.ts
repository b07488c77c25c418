import type { RequestFilter } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { keys } from '../../lib/queries.ts';

/**
 * Rows are fetched by page, only the pages on screen: a jump to the end of 10 000 rows asks for
 * the last page at once instead of every page before it.
 */
export const PAGE = 50;

/** The list as it opens: newest first, no filter. */
export const openingFilter: RequestFilter = { sortBy: 'createdAt', sortDir: 'desc' };

/** Page `n` of the list under `filter`, as one query (shared by the route's prefetch and the page). */
export const pageQuery = (filter: RequestFilter, n: number) => ({
  queryKey: [...keys.requests, filter, n] as const,
  queryFn: () => api.requests.list({ ...filter, offset: n * PAGE, limit: PAGE }),
});
