import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../common/environments.ts';
import { BackgroundWork } from './background.ts';
import { openDatabase } from './db/database.ts';
import type { OfficeDbConfig } from './db/postgres/connection.ts';
import type { Engine } from './engine/engine.ts';
import { OAuthClient } from './engine/oauth.ts';
import { EngineProvider, type EngineProviderOptions, type ProvaAccess } from './engine/provider.ts';
import { CreditBook } from './engine/wallet.ts';
import { EventHub } from './events.ts';
import { RefusedPaths } from './files/refused-paths.ts';
import { Roots } from './files/roots.ts';
import type {
  Clock,
  Dialogs,
  Http,
  Logger,
  Notifier,
  Opener,
  Paths,
  PreferenceStore,
  SecretCipher,
} from './ports.ts';
import { PathGrants } from './security/grants.ts';
import { CredentialsService } from './settings/credentials.ts';
import { movedMarker } from './settings/office.ts';
import { HeldDrafts } from './store/held-drafts.ts';
import { OfficeDatabase } from './store/office-database.ts';
import type { Register } from './store/port.ts';
import { SqliteRegister } from './store/sqlite-register.ts';
import { PreferencesService, type ConfigFile } from './settings/preferences.ts';

/** What the app needs from the outside world (Electron in the app, Node in tests and the harness). */
export interface AppPorts {
  cipher: SecretCipher;
  http: Http;
  opener: Opener;
  notifier: Notifier;
  clock: Clock;
  paths: Paths;
  preferences: PreferenceStore<ConfigFile>;
  /** Main's own dialogs: folders and confirmations only the clerk can answer. */
  dialogs: Dialogs;
  log: Logger;
}

/** How this app talks to Openapi (development and tests change it; the app uses the defaults). */
export interface EngineConfig {
  version: string;
  /** Development only: Sandbox's and Produzione's Visengine calls go to this base URL. */
  baseUrlOverride?: string | undefined;
  /** Development only: their OAuth API calls (tokens, wallet) go here; default `baseUrlOverride`. */
  oauthBaseUrlOverride?: string | undefined;
  /** How to reach Prova (the composition root starts what serves it); without it, Prova is unavailable. */
  prova?: (() => Promise<ProvaAccess>) | undefined;
  engineTimeouts?: EngineProviderOptions['timeouts'];
  engineRetry?: EngineProviderOptions['retry'];
}

/** The engine's settings and where the register lives. */
export interface CoreConfig extends EngineConfig {
  /**
   * The storage port to use instead of this counter's SQLite file (the office's PostgreSQL
   * register: store/postgres/register.ts). Called once per start; the app closes what it returns.
   */
  register?: ((now: () => number, counter: () => string) => Register) | undefined;
  /**
   * The office's PostgreSQL register this counter joined (settings/office.ts officeAtStart), or
   * none: this counter's own SQLite file. The app migrates it and moves the local log in at start.
   */
  office?: OfficeDbConfig | null | undefined;
}

/**
 * What every part of the app shares: the ports, the clock, the preferences, the push events,
 * background work, the request log's database, and Openapi (engines per environment, credentials,
 * the credit).
 */
export interface Core {
  ports: AppPorts;
  log: Logger;
  now: () => number;
  events: EventHub;
  background: BackgroundWork;
  preferences: PreferencesService;
  /** The clerk at this counter (Impostazioni), for the trail. */
  operator: () => string;
  /** This counter's name (Impostazioni, or the PC's name), for the trail and the office's lists. */
  counter: () => string;
  /** This installation's id, made once: the owner of the leases it takes on requests it sends. */
  counterId: string;
  /** The environment the counter works in now. */
  environment: () => Environment;
  /** The storage port: the request log and everything kept with it (this counter's SQLite file by default). */
  store: Register;
  /** The office's register while it is the one in use: its link, the move in, the copy kept on leaving. */
  office: OfficeDatabase | null;
  /**
   * What drafts, their scans and the catalog cache are kept in: `store`, or on an office's
   * register the drafts made while it does not answer held on this counter (store/held-drafts.ts).
   */
  drafts: Register;
  /** Those held drafts (null off an office): moved into the office's register once it answers. */
  held: HeldDrafts | null;
  oauth: OAuthClient;
  credentials: CredentialsService;
  engines: EngineProvider;
  credit: CreditBook;
  /** The engine of an environment, reporting charges and "insufficient credit" to the credit book. */
  engine: (environment: Environment) => Promise<Engine>;
  /** The files the page may name (dropped or chosen, or handed over by main): the dispatcher resolves paths here. */
  grants: PathGrants;
  /** This counter's folders, where every path the register records is resolved (files/roots.ts). */
  roots: Roots;
  /** The register's rows whose paths pointed outside those folders, for Home. */
  refusedPaths: RefusedPaths;
}

export function createCore(ports: AppPorts, config: CoreConfig): Core {
  const { log, paths, clock } = ports;
  const now = () => clock.now();
  const preferences = new PreferencesService(ports.preferences, paths.defaultArchiveRoot);
  const readTimeout = config.engineTimeouts?.read;
  const oauth = new OAuthClient({
    http: ports.http,
    log,
    userAgent: `Sportello/${config.version}`,
    ...(readTimeout ? { timeoutMs: readTimeout } : {}),
  });
  const counter = () => preferences.get().counterName.trim() || hostname();
  const credentials = new CredentialsService({
    store: ports.preferences,
    cipher: ports.cipher,
    oauth,
    http: ports.http,
    now,
    log,
    overrides: { baseUrl: config.baseUrlOverride, oauthBaseUrl: config.oauthBaseUrlOverride },
    ...(readTimeout ? { probeTimeoutMs: readTimeout } : {}),
    probeRetry: config.engineRetry,
    // Each counter's token is its own, named after it (its spending is told apart by it).
    counter,
  });
  const engines = new EngineProvider({
    http: ports.http,
    credentials,
    oauth,
    log,
    now,
    version: config.version,
    baseUrlOverride: config.baseUrlOverride,
    prova: config.prova,
    timeouts: config.engineTimeouts,
    retry: config.engineRetry,
  });
  const counterId = ownCounterId(ports.preferences);
  // The Openapi credit: the wallet's answer, or the balance an "insufficient credit" answer gave.
  const credit = new CreditBook({ client: oauth, access: (env) => engines.oauthAccess(env), now, log });
  const events = new EventHub();
  const background = new BackgroundWork(log);
  const refusedPaths = new RefusedPaths({ log, now });
  const roots = new Roots({
    dirs: {
      archive: () => preferences.get().archiveRoot,
      drafts: () => join(paths.userData, 'drafts'),
      clients: () => join(paths.userData, 'clienti'),
    },
    refused: refusedPaths,
  });
  const localFile = join(paths.userData, 'pratiche.sqlite');
  let held: HeldDrafts | null = null;
  const office =
    config.office && !config.register
      ? new OfficeDatabase({
          config: config.office,
          localFile,
          moved: movedMarker(ports.preferences),
          clock,
          log,
          onChange: (state) => {
            events.emit('officeLink', state);
            // The office answers (again): the drafts kept here meanwhile go into its register.
            if (state.state === 'ok' && state.moved && held?.holding)
              background.run('held drafts', async () => {
                const { moved } = await held!.moveIn();
                if (moved.length)
                  log.info('drafts kept on this counter moved into the office register', {
                    count: moved.length,
                  });
              });
          },
        })
      : null;
  const officeRegister = office?.register(now, counter) ?? null;
  const store =
    config.register?.(now, counter) ??
    officeRegister ??
    new SqliteRegister(openDatabase(localFile), now, counter);
  if (office && officeRegister)
    held = new HeldDrafts({
      office: officeRegister,
      file: join(paths.userData, 'bozze-in-attesa.sqlite'),
      offline: () => office.state.state === 'unreachable',
      joined: () => office.state.moved,
      now,
      counter,
    });
  return {
    ports,
    log,
    now,
    events,
    background,
    preferences,
    operator: () => preferences.get().operatorName,
    counter,
    counterId,
    environment: () => preferences.get().environment,
    store,
    office,
    drafts: held ?? store,
    held,
    oauth,
    credentials,
    engines,
    credit,
    engine: async (environment) => credit.observe(environment, await engines.forEnvironment(environment)),
    grants: new PathGrants(),
    roots,
    refusedPaths,
  };
}

/** The installation's id from config.json, made (and kept) the first time it is asked for. */
function ownCounterId(store: PreferenceStore<ConfigFile>): string {
  const saved = store.store.counterId;
  if (typeof saved === 'string' && /^[0-9a-f-]{36}$/.test(saved)) return saved;
  const made = randomUUID();
  store.set('counterId', made);
  return made;
}
