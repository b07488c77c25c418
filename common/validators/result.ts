/**
 * Why a value was refused. `code` is a stable key the renderer translates (i18n); `message` is
 * the Italian text for logs and main-side errors; `params` fill the translated text. Neither ever
 * quotes the value itself: messages reach log files, and a CF or a phone number must not.
 */
export type FieldIssue = { code: string; message: string; params?: Record<string, string | number> };

/** `value` is the normalised value to send to the API; `info` what the check learned on the way. */
export type Check<T = undefined> = { ok: true; value: string; info?: T } | { ok: false; issue: FieldIssue };

export function accept<T = undefined>(value: string, info?: T): Check<T> {
  return info === undefined ? { ok: true, value } : { ok: true, value, info };
}

export function refuse(
  code: string,
  message: string,
  params?: Record<string, string | number>,
): { ok: false; issue: FieldIssue } {
  return { ok: false, issue: params === undefined ? { code, message } : { code, message, params } };
}
