/*
 * An office for integration tests: a real PostgreSQL (one throwaway cluster per test file, see
 * postgres.ts), a fresh register database per test, and counters — each the whole app with its own
 * folder — on it. Call `useOffice()` at a test file's top level.
 */
import { renameSync } from 'node:fs';
import { afterEach, expect } from 'vitest';
import type { AppConfig } from '../../main/app.ts';
import { openPool } from '../../main/db/postgres/connection.ts';
import type { Register } from '../../main/store/port.ts';
import type { PgOfficeOptions } from '../../main/store/postgres/office.ts';
import { PgRegister } from '../../main/store/postgres/register.ts';
import { startApp, type TestApp } from './app.ts';
import { congedoDraft, sendDraft } from './drafts.ts';
import type { ClusterOptions } from './postgres-cluster.ts';
import { usePostgres, type TestPostgres } from './postgres.ts';

export type RegisterFactory = (now: () => number, counter: () => string) => Register;

export interface Counter {
  counterName: string;
  operatorName?: string;
}

export interface TestOffice {
  readonly pg: TestPostgres;
  /**
   * A fresh office database, prepared by its owner role, and what gives each app its register on it (a pool of its
   * own, as each counter has); `office` tunes the leader's and notices' timings.
   */
  database(office?: PgOfficeOptions): Promise<{ name: string; register: RegisterFactory }>;
  /**
   * Counters on one new office database, sharing the first one's simulator and clock, named as
   * given; closed after the test (before the database is dropped).
   */
  counters(
    names: readonly Counter[],
    options?: { config?: Partial<AppConfig>; office?: PgOfficeOptions },
  ): Promise<TestApp[]>;
  /** The office of most tests: «Ufficio-1» (Anna) and «Ufficio-2» (Luca), as `counters` makes them. */
  pair(options?: { config?: Partial<AppConfig>; office?: PgOfficeOptions }): Promise<[TestApp, TestApp]>;
  /** An app of the test's own making, closed after the test like the counters. */
  keep(t: TestApp): TestApp;
}

/** `cluster`: the test cluster's settings (postgres-cluster.ts), e.g. the WAL's as an office has it. */
export function useOffice(options: { cluster?: ClusterOptions } = {}): TestOffice {
  const pg = usePostgres(options.cluster);
  const running: TestApp[] = [];
  // Registered after usePostgres's hooks: runs before them, so the database is free to drop.
  afterEach(async () => {
    for (const t of running.splice(0).reverse()) await t.app.close();
  });
  const keep = (t: TestApp) => {
    running.push(t);
    return t;
  };
  // As an office runs: prepared by its owner role, the counters on theirs (db/postgres/privileges.ts).
  const database = async (office?: PgOfficeOptions) => {
    const { name, config } = await pg.register();
    const register: RegisterFactory = (now, counter) =>
      new PgRegister(openPool(config, { onIdleError: () => {} }), now, counter, office ? { office } : {});
    return { name, register };
  };
  const office: TestOffice = {
    pg,
    database,
    keep,
    async pair(options) {
      const [one, two] = await office.counters(
        [
          { counterName: 'Ufficio-1', operatorName: 'Anna' },
          { counterName: 'Ufficio-2', operatorName: 'Luca' },
        ],
        options,
      );
      return [one!, two!];
    },
    async counters(names, options = {}) {
      const { register } = await database(options.office);
      const apps: TestApp[] = [];
      for (const who of names) {
        const first = apps[0];
        const t = keep(
          await startApp({
            config: { ...options.config, register },
            ...(first ? { simulator: first.simulator, clock: first.clock } : {}),
          }),
        );
        await t.app.handlers['settings.update']({
          counterName: who.counterName,
          ...(who.operatorName === undefined ? {} : { operatorName: who.operatorName }),
        });
        apps.push(t);
      }
      return apps;
    },
  };
  return office;
}

/** The test simulator's durations: a minute to "Dati disponibili", a minute more to "Visura evasa". */
const SIM_STEP = 60_000;

/** Sent from `a`, followed by its tracker to "Visura evasa", its outputs downloaded by `a`. */
export async function doneOn(a: TestApp): Promise<string> {
  const id = await congedoDraft(a.app);
  await sendDraft(a.app, id);
  for (let i = 0; i < 2; i++) {
    a.clock.advance(SIM_STEP);
    await a.app.internals.tracker.cycle();
  }
  await a.app.internals.idle();
  if ((await a.app.internals.store.requests.get(id))?.documentsState !== 'ready')
    await a.app.internals.documents.download(id);
  expect(await a.app.internals.store.requests.get(id)).toMatchObject({
    status: 'done',
    documentsState: 'ready',
  });
  return id;
}

/**
 * Both apps run on this machine, so each could read the other's archive: `fn` runs with A's
 * archive folder moved aside, as B sees it from another PC.
 */
export async function elsewhere<T>(a: TestApp, fn: () => Promise<T>): Promise<T> {
  const archive = (await a.app.handlers['settings.get']()).archiveRoot;
  renameSync(archive, `${archive}.elsewhere`);
  try {
    return await fn();
  } finally {
    renameSync(`${archive}.elsewhere`, archive);
  }
}
