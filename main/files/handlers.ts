import type { HandlersOf } from '../dispatch.ts';
import type { RefusedPaths } from './refused-paths.ts';

/** `register.*`: what this counter refused to do with the paths the register records. */
export function registerHandlers(refused: RefusedPaths): HandlersOf<'register'> {
  return {
    'register.refusedPaths': async () => refused.list(),
  };
}
