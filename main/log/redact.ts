/*
 * What may reach a log file: identifiers, states, timings. Never a key, a document, or a full
 * codice fiscale (DOMAIN.md, Privacy).
 */

// Bounded by anything but a letter or a digit: `_` and `.` too, as in "RSSMRA85T10A562S_fronte.jpg"
// (`\b` counts `_` as part of a word and let such names through whole).
const CF =
  /(?<![A-Z0-9])([A-Z]{3})[A-Z]{3}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}([A-Z])(?![A-Z0-9])/gi;
const BEARER = /Bearer\s+[^\s"']+/gi;
const DATA_URL = /data:[\w.+-]+\/[\w.+-]+;base64,[A-Za-z0-9+/=]+/g;
const SECRET_KEY = /token|apikey|api_key|authorization|password|secret|^key$/i;
const MAX_STRING = 500;

/** Masks a codice fiscale to its first three and last letters: RSS************S. */
export function maskCodiceFiscale(text: string): string {
  return text.replace(CF, (_m, head: string, tail: string) => `${head}${'*'.repeat(12)}${tail}`);
}

export function redactText(text: string): string {
  let out = maskCodiceFiscale(
    text.replace(BEARER, 'Bearer [redatto]').replace(DATA_URL, 'data:[file omesso]'),
  );
  if (out.length > MAX_STRING) out = `${out.slice(0, MAX_STRING)}…[${out.length} caratteri]`;
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 5) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? '[redatto]' : redact(v, depth + 1);
  return out;
}

/**
 * What the log keeps of a failure: its kind, its code and where it happened, never its message
 * (messages are built from answers, file paths and names: "ENOENT … 'Rossi Mario – …/esito.pdf'").
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const fields: Record<string, unknown> = { error: error.name };
  for (const key of ['code', 'errno', 'syscall', 'status'] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .map((line) => line.trim());
  if (frames.length) fields.at = frames;
  return fields;
}
