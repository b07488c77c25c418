import type { RequestFilter } from '../../../common/requests.ts';

/*
 * Rows are fetched by page, only the pages on screen: a jump to the end of 10 000 rows asks for
 * the last page at once instead of every page before it. No React or query code here: the
 * renderer's first module asks for the opening page with these very arguments.
 */

export const PAGE = 50;

/** The list as it opens: newest first, in the environment the counter works in (main resolves it). */
export const openingFilter: RequestFilter = { sortBy: 'createdAt', sortDir: 'desc', environment: 'current' };

/** What `requests.list` is asked for page `n` under `filter`. */
export const pageArgs = (
  filter: RequestFilter,
  n: number,
): RequestFilter & { offset: number; limit: number } => ({
  ...filter,
  offset: n * PAGE,
  limit: PAGE,
});
