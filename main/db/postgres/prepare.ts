/*
 * "Prepara il database": the one step the office's IT person takes with the owner role (README,
 * "Più sportelli in un ufficio"). As the owner of the register's database: the migrations, then
 * the counters' role given exactly its privileges (privileges.ts). The counters never migrate:
 * their role cannot, and a register behind the app waits for this step (RegisterNotPrepared).
 */
import { openPool, type OfficeDbConfig } from './connection.ts';
import { migratePostgres, registerVersion } from './migrate.ts';
import { PG_MIGRATIONS } from './migrations.ts';
import { grantCounterRole } from './privileges.ts';

/** Why the owner's connection cannot prepare the register for `counter`. */
export class PrepareRefused extends Error {
  readonly reason: 'same_role' | 'no_counter_role' | 'counter_superuser';

  constructor(reason: PrepareRefused['reason'], message: string) {
    super(message);
    this.name = 'PrepareRefused';
    this.reason = reason;
  }
}

export interface Prepared {
  /** The migrations applied now (none when the register was up to date). */
  applied: number[];
  /** The register's version now: the app's latest. */
  version: number;
}

/**
 * Migrates the register as `owner` and grants the counters' role `counter` its privileges.
 * Idempotent: run again after an update of Sportello, or to give a new counters' role its rights.
 * Throws PrepareRefused (Italian message), or the server's error (connection.ts describeFailure).
 */
export async function prepareRegister(owner: OfficeDbConfig, counter: string): Promise<Prepared> {
  if (counter === owner.user)
    throw new PrepareRefused(
      'same_role',
      `Gli sportelli devono collegarsi con un utente diverso dal proprietario «${owner.user}»: create l’utente degli sportelli come dice il README.`,
    );
  const pool = openPool(owner, {
    max: 1,
    // This pool lives for one preparation and every error reaches the caller through its query.
    onIdleError: () => undefined,
  });
  try {
    const role = await pool.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = $1', [
      counter,
    ]);
    if (!role.rows[0])
      throw new PrepareRefused(
        'no_counter_role',
        `L’utente degli sportelli «${counter}» non esiste sul server: createlo come dice il README.`,
      );
    if (role.rows[0].rolsuper)
      throw new PrepareRefused(
        'counter_superuser',
        `L’utente degli sportelli «${counter}» è un superutente: serve un utente senza privilegi speciali.`,
      );
    const applied = await migratePostgres(pool, PG_MIGRATIONS);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // PostgreSQL 14 lets everyone create tables in public; from 15 only its owner can.
      await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      await grantCounterRole(client, counter);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        // The connection is gone and the transaction with it: the grants' error is the one to tell.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
    return { applied, version: await registerVersion(pool) };
  } finally {
    await pool.end();
  }
}
