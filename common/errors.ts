import { z } from 'zod';

/**
 * Every failure that crosses from main to the renderer carries one of these codes. The renderer
 * translates the code (i18n key `errors.<code>`); `message` is the technical text for the log.
 */
export const errorCodes = [
  // Visengine answers
  'unauthorized',
  'insufficient_credit',
  'validation_failed',
  'not_found',
  'already_closed',
  'not_yet_available',
  'conflict',
  'server_error',
  'bad_response',
  'network',
  'timeout',
  'too_large',
  /** The counter's own token reached its spending cap (limits.walletAmount): refused, nothing created or charged. */
  'spending_cap',
  // local rules
  'invalid_argument',
  'no_api_key',
  'scopes_unavailable',
  /** The account (or the ready token) lacks the scope a call needs: not tried (details.scope names it). */
  'scope_missing',
  'vault_unavailable',
  'price_changed',
  'service_changed',
  /** The outcome of an uncertain POST cannot be decided from the API: the clerk chooses among candidates. */
  'needs_decision',
  /** The open request this draft owned was cancelled on the service: it goes back to the draft. */
  'remote_cancelled',
  /** Another counter of the office holds the request's sending lease (details.counter: its name). */
  'claimed_elsewhere',
  /** The request must be sent again, but its scans are on the counter that created it (details.counter). */
  'files_elsewhere',
  /** The office's documents on file are sealed with a key not yet granted to this counter. */
  'documents_not_granted',
  'file_type',
  'file_too_large',
  'budget_exceeded',
  'unsafe_archive',
  'draft_not_found',
  'request_not_found',
  'not_allowed',
  /** The page named a file nobody dropped or chose (nor main handed over): nothing was read. */
  'path_not_granted',
  /**
   * A path the register records points outside this counter's own folders (archive, scans, client
   * documents): nothing opened, checked or deleted there; the row is shown under «Da controllare».
   */
  'register_path_refused',
  /** The clerk did not confirm, in main's own dialog, a change the page asked for. */
  'not_confirmed',
  'scanner_unavailable',
  /** The office's register (PostgreSQL) does not answer: nothing was recorded nor sent. */
  'office_unreachable',
  /**
   * The office database's kept password belongs to another server (details: host, port, database,
   * user, tls): it must be typed again.
   */
  'office_password_bound',
  /** The OS keystore cannot protect what would be kept (documents on file). */
  'keystore_unavailable',
  'internal',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const appErrorDataSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** True when the server may have acted although the call failed (POST/PUT timeouts, resets). */
  ambiguous: z.boolean().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AppErrorData = z.infer<typeof appErrorDataSchema>;

// The renderer's error class lives apart (common/api-error.ts), without zod, so the first screen loads without it.

/** What a transport carries back for every call: never a thrown object, always plain data. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };
