/*
 * The office's two roles and its register database, made the way README's «Ruoli e database»
 * tells the IT person to: an owner that migrates, the counters' role that only reads and writes.
 * No vitest here: the e2e specs use it too.
 */
import { randomBytes } from 'node:crypto';
import type { PostgresCluster } from './postgres-cluster.ts';

export interface OfficeRoles {
  owner: { user: string; password: string };
  counter: { user: string; password: string };
}

/** The owner's and the counters' roles, as README's «Ruoli e database» makes them. */
export async function createOfficeRoles(cluster: PostgresCluster): Promise<OfficeRoles> {
  const roles: OfficeRoles = {
    owner: { user: 'sportello_owner', password: randomBytes(12).toString('base64url') },
    counter: { user: 'sportello_counter', password: randomBytes(12).toString('base64url') },
  };
  for (const role of [roles.owner, roles.counter])
    await cluster.sql(
      `CREATE ROLE ${role.user} LOGIN PASSWORD '${role.password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`,
    );
  return roles;
}

/** A register database of the owner role, closed to everyone else, as README makes it. */
export async function createRegisterDatabase(cluster: PostgresCluster, roles: OfficeRoles): Promise<string> {
  const name = await cluster.createDatabase();
  await cluster.sql(`ALTER DATABASE ${name} OWNER TO ${roles.owner.user}`);
  await cluster.sql(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
  await cluster.sql(`GRANT CONNECT ON DATABASE ${name} TO ${roles.counter.user}`);
  // PostgreSQL 14's public schema is the bootstrap superuser's (15's is the database owner's).
  await cluster.sql(`ALTER SCHEMA public OWNER TO ${roles.owner.user}`, [], name);
  await cluster.sql('REVOKE CREATE ON SCHEMA public FROM PUBLIC', [], name);
  return name;
}
