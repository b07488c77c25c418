import { z } from 'zod';
import { contract, type ChannelName, type Handlers } from '../common/api.ts';
import type { Outcome } from '../common/errors.ts';
import { AppError, toErrorData } from './errors.ts';
import { errorFields } from './log/redact.ts';
import type { Logger } from './ports.ts';
import { resolveGrantedPaths } from './security/granted-args.ts';
import type { PathGrants } from './security/grants.ts';

export type Dispatch = (channel: string, args: unknown) => Promise<Outcome<unknown>>;

/** The part of the contract's handlers one service answers: the channels of its namespace(s). */
export type HandlersOf<NS extends string> = {
  [C in keyof Handlers as C extends `${NS}.${string}` ? C : never]: Handlers[C];
};

/**
 * The one refusal of a path the page names without a grant. The same code and words whether the
 * file exists or not, and given before anything looks at the disk: no oracle for the page.
 */
export const PATH_NOT_GRANTED: Outcome<never> = {
  ok: false,
  error: {
    code: 'path_not_granted',
    message:
      'Questo file non è stato trascinato né scelto dall’operatore: trascinatelo o sceglietelo di nuovo',
  },
};

/**
 * One entry point for every transport (IPC in the app, HTTP in the harness): the channel must be
 * in the contract, the arguments must pass its schema, every path in them must be granted
 * (`grants`), and every failure comes back as data.
 */
export function createDispatcher(handlers: Handlers, log: Logger, grants: PathGrants): Dispatch {
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
    // A page that names a file nobody dropped or chose (an injected script, say) reads nothing.
    const granted = resolveGrantedPaths(contract[name].args, parsed.data, (path) => grants.resolve(path));
    if (!granted) {
      log.warn('ipc refused: path not granted', { channel: name });
      return PATH_NOT_GRANTED;
    }
    try {
      const handler = handlers[name] as (...a: unknown[]) => Promise<unknown>;
      return { ok: true, value: await handler(...(granted.value as unknown[])) };
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
