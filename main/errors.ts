import type { AppErrorData, ErrorCode } from '../common/errors.ts';

export interface AppErrorOptions {
  ambiguous?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** A failure the clerk can act on: a code the renderer translates, a technical message for the log. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly ambiguous: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.ambiguous = options.ambiguous ?? false;
    this.details = options.details;
  }

  toData(): AppErrorData {
    const data: AppErrorData = { code: this.code, message: this.message };
    if (this.ambiguous) data.ambiguous = true;
    if (this.details) data.details = this.details;
    return data;
  }
}

/** Any thrown value as data for the renderer; unknown errors become 'internal' without their text. */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toData();
  return { code: 'internal', message: 'Errore interno: il dettaglio è nel registro.' };
}

/**
 * The same failure with more data for the renderer (the field a file was meant for, …): errors
 * carry what happened as data, and the renderer words it.
 */
export function withDetails(error: unknown, extra: Record<string, unknown>): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(error.code, error.message, {
    ambiguous: error.ambiguous,
    details: { ...error.details, ...extra },
    cause: error,
  });
}
