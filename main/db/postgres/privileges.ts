/*
 * What the counters' role may do on the office register, declared once, table by table; and the
 * check a counter runs on its own role before it works. The register's tables belong to the role
 * that migrates them (the office's owner role, prepare.ts); the counters connect with another one
 * that reads and writes rows and nothing else: no DDL, no TRUNCATE, and on the trail only INSERT
 * (plus the one column retention rewrites, which migration 2's trigger allows for purged requests
 * only). test/integration/office/roles.test.ts fails when a table has no line here.
 */
import pg from 'pg';

/** A pool or a client: what runs a query. */
type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

/** Per table, the privileges GRANTed to the counters' role (PostgreSQL's syntax). */
export const COUNTER_PRIVILEGES: Readonly<Record<string, string>> = {
  schema_version: 'SELECT',
  register_identity: 'SELECT',
  // DELETE: a draft thrown away before it ever reached Openapi (requests.ts deleteDraft).
  requests: 'SELECT, INSERT, UPDATE, DELETE',
  // The trail: appended to; a purged request's event data scrubbed (trail.ts scrub), nothing else.
  events: 'SELECT, INSERT, UPDATE (data_json)',
  attachments: 'SELECT, INSERT, UPDATE, DELETE',
  documents: 'SELECT, INSERT, UPDATE',
  // DELETE: the catalog's list of an environment replaced as a whole.
  catalog_services: 'SELECT, INSERT, UPDATE, DELETE',
  catalog_details: 'SELECT, INSERT, UPDATE',
  catalog_meta: 'SELECT, INSERT, UPDATE',
  remote_requests: 'SELECT, INSERT, UPDATE',
  wallet_transactions: 'SELECT, INSERT, UPDATE',
  // The account's requests no request owns (account.ts): seen, decided; never deleted.
  account_requests: 'SELECT, INSERT, UPDATE',
  // DELETE: a revoked consent past its keeping, a client's documents on revocation or expiry.
  client_consents: 'SELECT, INSERT, UPDATE, DELETE',
  client_files: 'SELECT, INSERT, UPDATE, DELETE',
  // The key of before documents went into the register: read once to adopt it, then deleted.
  sealing_key: 'SELECT, DELETE',
  // Each counter's public key for the documents on file, published (and renamed) by itself.
  counter_keys: 'SELECT, INSERT, UPDATE',
  document_keys: 'SELECT, INSERT',
  // A document key wrapped for a counter: granted by a colleague, re-wrapped when its key changes.
  document_key_grants: 'SELECT, INSERT, UPDATE',
  // The pratica numbers' counter per prefix and year: taken by upsert, never deleted.
  pratica_numbers: 'SELECT, INSERT, UPDATE',
};

/** The register's tables (and views, sequences) in the public schema, by name. */
export async function registerRelations(db: Queryable, kinds = ['r', 'p', 'v', 'm']): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = ANY ($1) ORDER BY 1`,
    [kinds],
  );
  return result.rows.map((r) => r.name);
}

/**
 * Gives `role` exactly COUNTER_PRIVILEGES, taking back anything else it had on the register (run by
 * the owner, after the migrations, in their transaction or not: every statement is idempotent).
 * A table of the register that is not declared is an error: better no counter at work than one
 * with rights nobody decided.
 */
export async function grantCounterRole(db: Queryable, role: string): Promise<void> {
  const who = pg.escapeIdentifier(role);
  const tables = await registerRelations(db);
  const undeclared = tables.filter((t) => !Object.hasOwn(COUNTER_PRIVILEGES, t));
  if (undeclared.length)
    throw new Error(`register tables without declared privileges: ${undeclared.join(', ')}`);
  await db.query(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(await databaseName(db))} TO ${who}`);
  await db.query(`GRANT USAGE ON SCHEMA public TO ${who}`);
  await db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${who}`);
  // Column grants survive a table-level REVOKE ALL: the one the trail has is taken back by name.
  if (tables.includes('events')) await db.query(`REVOKE UPDATE (data_json) ON events FROM ${who}`);
  for (const table of tables)
    await db.query(`GRANT ${COUNTER_PRIVILEGES[table]} ON ${pg.escapeIdentifier(table)} TO ${who}`);
  // The identities of events and client_consents: INSERT takes their next value.
  await db.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${who}`);
  // A purge's compaction (register.ts compactAfterPurge): migration 9's functions, run as the owner
  // (a register not yet at migration 9 has none).
  const compaction = await db.query<{ here: boolean }>(
    "SELECT to_regprocedure('public.compact_purged(text[])') IS NOT NULL AS here",
  );
  if (compaction.rows[0]?.here)
    await db.query(`GRANT EXECUTE ON FUNCTION compact_purged(text[]), flush_purged_wal() TO ${who}`);
}

async function databaseName(db: Queryable): Promise<string> {
  const result = await db.query<{ name: string }>('SELECT current_database() AS name');
  return result.rows[0]!.name;
}

/** What makes a role unfit for a counter: each one a way to change or erase what the office keeps. */
export type RoleProblem =
  'superuser' | 'owns_database' | 'creates_schemas' | 'creates_tables' | 'owns_tables' | 'rewrites_trail';

/** The counter's role could change what the office keeps: the counter does not work with it. */
export class CounterRoleRefused extends Error {
  readonly problems: RoleProblem[];

  constructor(problems: RoleProblem[]) {
    super(`the counter's database role is too powerful: ${problems.join(', ')}`);
    this.name = 'CounterRoleRefused';
    this.problems = problems;
  }
}

/**
 * The problems of the role this session runs as, seen as a counter's: none for a role made as
 * README says and given its privileges by prepare.ts.
 */
export async function counterRoleProblems(db: Queryable): Promise<RoleProblem[]> {
  const result = await db.query<Record<RoleProblem, boolean>>(
    `SELECT r.rolsuper AS superuser,
            pg_has_role(current_user, d.datdba, 'MEMBER') AS owns_database,
            has_database_privilege(current_database(), 'CREATE') AS creates_schemas,
            coalesce(has_schema_privilege('public', 'CREATE'), false) AS creates_tables,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'MEMBER'))
              AS owns_tables,
            coalesce(has_table_privilege(t.oid, 'DELETE') OR has_table_privilege(t.oid, 'TRUNCATE')
                       OR has_table_privilege(t.oid, 'TRIGGER')
                       OR EXISTS (SELECT 1 FROM pg_attribute a
                                   WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
                                     AND a.attname <> 'data_json'
                                     AND has_column_privilege(t.oid, a.attnum, 'UPDATE')), false)
              AS rewrites_trail
       FROM pg_roles r, pg_database d, (SELECT to_regclass('public.events') AS oid) t
      WHERE r.rolname = current_user AND d.datname = current_database()`,
  );
  const row = result.rows[0];
  if (!row) return ['superuser'];
  return (Object.keys(row) as RoleProblem[]).filter((k) => row[k]);
}
