/*
 * A throwaway PostgreSQL cluster for tests and the bench: Debian's own binaries, initdb in a temp
 * dir, the server on 127.0.0.1 at a free port with its unix socket in the same dir, stopped and
 * removed at the end. The real server, not a double: the office register is tested against what
 * an office runs.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the
 * `postgres` system user (created by Debian's package) or, failing that, `nobody`, and every
 * binary is spawned with that uid and gid (Node drops the supplementary groups). A developer who
 * is not root runs it as themself.
 *
 * No vitest here: the bench uses it too. test/support/postgres.ts wires it into a test file.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { appendFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { OfficeDbConfig } from '../../main/db/postgres/connection.ts';

export interface ClusterOptions {
  /** postgresql.conf settings on top of the test defaults (e.g. shared_buffers for the bench). */
  settings?: Record<string, string | number>;
  /** Durable writes (fsync): the bench keeps them; tests trade them for speed by default. */
  durable?: boolean;
  /** A server certificate and key (PEM): the cluster then accepts TLS. */
  tls?: { cert: string; key: string };
  /** pg_hba.conf lines replacing the default (trust on the socket, scram-sha-256 on 127.0.0.1). */
  hba?: string[];
}

export interface PostgresCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The directory holding the unix socket (and the data directory). */
  readonly socketDir: string;
  /** The data directory (PGDATA): base/ holds the databases' files, pg_wal/ the WAL. */
  readonly dataDir: string;
  /** The superuser's name and password (scram-sha-256 over TCP). */
  readonly user: string;
  readonly password: string;
  /** The server's major version, e.g. 15. */
  readonly version: number;
  /** The OS user the server runs as. */
  readonly runsAs: string;
  /** A connection to `database` as the superuser, over TCP without TLS. */
  config(database?: string, patch?: Partial<OfficeDbConfig>): OfficeDbConfig;
  /** Runs SQL as the superuser in `database` (default `postgres`), over the unix socket; returns the rows. */
  sql<T extends Record<string, unknown>>(text: string, params?: unknown[], database?: string): Promise<T[]>;
  /** A new empty database (from template0); ICU locale if asked, else the cluster's (C, UTF-8). */
  createDatabase(options?: { name?: string; icuLocale?: string }): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Stops the server (fast shutdown) and removes every file. */
  stop(): Promise<void>;
}

/** The newest PostgreSQL installed: Debian's /usr/lib/postgresql/<major>/bin, else initdb on PATH. */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors[0]) return join(root, majors[0], 'bin');
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries not found (no /usr/lib/postgresql/<version>/bin/initdb, no initdb on PATH): ' +
      'apt-get install -y postgresql',
  );
}

interface Identity {
  name: string;
  uid: number;
  gid: number;
}

/** Who runs the server: ourselves, or an unprivileged system user when we are root. */
function serverIdentity(): Identity | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (uid > 0 && gid > 0) return { name, uid, gid };
    } catch {
      // no such user here: try the next one
    }
  }
  throw new Error(
    'running as root, and neither the "postgres" nor the "nobody" user exists to run PostgreSQL',
  );
}

/**
 * A base directory the server's user can reach: the system temp dir when every ancestor lets
 * others through (a root TMPDIR under /root does not), else /tmp.
 */
function baseDir(identity: Identity | null): string {
  const preferred = tmpdir();
  if (!identity) return preferred;
  for (let dir = preferred; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return '/tmp';
    if (dir === dirname(dir)) return preferred;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Runs a PostgreSQL binary as the server's user; rejects with its output when it fails. */
function run(bin: string, args: string[], identity: Identity | null, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      ...(identity ? { uid: identity.uid, gid: identity.gid } : {}),
      // A stable, English locale for the tools' messages; HOME of root is not readable by them.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output);
      else
        reject(new Error(`${bin} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

const quoteConf = (v: string | number) =>
  typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`;

/** Starts a cluster; throws with the reason (missing binaries, initdb or server log) when it cannot. */
export async function startPostgres(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const identity = serverIdentity();
  const dir = mkdtempSync(join(baseDir(identity), 'sportello-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const user = 'sportello_test';
  const password = randomBytes(18).toString('base64url');
  let started = false;
  const owned = (path: string) => {
    if (identity) chownSync(path, identity.uid, identity.gid);
  };
  const stopNow = () => {
    if (started) {
      spawnSync(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], {
        ...(identity ? { uid: identity.uid, gid: identity.gid } : {}),
        stdio: 'ignore',
        timeout: 30_000,
      });
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test run that dies without its teardown must not leave a server behind.
  process.once('exit', stopNow);
  try {
    owned(dir);
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    owned(pwfile);
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        user,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
      ],
      identity,
    );
    rmSync(pwfile);
    if (identity) accessSync(data, constants.R_OK); // root reads it anyway; a sanity check of the chown
    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: dir,
      max_connections: 60,
      ...(options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
      ...(options.tls
        ? { ssl: 'on', ssl_cert_file: join(dir, 'server.crt'), ssl_key_file: join(dir, 'server.key') }
        : {}),
      ...options.settings,
    };
    if (options.tls) {
      writeFileSync(join(dir, 'server.crt'), options.tls.cert);
      // The server refuses a key that others can read.
      writeFileSync(join(dir, 'server.key'), options.tls.key, { mode: 0o600 });
      owned(join(dir, 'server.crt'));
      owned(join(dir, 'server.key'));
    }
    if (options.hba) writeFileSync(join(data, 'pg_hba.conf'), `${options.hba.join('\n')}\n`);
    appendFileSync(
      join(data, 'postgresql.conf'),
      `\n# sportello test cluster\n${Object.entries(settings)
        .map(([k, v]) => `${k} = ${quoteConf(v)}`)
        .join('\n')}\n`,
    );
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await run(
          join(bin, 'pg_ctl'),
          ['start', '-D', data, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`],
          identity,
        );
        started = true;
        break;
      } catch (error) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        // Another process took the port between our probe and the server's bind: try another.
        if (attempt < 3 && /could not bind|Address already in use/i.test(log)) continue;
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\nserver log:\n${log.trim()}`,
          {
            cause: error,
          },
        );
      }
    }
    const version = Number(readFileSync(join(data, 'PG_VERSION'), 'utf8').trim().replace(/\..*/, ''));
    const config = (database = 'postgres', patch: Partial<OfficeDbConfig> = {}): OfficeDbConfig => ({
      host: '127.0.0.1',
      port,
      database,
      user,
      password,
      tls: { mode: 'disable' },
      ...patch,
    });
    const sql = async <T extends Record<string, unknown>>(
      text: string,
      params: unknown[] = [],
      database?: string,
    ) => {
      // Through the unix socket (trust): whatever pg_hba.conf asks of TCP clients, the tests' own
      // set-up gets in.
      const client = new pg.Client({ host: dir, port, user, database: database ?? 'postgres' });
      await client.connect();
      try {
        return (await client.query<T>(text, params)).rows;
      } finally {
        await client.end();
      }
    };
    let made = 0;
    return {
      host: '127.0.0.1',
      port,
      socketDir: dir,
      dataDir: data,
      user,
      password,
      version,
      runsAs: identity?.name ?? (process.env.USER || `uid ${process.getuid?.()}`),
      config,
      sql,
      async createDatabase({ name, icuLocale } = {}) {
        const db = name ?? `t${process.pid}_${++made}`;
        if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new Error(`not a plain database name: ${db}`);
        const locale = icuLocale
          ? ` LOCALE_PROVIDER icu ICU_LOCALE ${quoteConf(icuLocale)} LOCALE 'C.UTF-8'`
          : '';
        await sql(`CREATE DATABASE ${db} TEMPLATE template0 ENCODING 'UTF8'${locale}`);
        return db;
      },
      async dropDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
        await sql(`DROP DATABASE IF EXISTS ${name}`);
      },
      async stop() {
        process.removeListener('exit', stopNow);
        try {
          if (started) await run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w'], identity);
          started = false;
        } finally {
          stopNow();
        }
      },
    };
  } catch (error) {
    process.removeListener('exit', stopNow);
    stopNow();
    throw new Error(
      `cannot start a PostgreSQL test cluster (binaries ${bin}, as ${identity?.name ?? 'the current user'}): ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
}
