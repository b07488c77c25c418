import type { Core } from './core.ts';
import type { HandlersOf } from './dispatch.ts';

/** `app.*`: what the window shows of the app itself: version, environment, where data lives, credit. */
export function appHandlers(core: Core, version: string): HandlersOf<'app'> {
  return {
    'app.info': async () => {
      const environment = core.environment();
      return {
        version,
        environment,
        baseUrl: await core.engines.baseUrl(environment),
        dataDir: core.ports.paths.userData,
      };
    },
    'app.credit': async () => core.credit.get(core.environment()),
  };
}
