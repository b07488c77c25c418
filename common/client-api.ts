import { ApiError } from './api-error.ts';
import type { BridgeApi, ClientApi } from './api.ts';
import type { Outcome } from './errors.ts';

type Tree = Record<string, Record<string, (...args: unknown[]) => unknown>>;

/**
 * The renderer's API: unwraps each Outcome, throwing an ApiError the UI can translate. It walks the
 * bridge the preload (or the harness shim) built from the contract, so the renderer needs none of
 * the contract's schemas to start: they stay out of the first screen's code.
 */
export function unwrapApi(
  bridge: BridgeApi,
  /** An answer already asked for (the renderer's start asks the opening screen's early). */
  early: (channel: string, args: readonly unknown[]) => Promise<Outcome<unknown>> | undefined = () =>
    undefined,
): ClientApi {
  const raw = bridge as unknown as Tree;
  const tree: Tree = {};
  for (const [ns, methods] of Object.entries(raw)) {
    if (!methods || typeof methods !== 'object') continue;
    tree[ns] = {};
    for (const [method, fn] of Object.entries(methods)) {
      if (typeof fn !== 'function') continue;
      tree[ns][method] = async (...args: unknown[]) => {
        const outcome = (await (early(`${ns}.${method}`, args) ?? fn(...args))) as Outcome<unknown>;
        if (outcome.ok) return outcome.value;
        throw new ApiError(outcome.error);
      };
    }
  }
  return { ...tree, on: bridge.on } as unknown as ClientApi;
}
