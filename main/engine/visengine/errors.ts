import type { EngineError, EngineErrorInit } from '../errors.ts';
import {
  AlreadyClosedError,
  ConflictError,
  InsufficientCreditError,
  NotFoundError,
  NotYetAvailableError,
  ServerError,
  SpendingCapError,
  TooLargeError,
  UnauthorizedError,
  ValidationFailedError,
} from '../errors.ts';
import type { Envelope } from './schemas.ts';

/*
 * Visengine's refusals mapped to the port's typed errors (../errors.ts): its envelope's integer
 * `error` code first, the HTTP status otherwise, and whether the outcome is unknown.
 */

/** The typed error for a refusal; `mutation`: the call may change something on the service. */
export function errorFor(
  status: number,
  apiCode: number | undefined,
  message: string,
  mutation: boolean,
  fields?: Record<string, unknown>,
): EngineError {
  // Visengine's own refusals carry its codes (2xx numbers: 209, 211, 239, 250, …) and mean nothing
  // was done. A 4xx without one came from something in between (a gateway, a proxy), possibly after
  // the service acted: for a POST or PUT that outcome is unknown. Except 401/403 (refused before)
  // and 413 (a body refused as too large is never passed on).
  const fromService = apiCode !== undefined && apiCode >= 200 && apiCode < 300;
  // A token's spending cap, refused by the gateway before the service: a definite refusal.
  if (tokenLimitReached(status, message))
    return new SpendingCapError(message, { status, ...(apiCode === undefined ? {} : { apiCode }) });
  const unknownOutcome = mutation && !fromService && ![401, 403, 413].includes(status);
  const init: EngineErrorInit = {
    status,
    ...(apiCode === undefined ? {} : { apiCode }),
    ...(fields ? { details: { fields } } : {}),
    ...(unknownOutcome ? { ambiguous: true } : {}),
  };
  switch (apiCode) {
    case 239:
      return new AlreadyClosedError(message, init);
    case 247:
      return new NotYetAvailableError(message, init);
    case 211:
    case 225:
    case 237:
      return new InsufficientCreditError(message, init);
    case 209:
    case 229:
    case 250:
      return new ValidationFailedError(message, init);
    case 200:
    case 201:
    case 202:
    case 203:
    case 219:
    case 221:
    case 228:
    case 243:
    case 244:
      return new NotFoundError(message, init);
    case 222:
    case 230:
      return new ConflictError(message, init);
    default:
      break;
  }
  if (status === 401 || status === 403) return new UnauthorizedError(message, init);
  if (status === 402) return new InsufficientCreditError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 409) return new ConflictError(message, init);
  if (status === 422) return new NotYetAvailableError(message, init);
  if (status === 413) return new TooLargeError(message, init);
  if (status === 400 || status === 412 || status === 428) return new ValidationFailedError(message, init);
  return new ServerError(message, { ...init, ambiguous: mutation });
}

/**
 * The answer when a token's `limits` stop a charge is not in either spec (the simulator answers 403
 * "Token limit reached: walletAmount …"): any refusal a gateway would give (402, 403, 429) whose
 * message names a limit of TokenLimits is one. "Insufficient Credit in Wallet" names none.
 */
function tokenLimitReached(status: number, message: string): boolean {
  return (
    [402, 403, 429].includes(status) &&
    /limit/i.test(message) &&
    /wallet\s*(amount|requests)|total\s*requests/i.test(message)
  );
}

export function readApiCode(env: Envelope): number | undefined {
  const n = typeof env.error === 'string' ? Number(env.error) : env.error;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** `message` is a text, sometimes a JSON string of per-field errors. */
export function readMessage(env: Envelope): { text: string; fields?: Record<string, unknown> } {
  const raw = env.message;
  if (typeof raw !== 'string') {
    if (raw && typeof raw === 'object') return { text: flatten(raw), fields: raw as Record<string, unknown> };
    return { text: '' };
  }
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object') {
        return { text: flatten(parsed), fields: parsed as Record<string, unknown> };
      }
    } catch {
      // not JSON after all: keep the text as it is
    }
  }
  return { text: trimmed };
}

function flatten(value: object): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    parts.push(Array.isArray(value) ? String(v) : `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return parts.join('; ');
}
