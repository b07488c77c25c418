/*
 * The office database: how a counter connects to the shared PostgreSQL register.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

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
}

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

/** node-postgres settings for `config`: reads the CA file (throws when it cannot). */
export function clientConfig(config: OfficeDbConfig): pg.ClientConfig {
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
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
