import { z } from 'zod';
import { environmentSchema } from './environments.ts';
import { errorCodeSchema } from './errors.ts';

/**
 * The Visengine permissions the app needs, one per method and first path segment. On Openapi a
 * scope reads `METHOD:<host>/<segment>` (`POST:test.visengine2.altravia.com/richiesta`); the host is
 * the environment's, so the list here names only method and segment.
 */
export const visengineScopes = [
  'GET /visure',
  'GET /richiesta',
  'POST /richiesta',
  'PUT /richiesta',
  'DELETE /richiesta',
  'GET /documento',
] as const;
export const visengineScopeSchema = z.enum(visengineScopes);
export type VisengineScope = z.infer<typeof visengineScopeSchema>;

/** `POST /richiesta` on host `h` → `POST:h/richiesta`, as Openapi's OAuth API spells scopes. */
export function scopeString(scope: VisengineScope, host: string): string {
  const [method, path] = scope.split(' ') as [string, string];
  return `${method}:${host}${path}`;
}

/** The reverse of scopeString for one host: null when the text is another API's or another host's. */
export function scopeOf(text: string, host: string): VisengineScope | null {
  return visengineScopes.find((s) => scopeString(s, host) === text) ?? null;
}

/**
 * The needed scopes an account has, from its `GET /scopes` list (`METHOD:domain/endpoint`, `*` for
 * any method or endpoint; `enabled: false`, an API not active). Null when the list names none of
 * them at all, enabled or not: then it cannot tell (another API's list, another spelling).
 */
export function grantedScopes(
  listed: readonly { scope: string; enabled: boolean }[],
  host: string,
): VisengineScope[] | null {
  const entries = listed
    .map((l) => ({ parts: /^([A-Z*]+):([^/\s]+)\/(\S+)$/i.exec(l.scope.trim()), enabled: l.enabled }))
    .filter((e) => e.parts !== null)
    .map((e) => ({
      method: e.parts![1]!.toUpperCase(),
      domain: e.parts![2]!.toLowerCase(),
      endpoint: e.parts![3]!,
      enabled: e.enabled,
    }));
  const covers = (e: (typeof entries)[number], scope: VisengineScope) => {
    const [method, path] = scope.split(' ') as [string, string];
    return (
      (e.method === '*' || e.method === method) &&
      e.domain === host.toLowerCase() &&
      (e.endpoint === '*' || `/${e.endpoint}` === path)
    );
  };
  if (!visengineScopes.some((s) => entries.some((e) => covers(e, s)))) return null;
  return visengineScopes.filter((s) => entries.some((e) => e.enabled && covers(e, s)));
}

/** An API key or a token: opaque; this only rejects what cannot be one (spaces, control chars). */
export const secretSchema = z
  .string()
  .trim()
  .min(8, 'Troppo corta: controllate di averla copiata tutta')
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'Contiene caratteri non ammessi (spazi o simili)');

export const accountEmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'Email dell’account Openapi non valida' }));

/**
 * What the renderer may know about an environment's Openapi credentials: never a secret.
 * `key`: the account email and API key (the app makes its own token and renews it);
 * `token`: a ready token only (Visengine works, the wallet cannot be read);
 * `builtin`: Prova's simulator, nothing to set.
 */
export const credentialStatusSchema = z.object({
  environment: environmentSchema,
  kind: z.enum(['none', 'key', 'token', 'builtin']),
  /** The account email given with the key (or remembered from earlier settings), to prefill the form. */
  email: z.string().nullable(),
  /** The last four characters, to recognise which API key is set. */
  keyHint: z.string().nullable(),
  tokenHint: z.string().nullable(),
  /** When the token expires (ms since the epoch); null when unknown (a ready token) or none yet. */
  tokenExpiresAt: z.number().nullable(),
  /** The scopes the app's token was issued with; null when unknown (a ready token). */
  tokenScopes: z.array(visengineScopeSchema).nullable(),
  /**
   * The needed scopes these credentials lack (the account's, when the app made the token; a ready
   * token's, as "Prova connessione" last found): what needs one is not tried, and says why.
   */
  missingScopes: z.array(visengineScopeSchema),
  /** The office's spending cap for this counter's token, in euro (`limits.walletAmount`); null: none. */
  spendingCap: z.number().nullable(),
  /** False when the OS keystore is unavailable: the secrets are kept for this session only. */
  persisted: z.boolean(),
  /** True when the saved secrets can no longer be decrypted (keystore changed): enter them again. */
  unreadable: z.boolean(),
  /** The wallet's credit and transactions can be read (they need the email and the API key). */
  wallet: z.boolean(),
});
export type CredentialStatus = z.infer<typeof credentialStatusSchema>;

/** One needed scope as "Prova connessione" found it. */
export const scopeCheckSchema = z.object({
  scope: visengineScopeSchema,
  /** `unknown`: neither the token's own list nor a probe could tell (network trouble). */
  status: z.enum(['granted', 'missing', 'unknown']),
});
export type ScopeCheck = z.infer<typeof scopeCheckSchema>;

/** "Prova connessione": the catalog answered, which scopes work, whether the wallet can be read. */
export const connectionCheckSchema = z.object({
  environment: environmentSchema,
  /** Services in the catalog; null when `GET /visure` is not allowed. */
  services: z.number().int().nullable(),
  latencyMs: z.number(),
  credentials: z.enum(['key', 'token', 'builtin']),
  scopes: z.array(scopeCheckSchema),
  tokenExpiresAt: z.number().nullable(),
  wallet: z.object({
    /** `no_key`: a ready token only, the wallet needs the email and the API key. */
    status: z.enum(['ok', 'no_key', 'error']),
    credit: z.number().nullable(),
    error: errorCodeSchema.nullable(),
  }),
});
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

/** A spending cap as the office types it: euro, more than nothing, to the cent. */
export const spendingCapSchema = z
  .number()
  .finite()
  .min(0.01, 'Il tetto deve essere di almeno 0,01 €')
  .max(100_000)
  .transform((n) => Math.round(n * 100) / 100);

/**
 * This counter's spending in the current token's period: what Openapi counts for its token
 * (`stats`) beside what its log says it was charged (`chargedPrice` of the requests it sent since
 * the token was made). `mismatch`: the two disagree (net or with IVA, as the wallet takes it).
 */
export const spendingSchema = z.object({
  environment: environmentSchema,
  /**
   * `unavailable`: nothing to compare (Prova, a ready token, or an answer without stats);
   * `sending`: a request of this counter is being sent, its charge may be counted on one side only.
   */
  status: z.enum(['ok', 'mismatch', 'sending', 'unavailable', 'error']),
  counter: z.string(),
  /** When the token (the period) began, ms; null when unknown. */
  since: z.number().nullable(),
  /** The cap the token carries (`limits.walletAmount`), euro; null: none. */
  cap: z.number().nullable(),
  token: z.object({ amount: z.number().nullable(), requests: z.number().nullable() }).nullable(),
  log: z.object({ amount: z.number(), requests: z.number() }),
  error: errorCodeSchema.nullable(),
});
export type Spending = z.infer<typeof spendingSchema>;
