import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPostgres } from '../../support/postgres-cluster.ts';
import { usePostgres } from '../../support/postgres.ts';

const pg = usePostgres();

/** A line of /proc/<pid>/status ("Uid", "State"), or null when the process is gone. */
function status(pid: number, field: string): string | null {
  if (!existsSync(`/proc/${pid}/status`)) return null;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim() ?? null;
}

/** Running, not a zombie waiting for a parent that no longer cares (pg_ctl's server is orphaned). */
const alive = (pid: number) => !/^Z/.test(status(pid, 'State') ?? 'Z');

describe('the throwaway PostgreSQL of the tests', () => {
  it('runs a real server on loopback, never as root, with its socket in its own temp dir', async () => {
    const rows = await pg.cluster.sql<{ listen: string; sockets: string; data: string }>(
      `SELECT current_setting('listen_addresses') AS listen,
              current_setting('unix_socket_directories') AS sockets,
              current_setting('data_directory') AS data`,
    );
    const row = rows[0]!;
    expect(row.listen).toBe('127.0.0.1');
    expect(row.sockets).toBe(pg.cluster.socketDir);
    expect(existsSync(join(pg.cluster.socketDir, `.s.PGSQL.${pg.cluster.port}`))).toBe(true);
    expect(pg.cluster.version).toBeGreaterThanOrEqual(14);
    const postmaster = Number(readFileSync(join(row.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(alive(postmaster)).toBe(true);
    expect(Number(status(postmaster, 'Uid')?.split(/\s+/)[0])).not.toBe(0);
    if (process.getuid?.() === 0) expect(['postgres', 'nobody']).toContain(pg.cluster.runsAs);
  });

  it('gives each test a database of its own', async () => {
    const a = await pg.database();
    const b = await pg.database();
    expect(a.name).not.toBe(b.name);
    await a.pool.query('CREATE TABLE mine (x int)');
    const seen = await b.pool.query("SELECT to_regclass('mine') AS t");
    expect(seen.rows[0]).toEqual({ t: null });
  });

  it('can make a database with an ICU locale (an Italian office’s server)', async () => {
    const { pool } = await pg.database({ icuLocale: 'it-IT' });
    const rows = await pool.query<{ provider: string; icu: string }>(
      'SELECT datlocprovider AS provider, daticulocale AS icu FROM pg_database WHERE datname = current_database()',
    );
    expect(rows.rows[0]).toEqual({ provider: 'i', icu: 'it-IT' });
  });

  it('fails with the server’s own reason when it cannot start', async () => {
    const error = await startPostgres({ settings: { shared_buffers: 'plenty' } }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/cannot start a PostgreSQL test cluster/);
    expect(error?.message).toMatch(/shared_buffers/);
  });

  it('stops the server and removes its files', async () => {
    const other = await startPostgres();
    const [{ data }] = (await other.sql<{ data: string }>(
      "SELECT current_setting('data_directory') AS data",
    )) as [{ data: string }];
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    await other.stop();
    expect(existsSync(other.socketDir)).toBe(false);
    expect(alive(postmaster)).toBe(false);
  });
});
