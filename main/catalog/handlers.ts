import type { Environment } from '../../common/environments.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CatalogService } from './catalog.ts';

/** `catalog.*`: the services of the current environment and their forms. */
export function catalogHandlers(
  catalog: CatalogService,
  environment: () => Environment,
): HandlersOf<'catalog'> {
  return {
    'catalog.list': async () => catalog.list(environment()),
    'catalog.detail': async (hash) => catalog.detail(environment(), hash),
  };
}
