import { z } from 'zod';
import { contract, type ChannelName, type Handlers } from '../common/api.ts';
import type { Outcome } from '../common/errors.ts';
import { AppError, toErrorData } from './errors.ts';
import type { Logger } from './ports.ts';

export type Dispatch = (channel: string, args: unknown) => Promise<Outcome<unknown>>;

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
      if (error instanceof AppError)
        log.warn('call failed', { channel: name, code: error.code, message: error.message });
      else
        log.error('call crashed', {
          channel: name,
          error: error instanceof Error ? error.stack : String(error),
        });
      return { ok: false, error: toErrorData(error) };
    }
  };
}
