/*
 * The office password stays with its server (issue 21, "A counter trusts no one else"): the page
 * names a server, main decides whether the kept password may go there, and asks the clerk in its
 * own dialog before anything is sent. A "server" here is a plain TCP listener that counts who
 * knocks: zero means not one byte left the counter.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { OfficeLinkState } from '../../../common/office.ts';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import { officeAtStart } from '../../../main/settings/office.ts';
import { KeyVault } from '../../../main/settings/vault.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { usePostgres } from '../../support/postgres.ts';
import { makeServerCert } from '../../support/tls-certs.ts';

const certs = mkdtempSync(join(tmpdir(), 'sportello-certs-'));
afterAll(() => rmSync(certs, { recursive: true, force: true }));
const office = makeServerCert(certs, 'office', ['IP:127.0.0.1']);
// TLS on, and the default pg_hba.conf: the server would take a connection without it too.
const pg = usePostgres({ tls: { cert: office.cert, key: office.key } });

const quiet = { info() {}, warn() {}, error() {} };

/** A server that only counts connections (and what they sent): it never answers. */
interface Listener {
  port: number;
  connections: number;
  received: Buffer;
  close(): Promise<void>;
}

const listeners: Listener[] = [];
afterEach(async () => {
  for (const l of listeners.splice(0)) await l.close();
});

async function listener(): Promise<Listener> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, received: Buffer.alloc(0) };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('data', (d: Buffer) => (state.received = Buffer.concat([state.received, d])));
    // The counter's check gives up on a server that says nothing; its socket error is not ours.
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  const l: Listener = {
    port,
    get connections() {
      return state.connections;
    },
    get received() {
      return state.received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  listeners.push(l);
  return l;
}

/** A counter joined to a real, prepared register with the counters' role, the password kept. */
async function joined(tls: 'disable' | 'verify-full' = 'disable') {
  const { config } = await pg.register();
  const cipher = new AesCipher();
  const t = await startApp({ cipher });
  if (tls === 'verify-full') {
    t.ports.dialogs.answer({ file: office.ca.certFile });
    await t.app.handlers['office.chooseCaFile']();
  }
  const form = {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    tls,
  };
  t.ports.dialogs.answer({ confirm: true });
  await t.app.handlers['office.join']({ ...form, password: config.password });
  expect(t.ports.dialogs.pending()).toBe(0);
  return { t, cipher, config, form };
}

const confirms = (t: TestApp) => t.ports.dialogs.asked.filter((d) => d.kind === 'confirm').length;

describe('the kept office password', () => {
  it('is never sent to a server the page names: refused before any dialog or connection', async () => {
    const { t, config, form } = await joined();
    const elsewhere = await listener();
    const asked = confirms(t);
    const bound = new RegExp(
      `^La password salvata vale solo per il server 127\\.0\\.0\\.1:${config.port}, database «${config.database}», utente «${config.user}», connessione NON cifrata: digitatela di nuovo$`,
    );
    const others = [
      { ...form, port: elsewhere.port },
      { ...form, host: 'localhost', port: elsewhere.port },
      { ...form, database: 'altro' },
      { ...form, user: 'postgres' },
    ];
    // The clerk would say yes to anything: the dialog is never shown.
    t.ports.dialogs.confirmEverything();
    for (const other of others)
      for (const channel of ['office.test', 'office.join'] as const)
        await expect(t.app.handlers[channel]({ ...other, password: null })).rejects.toMatchObject({
          code: 'office_password_bound',
          message: expect.stringMatching(bound) as unknown,
          details: { host: config.host, port: config.port, database: config.database, user: config.user },
        });
    expect(confirms(t)).toBe(asked);
    expect(elsewhere.connections).toBe(0);
    // Nothing was changed either: the office is still the one joined.
    expect((await t.app.handlers['office.status']()).joined).toMatchObject({
      port: config.port,
      passwordSet: true,
    });
  });

  it('goes to its own server once the clerk confirms it there', async () => {
    const { t, form } = await joined();
    t.ports.dialogs.answer({ confirm: true });
    expect(await t.app.handlers['office.test']({ ...form, password: null })).toMatchObject({ ok: true });
  });

  it('saved with TLS verify-full, never goes over a connection without TLS', async () => {
    const { t, form, cipher } = await joined('verify-full');
    t.ports.dialogs.answer({ confirm: true });
    expect(await t.app.handlers['office.test']({ ...form, password: null })).toMatchObject({ ok: true });
    const asked = confirms(t);
    await expect(
      t.app.handlers['office.test']({ ...form, tls: 'disable', password: null }),
    ).rejects.toMatchObject({
      code: 'office_password_bound',
      message: expect.stringContaining('connessione cifrata e verificata (TLS verify-full)') as unknown,
    });
    expect(confirms(t)).toBe(asked);

    // config.json edited by hand to TLS off: at start the password is not sent, and the banner says why.
    const file = t.ports.preferences.path;
    const edited = JSON.parse(readFileSync(file, 'utf8')) as { office: Record<string, unknown> };
    const elsewhere = await listener();
    edited.office = { ...edited.office, port: elsewhere.port, tls: { mode: 'disable' } };
    writeFileSync(file, JSON.stringify(edited));
    await t.app.close();
    const restarted = await startApp({ cipher, root: t.root, simulator: t.simulator, clock: t.clock });
    const start = await officeAtStart(restarted.ports.preferences, cipher, quiet);
    expect(start).toMatchObject({ port: elsewhere.port, tls: { mode: 'disable' }, password: '' });
    expect(start?.refused).toMatchObject({ code: 'office_password_bound' });
    await restarted.app.close();

    const onOffice = await startApp({
      cipher,
      root: t.root,
      simulator: t.simulator,
      clock: t.clock,
      config: { office: start },
    });
    const states: OfficeLinkState[] = [];
    onOffice.app.events.subscribe((event, payload) => {
      if (event === 'officeLink') states.push(payload as OfficeLinkState);
    });
    const starting = onOffice.app.start().catch((error: unknown) => error);
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('unreachable'), { timeout: 5_000 });
    expect(states.at(-1)?.message).toMatch(
      /^La password salvata vale solo per il server 127\.0\.0\.1:\d+.*TLS verify-full.*: digitatela di nuovo$/,
    );
    onOffice.app.interrupt();
    expect(await starting).toMatchObject({ message: expect.stringMatching(/stopped before/) as unknown });
    expect(elsewhere.connections).toBe(0);
    await onOffice.app.close();
  });

  it('kept by an older Sportello (without its server), is bound to the server saved beside it, and sealed with it', async () => {
    const { config } = await pg.register();
    const cipher = new AesCipher();
    const t = await startApp({ cipher });
    // What an older version left: config.json's office, and the bare password in the vault.
    t.ports.preferences.set('office', {
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      tls: { mode: 'disable' },
      movedInto: null,
    });
    const vault = new KeyVault(t.ports.preferences, cipher);
    await vault.set('office.password', config.password);
    const form = {
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      tls: 'disable' as const,
    };

    const elsewhere = await listener();
    await expect(
      t.app.handlers['office.test']({ ...form, port: elsewhere.port, password: null }),
    ).rejects.toMatchObject({ code: 'office_password_bound' });
    t.ports.dialogs.answer({ confirm: true });
    expect(await t.app.handlers['office.test']({ ...form, password: null })).toMatchObject({ ok: true });
    expect(JSON.parse((await new KeyVault(t.ports.preferences, cipher).get('office.password'))!)).toEqual({
      v: 1,
      server: form,
      password: config.password,
    });
    expect(elsewhere.connections).toBe(0);
  });
});

describe('main’s confirmation, before the first byte', () => {
  const form = (port: number) => ({
    host: '127.0.0.1',
    port,
    database: 'sportello',
    user: 'sportello',
    password: 'segreta-123',
    tls: 'disable' as const,
  });

  it('Prova connessione: refused, the server sees no connection; confirmed, it does', async () => {
    const server = await listener();
    const t = await startApp();
    t.ports.dialogs.answer({ confirm: false });
    await expect(t.app.handlers['office.test'](form(server.port))).rejects.toMatchObject({
      code: 'not_confirmed',
    });
    expect(t.ports.dialogs.asked.at(-1)).toEqual({
      kind: 'confirm',
      title: 'Registro dell’ufficio',
      confirm: 'Prova connessione',
      message: `Provare la connessione al server 127.0.0.1:${server.port}?`,
      detail:
        `Server 127.0.0.1, porta ${server.port}, database «sportello», utente «sportello», connessione NON cifrata.\n\n` +
        'La password digitata viene mandata solo a questo server.\n\n' +
        'Senza TLS la password e le pratiche viaggiano in chiaro sulla rete: va bene solo su una rete dell’ufficio fidata.',
    });
    expect(server.connections).toBe(0);

    // The same listener, confirmed: it is reached (so the zero above is the dialog's doing).
    t.ports.dialogs.answer({ confirm: true });
    const check = await t.app.handlers['office.test']({ ...form(server.port) });
    expect(check).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(server.connections).toBe(1);
    expect(server.received.includes('segreta-123')).toBe(false);
  }, 15_000);

  it('Collega all’ufficio: refused, nothing sent and nothing kept', async () => {
    const server = await listener();
    const t = await startApp();
    t.ports.dialogs.answer({ confirm: false });
    await expect(t.app.handlers['office.join'](form(server.port))).rejects.toMatchObject({
      code: 'not_confirmed',
    });
    expect(t.ports.dialogs.asked.at(-1)).toMatchObject({
      message: `Collegare questo sportello al registro dell’ufficio su 127.0.0.1:${server.port}?`,
    });
    expect(server.connections).toBe(0);
    expect(await t.app.handlers['office.status']()).toMatchObject({ joined: null });
    expect(readFileSync(t.ports.preferences.path, 'utf8')).not.toContain('segreta-123');
  });

  it('Prepara il database: refused, the owner’s password goes nowhere', async () => {
    const server = await listener();
    const t = await startApp();
    const { password: _, ...rest } = form(server.port);
    t.ports.dialogs.answer({ confirm: false });
    await expect(
      t.app.handlers['office.prepare']({ ...rest, owner: 'sportello_admin', ownerPassword: 'del-tecnico' }),
    ).rejects.toMatchObject({ code: 'not_confirmed' });
    expect(t.ports.dialogs.asked.at(-1)).toMatchObject({
      message: `Preparare il registro dell’ufficio su 127.0.0.1:${server.port}?`,
      detail: expect.stringContaining('proprietario «sportello_admin»') as unknown,
    });
    expect(server.connections).toBe(0);
  });
});
