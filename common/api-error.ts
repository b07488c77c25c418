import type { AppErrorData, ErrorCode } from './errors.ts';

/** The error the renderer sees: a real Error carrying the serialisable data. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly ambiguous: boolean;
  readonly details: Record<string, unknown>;

  constructor(data: AppErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    this.ambiguous = data.ambiguous ?? false;
    this.details = data.details ?? {};
  }
}
