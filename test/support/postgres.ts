/*
 * A real PostgreSQL for a test file: one throwaway cluster per file (started before its first
 * test, stopped after its last), a fresh database per test. A file that needs it and cannot start
 * it fails with the reason: there is no skip, in CI or elsewhere.
 */
import type pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openPool, type OfficeDbConfig } from '../../main/db/postgres/connection.ts';
import { prepareRegister } from '../../main/db/postgres/prepare.ts';
import { createOfficeRoles, createRegisterDatabase, type OfficeRoles } from './office-roles.ts';
import { startPostgres, type ClusterOptions, type PostgresCluster } from './postgres-cluster.ts';

/** Each register database made by `register()`, by name: its owner's pool (closed with the cluster's pools). */
const ownerPools = new Map<string, pg.Pool>();

/**
 * Runs `sql` ($1… placeholders) as the owner of the register database `database`: what a counter's
 * role may not do (write a table of a version of before, e.g. `sealing_key`), a test does so.
 */
export async function runAsOwner(database: string, sql: string, params: unknown[] = []): Promise<void> {
  const owner = ownerPools.get(database);
  if (!owner) throw new Error(`no owner connection for the test database ${database}`);
  await owner.query(sql, params);
}

export interface TestPostgres {
  /** The running cluster (throws before beforeAll ran or when it failed to start). */
  readonly cluster: PostgresCluster;
  /** A new empty database and a pool on it, both gone after the test. */
  database(options?: {
    icuLocale?: string;
  }): Promise<{ name: string; config: OfficeDbConfig; pool: pg.Pool }>;
  /**
   * A new office register as README's set-up makes it: a database of the owner role, prepared by
   * it (migrations, the counters' privileges: db/postgres/prepare.ts); `config` and `pool` are a
   * counter's (the counters' role), `owner` the owner's connection. Gone after the test.
   */
  register(): Promise<{ name: string; config: OfficeDbConfig; owner: OfficeDbConfig; pool: pg.Pool }>;
  /** The cluster's office roles (made on first use): the owner's and the counters'. */
  roles(): Promise<OfficeRoles>;
  /** A pool on `config`, closed after the test. */
  pool(config: OfficeDbConfig, max?: number): pg.Pool;
}

export function usePostgres(options: ClusterOptions = {}): TestPostgres {
  let cluster: PostgresCluster | undefined;
  let failure: unknown;
  const pools: pg.Pool[] = [];
  const databases: string[] = [];
  const idleErrors: Error[] = [];

  beforeAll(async () => {
    try {
      cluster = await startPostgres(options);
    } catch (error) {
      failure = error;
      throw error;
    }
  }, 120_000);

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    // Not WITH (FORCE): the server waits a few seconds for the pools' sessions to end, and a test
    // that left a connection checked out fails here instead of hiding it.
    for (const name of databases) ownerPools.delete(name);
    if (cluster) for (const name of databases.splice(0)) await cluster.dropDatabase(name);
    const errors = idleErrors.splice(0);
    if (errors.length)
      throw new Error(`an idle pooled connection broke: ${errors.map((e) => e.message).join('; ')}`);
  });

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  let roles: Promise<OfficeRoles> | null = null;
  const officeRoles = () => (roles ??= createOfficeRoles(running()));
  const running = (): PostgresCluster => {
    if (cluster) return cluster;
    throw failure instanceof Error ? failure : new Error('the PostgreSQL test cluster is not running');
  };

  const pool = (config: OfficeDbConfig, max?: number) => {
    const p = openPool(config, { ...(max ? { max } : {}), onIdleError: (e) => idleErrors.push(e) });
    pools.push(p);
    return p;
  };

  return {
    get cluster() {
      return running();
    },
    async database(opts = {}) {
      const c = running();
      const name = await c.createDatabase(opts);
      databases.push(name);
      const config = c.config(name);
      return { name, config, pool: pool(config) };
    },
    roles: officeRoles,
    async register() {
      const c = running();
      const office = await officeRoles();
      const name = await createRegisterDatabase(c, office);
      databases.push(name);
      const owner = c.config(name, office.owner);
      await prepareRegister(owner, office.counter.user);
      ownerPools.set(name, pool(owner, 1));
      const config = c.config(name, office.counter);
      return { name, config, owner, pool: pool(config) };
    },
    pool,
  };
}
