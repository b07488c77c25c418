import type { ErrorCode } from '../../common/errors.ts';
import { AppError } from '../errors.ts';

export interface EngineErrorInit {
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** The envelope's integer `error` code, when the answer had one. */
  apiCode?: number;
  ambiguous?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** A failure talking to Visengine: what the API said (status, code) or what went wrong on the way. */
export class EngineError extends AppError {
  readonly status: number | undefined;
  readonly apiCode: number | undefined;

  constructor(code: ErrorCode, message: string, init: EngineErrorInit = {}) {
    super(code, message, {
      ambiguous: init.ambiguous ?? false,
      details: {
        ...(init.status === undefined ? {} : { status: init.status }),
        ...(init.apiCode === undefined ? {} : { apiCode: init.apiCode }),
        ...init.details,
      },
      cause: init.cause,
    });
    this.name = new.target.name;
    this.status = init.status;
    this.apiCode = init.apiCode;
  }
}

/** 401/403: the token is missing, wrong, expired, or lacks the scope. */
export class UnauthorizedError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('unauthorized', message, init);
  }
}

/** 402: the wallet cannot pay; `balance` is parsed from "Insufficient Credit in Wallet: 182.03". */
export class InsufficientCreditError extends EngineError {
  readonly balance: number | null;
  constructor(message: string, init: EngineErrorInit = {}) {
    const balance = parseBalance(message);
    super('insufficient_credit', message, { ...init, details: { ...init.details, balance } });
    this.balance = balance;
  }
}

/**
 * The token's own spending cap (`limits.walletAmount` or `walletRequests` of `POST /tokens`) is
 * reached: the gateway refused the call before the service saw it, so nothing was created or
 * charged. Never ambiguous.
 */
export class SpendingCapError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('spending_cap', message, { ...init, ambiguous: false });
  }
}

/** 412/250, 412/229, 400/209, 428/…: the data was refused; nothing was created or charged. */
export class ValidationFailedError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('validation_failed', message, init);
  }
}

/** 404, or 400 with "wrong hash_visura" / "Invalid id". */
export class NotFoundError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('not_found', message, init);
  }
}

/** 400/239: the request is already closed. Repeating the closing PUT lands here: that is success. */
export class AlreadyClosedError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('already_closed', message, init);
  }
}

/** 422/247: the output document is not ready yet. */
export class NotYetAvailableError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('not_yet_available', message, init);
  }
}

/** 409: the operation does not apply to this request (e.g. a search on a service without one). */
export class ConflictError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('conflict', message, init);
  }
}

/**
 * 413: the body was refused as too large (usually by a proxy before the service): nothing was
 * created or charged, and sending the same body again would fail the same way.
 */
export class TooLargeError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('too_large', message, { ...init, ambiguous: false });
  }
}

/** 5xx, or another status the client does not know. */
export class ServerError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('server_error', message, init);
  }
}

/** The answer could not be read: not JSON, truncated, or not the documented shape. */
export class BadResponseError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('bad_response', message, init);
  }
}

/** No answer: connection refused or reset, DNS failure, offline. */
export class NetworkError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('network', message, init);
  }
}

/** No answer within the call's time limit. */
export class TimeoutError extends EngineError {
  constructor(message: string, init: EngineErrorInit = {}) {
    super('timeout', message, init);
  }
}

export function parseBalance(message: string): number | null {
  const match = /(-?\d+(?:[.,]\d+)?)\s*€?\s*$/.exec(message.trim());
  if (!match?.[1]) return null;
  const value = Number(match[1].replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}
