import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Preferences } from '../../common/settings.ts';
import { AesCipher } from '../../main/adapters/node/aes-cipher.ts';
import { nodePorts, type NodePorts } from '../../main/adapters/node/node-ports.ts';
import { createApp, type App, type AppConfig } from '../../main/app.ts';
import type { Database } from '../../main/db/database.ts';
import { createFileLogger } from '../../main/log/logger.ts';
import { SqliteRegister } from '../../main/store/sqlite-register.ts';
import { provaOf } from '../../main/simulator/prova.ts';
import type { SpecReading } from '../../main/simulator/reading.ts';
import type { Simulator } from '../../main/simulator/server.ts';
import { ManualClock } from './clock.ts';
import { startSimulator } from './simulator.ts';
import { tempDir } from './tmp.ts';

const open: App[] = [];

afterEach(async () => {
  for (const app of open.splice(0)) await app.close().catch(() => {});
});

export interface TestApp {
  app: App;
  ports: NodePorts;
  simulator: Simulator;
  clock: ManualClock;
  root: string;
  /** A new App on the same folder and simulator: what a restart (or a crash) leaves behind. */
  restart(): Promise<TestApp>;
}

/**
 * The real app (every service, a real SQLite file, real files) on Node ports, talking HTTP to a
 * simulator; one manual clock drives both, so lifecycles are stepped by hand.
 */
export async function startApp(
  options: {
    config?: Partial<AppConfig>;
    simulator?: Simulator;
    clock?: ManualClock;
    root?: string;
    wallet?: number;
    /** How the simulator reads what the spec leaves open (main/simulator/reading.ts). */
    reading?: Partial<SpecReading>;
    /** The OS keystore stand-in (default: one that can persist, kept across restarts). */
    cipher?: AesCipher;
    /** Preferences config.json holds before the app starts (as a counter set up earlier left them). */
    preferences?: Partial<Preferences>;
  } = {},
): Promise<TestApp> {
  const clock = options.clock ?? new ManualClock();
  const simulator =
    options.simulator ??
    (
      await startSimulator({
        now: clock.now,
        ...(options.wallet === undefined ? {} : { wallet: options.wallet }),
        ...(options.reading ? { reading: options.reading } : {}),
      })
    ).simulator;
  const root = options.root ?? tempDir();
  const cipher = options.cipher ?? new AesCipher();
  const ports = nodePorts(root, { log: createFileLogger(join(root, 'userData', 'logs')), cipher });
  ports.clock = clock;
  if (options.preferences)
    ports.preferences.set('preferences', { ...ports.preferences.store.preferences, ...options.preferences });
  const app = createApp(ports, {
    version: '0.0.0-test',
    prova: async () => provaOf(simulator),
    engineRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    engineTimeouts: { read: 2_000, write: 2_000, document: 5_000 },
    random: () => 0.5,
    // An uncertain POST settles in the simulator as soon as it is handled: no need to wait 20 s.
    settleMs: 50,
    ...options.config,
  });
  open.push(app);
  const self: TestApp = {
    app,
    ports,
    simulator,
    clock,
    root,
    restart: async () => {
      await app.close();
      return startApp({ ...options, simulator, clock, root, cipher });
    },
  };
  return self;
}

/** The SQLite connection under an app on this counter's file (tests that read raw tables). */
export function sqliteOf(app: App): Database {
  const store = app.internals.store;
  if (!(store instanceof SqliteRegister)) throw new Error(`the app runs on ${store.kind}, not on SQLite`);
  return store.db;
}

/**
 * Where a name the register records under the archive root is on this counter's disk (its archive
 * folder's real path, as main resolves it).
 */
export async function archivedFile(t: TestApp, name: string): Promise<string> {
  const root = (await t.app.handlers['settings.get']()).archiveRoot;
  return join(existsSync(root) ? realpathSync(root) : root, ...name.split('/'));
}
