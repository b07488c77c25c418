import { z } from 'zod';
import { contract, type ChannelName, type Handlers } from '../common/api.ts';
import type { Outcome } from '../common/errors.ts';
import { AppError, toErrorData } from './errors.ts';
import { errorFields } from './log/redact.ts';
import type { Logger } from './ports.ts';

export type Dispatch = (channel: string, args: unknown) => Promise<Outcome<unknown>>;

/** The part of the contract's handlers one service answers: the channels of its namespace(s). */
export type HandlersOf<NS extends string> = {
  [C in keyof Handlers as C extends `${NS}.${string}` ? C : never]: Handlers[C];
};

/**
 * One entry point for every transport (IPC in the app, HTTP in the harness): the channel must be
 * in the contract, the arguments must pass its schema, and every failure comes back as data.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
  return async (channel, args) => {
    if (typeof channel !== 'string' || !Object.hasOwn(contract, channel)) {
      return {
        ok: false,
        error: { code: 'invalid_argument', message: `Canale sconosciuto: ${String(channel)}` },
      };
    }
    const name = channel as ChannelName;
    const parsed = contract[name].args.safeParse(args);
    if (!parsed.success) {
      log.warn('invalid arguments', { channel: name, issues: parsed.error.issues.length });
      return {
        ok: false,
        error: {
          code: 'invalid_argument',
          message: `Argomenti non validi per ${name}: ${z.prettifyError(parsed.error)}`,
        },
      };
    }
    try {
      const handler = handlers[name] as (...a: unknown[]) => Promise<unknown>;
      return { ok: true, value: await handler(...(parsed.data as unknown[])) };
    } catch (error) {
      // Codes, never messages: a message may be built from the client's data or the API's answer.
      if (error instanceof AppError) log.warn('call failed', { channel: name, ...failureCodes(error) });
      else log.error('call crashed', { channel: name, ...errorFields(error) });
      return { ok: false, error: toErrorData(error) };
    }
  };
}

/** The parts of a typed failure that are codes: the error code, HTTP status, API code, reason. */
function failureCodes(error: AppError): Record<string, unknown> {
  const fields: Record<string, unknown> = { code: error.code };
  const details = error.details ?? {};
  for (const key of ['status', 'apiCode'] as const)
    if (typeof details[key] === 'number') fields[key] = details[key];
  if (typeof details.reason === 'string' && /^[a-z_]{1,40}$/.test(details.reason))
    fields.reason = details.reason;
  if (error.ambiguous) fields.ambiguous = true;
  return fields;
}
