/*
 * The office database: how a counter connects to the shared PostgreSQL register, and the
 * "Prova connessione" check that tells the office's IT person, in Italian, what is wrong.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { AppError } from '../../errors.ts';
import { PostgresSchemaTooNew, RegisterNotPrepared, registerVersion } from './migrate.ts';
import { PG_MIGRATIONS } from './migrations.ts';
import { counterRoleProblems, CounterRoleRefused } from './privileges.ts';

/**
 * Where the register lives. TLS is either off (a server on the same machine or a trusted LAN,
 * the office's choice) or `verify-full` with the office's CA: nothing in between, because an
 * encrypted connection to a server whose identity is not checked protects from nobody.
 */
export interface OfficeDbConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  tls: { mode: 'disable' } | { mode: 'verify-full'; caFile: string };
  /** How long to wait for the server before giving up (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * Set when the kept password must not go to this server (settings/office-password.ts): the
   * error the server's request for a password meets instead, so the password never leaves.
   */
  refused?: AppError;
}

/** The oldest PostgreSQL the register supports (README: "Più sportelli in un ufficio"). */
export const MIN_SERVER_VERSION = 140000;

const INT8 = 20;

/**
 * bigint columns hold times in ms, sizes and ids: JS numbers, as better-sqlite3 gives them. A
 * value beyond 2^53 would come back silently changed, so it is an error instead.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is beyond a safe JS number`);
  return value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8 && format !== 'binary'
      ? parseInt8
      : (pg.types.getTypeParser(oid, format ?? 'text') as unknown),
};

/** A pool or a client: what runs a query. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

/** node-postgres settings for `config`: reads the CA file (throws when it cannot). */
export function clientConfig(config: OfficeDbConfig): pg.ClientConfig {
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.refused ? refusedPassword(config.refused) : config.password,
    // checkServerIdentity stays Node's default: the certificate must name `host` (verify-full).
    ssl:
      config.tls.mode === 'verify-full'
        ? { ca: readFileSync(config.tls.caFile, 'utf8'), rejectUnauthorized: true }
        : false,
    connectionTimeoutMillis: config.connectTimeoutMs ?? 5000,
    application_name: 'Sportello',
    types,
  };
}

/** What pg calls when the server asks for the password: the refusal, thrown, ends the connection. */
function refusedPassword(refusal: AppError): () => string {
  return () => {
    throw refusal;
  };
}

/**
 * A pool of connections to the register; `max` counts this counter's connections only. An idle
 * connection that breaks (the server restarted, a network cut) is dropped by the pool and told to
 * `onIdleError`: unheard, it would end the process.
 */
export function openPool(
  config: OfficeDbConfig,
  options: { max?: number; onIdleError: (error: Error) => void },
): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(config), max: options.max ?? 4, idleTimeoutMillis: 30_000 });
  pool.on('error', options.onIdleError);
  return pool;
}

/** What is wrong, as the office's IT person can fix it. */
export type ConnectionProblem =
  | 'auth'
  | 'database'
  | 'permission'
  | 'unreachable'
  | 'tls'
  | 'version'
  | 'newer'
  /** The register is behind this app: its owner must prepare it (prepare.ts). */
  | 'outdated'
  /** The counter's role could change the schema or erase the trail (privileges.ts). */
  | 'role'
  /** The kept password belongs to another server (settings/office-password.ts). */
  | 'password'
  | 'other';

export type ConnectionCheck =
  | {
      ok: true;
      /** e.g. "15.18" */
      serverVersion: string;
      /** The register's schema version (0: empty database) and the one this app brings. */
      register: { version: number; latest: number };
    }
  | {
      ok: false;
      problem: ConnectionProblem;
      /** Italian, for the screen. */
      message: string;
      /** The technical detail, for the log. */
      detail: string;
    };

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
]);

const ROLE_PROBLEMS: Record<CounterRoleRefused['problems'][number], string> = {
  superuser: 'è un superutente',
  owns_database: 'è il proprietario del database',
  creates_schemas: 'può creare schemi',
  creates_tables: 'può creare tabelle',
  owns_tables: 'è il proprietario delle tabelle',
  rewrites_trail: 'può cancellare o riscrivere la traccia',
};

/** A failure to connect or to use the register, as a problem and an Italian sentence. */
export function describeFailure(
  error: unknown,
  config: Pick<OfficeDbConfig, 'host' | 'port' | 'database' | 'user'> & { caFile?: string },
): { problem: ConnectionProblem; message: string; detail: string } {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; syscall?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const text = typeof e.message === 'string' ? e.message : String(error);
  const detail = code ? `${code}: ${text}` : text;
  const where = `${config.host}:${config.port}`;
  const fail = (problem: ConnectionProblem, message: string) => ({ problem, message, detail });

  if (error instanceof AppError && error.code === 'office_password_bound')
    return fail('password', error.message);
  if (error instanceof RegisterNotPrepared)
    return fail(
      'outdated',
      `${
        error.found === 0
          ? 'Il registro dell’ufficio non è ancora stato preparato'
          : `Il registro dell’ufficio è alla versione ${error.found}, questa versione di Sportello ne vuole ${error.latest}`
      }: il tecnico lo prepari da Impostazioni → Ufficio → «Prepara il database», con l’utente proprietario del database.`,
    );
  if (error instanceof CounterRoleRefused)
    return fail(
      'role',
      `L’utente «${config.user}» può modificare il registro dell’ufficio (${error.problems
        .map((p) => ROLE_PROBLEMS[p])
        .join(
          ', ',
        )}): gli sportelli si collegano con l’utente degli sportelli, che legge e scrive le pratiche e nient’altro; l’utente proprietario serve solo a «Prepara il database».`,
    );
  if (error instanceof PostgresSchemaTooNew)
    return fail(
      'newer',
      `Il database dell’ufficio è stato aggiornato da una versione più recente di Sportello (schema ${error.found}, questa ne conosce ${error.latest}): aggiornate Sportello su questo computer.`,
    );
  if (code === '28P01')
    return fail('auth', `Utente «${config.user}» o password non accettati dal server ${where}.`);
  if (code === '28000') {
    if (/no encryption/i.test(text))
      return fail(
        'tls',
        'Il server accetta solo connessioni cifrate: attivate TLS (verify-full) e indicate il certificato dell’ufficio (CA).',
      );
    return fail(
      'permission',
      `Il server non accetta l’utente «${config.user}» da questo computer: va aggiunto in pg_hba.conf dal tecnico.`,
    );
  }
  if (code === '3D000')
    return fail('database', `Il database «${config.database}» non esiste sul server ${where}.`);
  if (code === '42501')
    return fail(
      'permission',
      `L’utente «${config.user}» non ha i permessi necessari sul database «${config.database}».`,
    );
  if (code === '53300')
    return fail(
      'unreachable',
      `Il server ${where} ha raggiunto il numero massimo di connessioni: riprovate tra poco.`,
    );
  if (code === '57P03')
    return fail('unreachable', `Il server ${where} si sta avviando o arrestando: riprovate tra poco.`);
  if (code === 'ENOENT' && config.caFile)
    return fail('tls', `Il file del certificato (CA) «${config.caFile}» non si trova o non si può leggere.`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return fail(
      'tls',
      `Il certificato del server non è intestato a «${config.host}»: usate il nome indicato nel certificato.`,
    );
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return fail('tls', 'Il certificato del server è scaduto o non ancora valido.');
  if (TLS_CODES.has(code) || /certificate|PEM|ssl|tls/i.test(code))
    return fail('tls', 'Il certificato del server non è firmato dal certificato dell’ufficio (CA) indicato.');
  if (/does not support SSL/i.test(text))
    return fail('tls', `Il server ${where} non accetta connessioni cifrate (TLS): va attivato sul server.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return fail(
      'unreachable',
      `Il nome «${config.host}» non si trova in rete: controllate l’indirizzo del server.`,
    );
  if (UNREACHABLE_CODES.has(code) || /timeout|terminated unexpectedly/i.test(text))
    return fail(
      'unreachable',
      `Il server ${where} non risponde: controllate indirizzo, porta e che PostgreSQL sia avviato e raggiungibile.`,
    );
  return fail(
    'other',
    `Collegamento al database dell’ufficio non riuscito (${code || 'errore sconosciuto'}).`,
  );
}

/**
 * "Prova connessione": connects with `config`, and checks the server version and the register's
 * schema version; as a `counter`'s connection, also that its role cannot change the schema or
 * erase the trail (privileges.ts). Never throws: every failure is an answer.
 */
export async function checkConnection(
  config: OfficeDbConfig,
  options: { counter?: boolean } = {},
): Promise<ConnectionCheck> {
  const where = {
    ...config,
    ...(config.tls.mode === 'verify-full' ? { caFile: config.tls.caFile } : {}),
  };
  let client: pg.Client | undefined;
  try {
    client = new pg.Client(clientConfig(config));
    // An error event after connect (the server going away) must not crash the process.
    client.on('error', () => {});
    await client.connect();
    const server = await client.query<{ num: string; version: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
    );
    const row = server.rows[0]!;
    if (Number(row.num) < MIN_SERVER_VERSION)
      return {
        ok: false,
        problem: 'version',
        message: `Il server ha PostgreSQL ${row.version}: serve la versione 14 o successiva.`,
        detail: `server_version ${row.version}`,
      };
    const version = await registerVersion(client);
    const latest = PG_MIGRATIONS.length;
    if (version > latest) throw new PostgresSchemaTooNew(version, latest);
    if (options.counter) {
      const problems = await counterRoleProblems(client);
      if (problems.length) throw new CounterRoleRefused(problems);
    }
    return { ok: true, serverVersion: row.version, register: { version, latest } };
  } catch (error) {
    return { ok: false, ...describeFailure(error, where) };
  } finally {
    // Closing a connection that failed or that the server dropped can fail too: the answer above
    // already says what went wrong, and this check holds nothing else open.
    await client?.end().catch(() => undefined);
  }
}
