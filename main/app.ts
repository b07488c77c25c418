import type { Handlers } from '../common/api.ts';
import { compareServices } from '../common/catalog.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { EngineProvider } from './engine/provider.ts';
import type { RetryPolicy, Timeouts } from './engine/client.ts';
import { EventHub } from './events.ts';
import type { Clock, Http, Logger, Notifier, Opener, Paths, PreferenceStore, SecretCipher } from './ports.ts';
import { PreferencesService, type ConfigFile } from './settings/preferences.ts';
import { KeyVault } from './settings/vault.ts';
import type { Simulator, SimulatorOptions } from './simulator/server.ts';

export interface AppPorts {
  cipher: SecretCipher;
  http: Http;
  opener: Opener;
  notifier: Notifier;
  clock: Clock;
  paths: Paths;
  preferences: PreferenceStore<ConfigFile>;
  log: Logger;
}

export interface AppConfig {
  version: string;
  /** Development only: every environment's calls go to this base URL. */
  baseUrlOverride?: string | undefined;
  /** Prova's simulator: a running one, or options for the built-in one. */
  prova?: Simulator | SimulatorOptions | undefined;
  engineTimeouts?: Partial<Timeouts> | undefined;
  engineRetry?: Partial<RetryPolicy> | undefined;
}

export interface App {
  handlers: Handlers;
  dispatch: Dispatch;
  events: EventHub;
  close(): Promise<void>;
}

/** The composition root: builds every service from the ports and returns the contract's handlers. */
export function createApp(ports: AppPorts, config: AppConfig): App {
  const { log, paths } = ports;
  const events = new EventHub();
  const preferences = new PreferencesService(ports.preferences, paths.defaultArchiveRoot);
  const vault = new KeyVault(ports.preferences, ports.cipher);
  const engines = new EngineProvider({
    http: ports.http,
    vault,
    log,
    userData: paths.userData,
    version: config.version,
    baseUrlOverride: config.baseUrlOverride,
    prova: config.prova,
    timeouts: config.engineTimeouts,
    retry: config.engineRetry,
  });
  const currentEngine = () => engines.forEnvironment(preferences.get().environment);

  const handlers: Handlers = {
    'app.info': async () => {
      const environment = preferences.get().environment;
      return {
        version: config.version,
        environment,
        baseUrl: await engines.baseUrl(environment),
        dataDir: paths.userData,
      };
    },

    'catalog.list': async () => (await (await currentEngine()).listServices()).sort(compareServices),
    'catalog.detail': async (hash) => (await currentEngine()).getService(hash),

    'settings.get': async () => preferences.get(),
    'settings.update': async (patch) => {
      const next = preferences.update(patch);
      events.emit('settingsChanged', next);
      return next;
    },
    'settings.keyStatus': async () =>
      Promise.all((['prova', 'sandbox', 'produzione'] as const).map((env) => vault.status(env))),
    'settings.setApiKey': async (environment, key) => vault.set(environment, key),
    'settings.clearApiKey': async (environment) => vault.clear(environment),
    'settings.testConnection': async (environment) => {
      const env = environment ?? preferences.get().environment;
      const started = ports.clock.now();
      const services = await (await engines.forEnvironment(env)).listServices();
      return { environment: env, services: services.length, latencyMs: ports.clock.now() - started };
    },
  };

  return {
    handlers,
    dispatch: createDispatcher(handlers, log),
    events,
    close: () => engines.close(),
  };
}
