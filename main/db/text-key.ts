/*
 * The keys of the request log's text index (`requests_text`, SQLite migration 003), for the code
 * that queries it. The migration keeps its own frozen copy of the same formula: migrations import
 * nothing that may change (test/integration/db/search-index.test.ts checks the two agree).
 */

/** 2^30: the low bits of a text-index key hold the row's rowid, the high ones its second of creation. */
export const TEXT_KEY_ROWID_BITS = 1073741824;

/**
 * The key of a row in `requests_text`, from a `created_at` in ms (clamped to ±8e9 s so that the
 * product stays an integer): rows sort by creation in the index, and a date range of the list is a
 * range of keys the full-text query skips to. `key & (2^30 - 1)` is the row's rowid.
 */
export const textKey = (createdAt: string) =>
  `(min(max(cast(${createdAt} AS INTEGER) / 1000, -8000000000), 8000000000) * ${TEXT_KEY_ROWID_BITS})`;
