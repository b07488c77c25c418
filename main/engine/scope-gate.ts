import type { VisengineScope } from '../../common/credentials.ts';
import type { Environment } from '../../common/environments.ts';
import { AppError } from '../errors.ts';
import type { Engine, Submission } from './engine.ts';

type Call = Exclude<keyof Engine, 'baseUrl' | 'clockOffset'>;

/**
 * The scopes each call needs (one per method and first path segment). Opening a request needs
 * more than its POST: without the PUT it could never be closed (and may be charged already), and
 * without `GET /richiesta` an uncertain POST could never be settled — so nothing is opened.
 */
const NEEDS: Record<Call, readonly VisengineScope[]> = {
  listServices: ['GET /visure'],
  getService: ['GET /visure'],
  priceCheck: ['POST /richiesta'],
  open: ['POST /richiesta', 'PUT /richiesta', 'GET /richiesta'],
  close: ['PUT /richiesta'],
  get: ['GET /richiesta'],
  list: ['GET /richiesta'],
  cancel: ['DELETE /richiesta'],
  chooseResult: ['PUT /richiesta'],
  outputs: ['GET /documento'],
};

/** What a call refused for a missing scope says: which scope (the renderer words what it blocks). */
export function scopeMissing(environment: Environment, scope: VisengineScope): AppError {
  return new AppError(
    'scope_missing',
    `Manca il permesso ${scope} sul conto Openapi (${environment}): operazione non tentata`,
    { details: { scope } },
  );
}

/**
 * The engine of an environment whose credentials lack some scopes (the account's, or a ready
 * token's as last checked): a call that needs one is not tried — it fails at once with
 * `scope_missing`, a definite refusal (nothing was sent) — instead of a 403 from Openapi.
 */
export function gateScopes(
  environment: Environment,
  engine: Engine,
  missing: () => readonly VisengineScope[],
): Engine {
  const gated =
    <A extends unknown[], R>(call: Call, run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const lacking = missing();
      const scope = NEEDS[call].find((s) => lacking.includes(s));
      if (scope) throw scopeMissing(environment, scope);
      return run(...args);
    };
  return {
    get baseUrl() {
      return engine.baseUrl;
    },
    clockOffset: () => engine.clockOffset(),
    listServices: gated('listServices', () => engine.listServices()),
    getService: gated('getService', (hash: string) => engine.getService(hash)),
    priceCheck: gated('priceCheck', (submission: Submission) => engine.priceCheck(submission)),
    open: gated('open', (submission: Submission) => engine.open(submission)),
    close: gated('close', (id: string, values?: Record<string, string> | null) => engine.close(id, values)),
    get: gated('get', (id: string) => engine.get(id)),
    list: gated('list', () => engine.list()),
    cancel: gated('cancel', (id: string, reason: string) => engine.cancel(id, reason)),
    chooseResult: gated('chooseResult', (id: string, searchId: string, index: number) =>
      engine.chooseResult(id, searchId, index),
    ),
    outputs: gated('outputs', (id: string) => engine.outputs(id)),
  };
}
