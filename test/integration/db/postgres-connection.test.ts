import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConnection, type OfficeDbConfig } from '../../../main/db/postgres/connection.ts';
import { migratePostgres } from '../../../main/db/postgres/migrate.ts';
import { PG_MIGRATIONS } from '../../../main/db/postgres/migrations.ts';
import { usePostgres } from '../../support/postgres.ts';
import { makeServerCert } from '../../support/tls-certs.ts';

const certs = mkdtempSync(join(tmpdir(), 'sportello-certs-'));
afterAll(() => rmSync(certs, { recursive: true, force: true }));
// The office's server: a certificate for its address only, and TLS required by pg_hba.conf.
const office = makeServerCert(certs, 'office', ['IP:127.0.0.1']);
const stranger = makeServerCert(certs, 'stranger', ['IP:127.0.0.1']);

const tlsOnly = usePostgres({
  tls: { cert: office.cert, key: office.key },
  hba: [
    'local all all trust',
    'hostssl all all 127.0.0.1/32 scram-sha-256',
    'hostnossl all all 127.0.0.1/32 reject',
  ],
});
const plain = usePostgres();

const verified = (config: OfficeDbConfig, caFile = office.ca.certFile): OfficeDbConfig => ({
  ...config,
  tls: { mode: 'verify-full', caFile },
});

describe('Prova connessione (office database)', () => {
  it('connects with verify-full and the office CA, and tells the server and register versions', async () => {
    const { config } = await tlsOnly.database();
    const check = await checkConnection(verified(config));
    expect(check).toEqual({
      ok: true,
      serverVersion: expect.stringMatching(new RegExp(`^${tlsOnly.cluster.version}\\.`)) as unknown,
      register: { version: 0, latest: PG_MIGRATIONS.length },
    });
    await migratePostgres(tlsOnly.pool(verified(config)), PG_MIGRATIONS);
    expect(await checkConnection(verified(config))).toMatchObject({
      ok: true,
      register: { version: PG_MIGRATIONS.length, latest: PG_MIGRATIONS.length },
    });
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const { config } = await tlsOnly.database();
    expect(await checkConnection(verified(config, stranger.ca.certFile))).toMatchObject({
      ok: false,
      problem: 'tls',
      message: expect.stringContaining('non è firmato dal certificato dell’ufficio') as unknown,
    });
  });

  it('refuses a certificate that does not name the host the counter dialled', async () => {
    const { config } = await tlsOnly.database();
    expect(await checkConnection(verified({ ...config, host: 'localhost' }))).toMatchObject({
      ok: false,
      problem: 'tls',
      message: expect.stringContaining('non è intestato a «localhost»') as unknown,
    });
  });

  it('says when the CA file cannot be read', async () => {
    const { config } = await tlsOnly.database();
    expect(await checkConnection(verified(config, join(certs, 'missing.crt')))).toMatchObject({
      ok: false,
      problem: 'tls',
      message: expect.stringContaining('missing.crt') as unknown,
    });
  });

  it('says when the server wants TLS and the counter has it off', async () => {
    const { config } = await tlsOnly.database();
    expect(await checkConnection(config)).toMatchObject({
      ok: false,
      problem: 'tls',
      message: expect.stringContaining('solo connessioni cifrate') as unknown,
    });
  });

  it('says when the counter wants TLS and the server has none', async () => {
    const { config } = await plain.database();
    expect(await checkConnection(verified(config))).toMatchObject({
      ok: false,
      problem: 'tls',
      message: expect.stringContaining('non accetta connessioni cifrate') as unknown,
    });
  });

  it('says when the password is wrong', async () => {
    const { config } = await plain.database();
    expect(await checkConnection({ ...config, password: 'sbagliata' })).toMatchObject({
      ok: false,
      problem: 'auth',
      message: `Utente «${config.user}» o password non accettati dal server 127.0.0.1:${config.port}.`,
    });
  });

  it('says when the database does not exist', async () => {
    const { config } = await plain.database();
    expect(await checkConnection({ ...config, database: 'ufficio_inesistente' })).toMatchObject({
      ok: false,
      problem: 'database',
      message: expect.stringContaining('«ufficio_inesistente» non esiste') as unknown,
    });
  });

  it('says when the user may not connect to the database', async () => {
    const { config, name } = await plain.database();
    await plain.cluster.sql("CREATE ROLE sportello_clerk LOGIN PASSWORD 'sportello'");
    try {
      await plain.cluster.sql(`REVOKE CONNECT ON DATABASE ${name} FROM PUBLIC`);
      expect(
        await checkConnection({ ...config, user: 'sportello_clerk', password: 'sportello' }),
      ).toMatchObject({ ok: false, problem: 'permission' });
    } finally {
      await plain.cluster.sql('DROP ROLE sportello_clerk');
    }
  });

  it('says when the register was migrated by a newer Sportello', async () => {
    const { config, pool } = await plain.database();
    await migratePostgres(pool, PG_MIGRATIONS);
    await pool.query("INSERT INTO schema_version (version, name) VALUES ($1, 'next')", [
      PG_MIGRATIONS.length + 1,
    ]);
    expect(await checkConnection(config)).toMatchObject({ ok: false, problem: 'newer' });
  });

  it('says when nothing answers at the address', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    expect(await checkConnection({ ...plain.cluster.config(), port })).toMatchObject({
      ok: false,
      problem: 'unreachable',
      message: expect.stringContaining(`127.0.0.1:${port} non risponde`) as unknown,
    });
  });

  it('gives up on a server that accepts and never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    const port = await new Promise<number>((resolve) =>
      silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)),
    );
    try {
      const started = Date.now();
      expect(await checkConnection({ ...plain.cluster.config(), port, connectTimeoutMs: 300 })).toMatchObject(
        {
          ok: false,
          problem: 'unreachable',
        },
      );
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

describe('office database values', () => {
  it('reads bigint columns as JS numbers, as SQLite gives them, and refuses one a number cannot hold', async () => {
    const { pool } = await plain.database();
    const rows = await pool.query<{ at: unknown; n: unknown }>(
      'SELECT 1767225600123::bigint AS at, count(*) AS n FROM generate_series(1, 3)',
    );
    expect(rows.rows[0]).toEqual({ at: 1767225600123, n: 3 });
    await expect(pool.query('SELECT 9007199254740993::bigint AS x')).rejects.toThrow(
      /beyond a safe JS number/,
    );
  });
});
