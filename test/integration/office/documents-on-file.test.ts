/*
 * Documents on file at every counter of an office (issue 22, item 10), two counters on one real
 * PostgreSQL register: kept at one, opened at another once a clerk there confirmed its fingerprint
 * in main's dialog; a public key written into the register by someone else never granted without
 * that; revoking at one counter deletes them for all; a copy of the register opens nothing.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FilesAccess } from '../../../common/clients.ts';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import {
  documentKeyId,
  fingerprint,
  importKeyPair,
  makeDocumentKey,
  makeKeyPair,
  unwrapWith,
  wrapFor,
} from '../../../main/clients/key-wrap.ts';
import { openDatabase } from '../../../main/db/database.ts';
import { openPool } from '../../../main/db/postgres/connection.ts';
import type { AppError } from '../../../main/errors.ts';
import { KeyVault } from '../../../main/settings/vault.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import type { Register } from '../../../main/store/port.ts';
import { sqliteOf, startApp, type TestApp } from '../../support/app.ts';
import { CONGEDO, MARIO, RISCATTO, congedoDraft, sendDraft } from '../../support/drafts.ts';
import { pngImage, textPdf } from '../../support/files.ts';
import { documentBefore, keepBefore } from '../../support/kept-before.ts';
import { useOffice } from '../../support/office.ts';
import { findPostgresBin } from '../../support/postgres-cluster.ts';
import { tempDir } from '../../support/tmp.ts';

const office = useOffice();

const NOT_GRANTED =
  'Questo sportello non ha ancora l’accesso ai documenti conservati: chiedete a un collega di concederlo da Impostazioni → Ufficio';

const error = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

const pgOf = (t: TestApp): PgRegister => {
  const store = t.app.internals.store;
  if (!(store instanceof PgRegister)) throw new Error('not on the office register');
  return store;
};

/** Both counters started (each publishes its key) and their start-up work done. */
async function started(...counters: TestApp[]): Promise<void> {
  for (const t of counters) await t.app.start();
  await Promise.all(counters.map((t) => t.app.internals.idle()));
}

/** The client's ID and CF card kept at `t`, with consent, as a request sent there leaves them. */
async function keptAt(t: TestApp): Promise<string> {
  const id = await congedoDraft(t.app);
  await t.app.handlers['clients.consent'](MARIO.$4, null, id);
  await sendDraft(t.app, id);
  return id;
}

/** A new request for the client at `t` (another service: no duplicate to acknowledge). */
async function nextRequest(t: TestApp, service = RISCATTO): Promise<string> {
  return (await t.app.handlers['drafts.create'](service, { clientCf: MARIO.$4 })).id;
}

/** `granter` grants `counter`, its clerk confirming in main's dialog. */
async function grant(granter: TestApp, counter: TestApp): Promise<FilesAccess> {
  const id = (await counter.app.handlers['clients.filesAccess']()).self.counterId;
  granter.ports.dialogs.answer({ confirm: true });
  return granter.app.handlers['clients.grantFilesAccess'](id);
}

const grantRows = (store: Register, counterId: string) => store.keys.grantsTo(counterId);

describe('documents on file at every counter of an office', () => {
  it('kept at one counter, are opened at another once a clerk who holds their key grants it, after comparing fingerprints', async () => {
    const [a, b] = await office.pair();
    await started(a, b);
    const sent = await keptAt(a);
    const original = (await a.app.handlers['requests.get'](sent)).attachments;

    // At Ufficio-2: listed, but not its to open yet; it says so, and adds nothing.
    const atB = await b.app.handlers['clients.get'](MARIO.$4);
    expect(atB.files.map((f) => f.kind).sort()).toEqual(['codice_fiscale', 'identita']);
    expect(atB.filesReadable).toBe(false);
    const draft = await nextRequest(b);
    expect(await error(b.app.handlers['clients.useFiles'](draft))).toMatchObject({
      code: 'documents_not_granted',
      message: NOT_GRANTED,
    });
    expect((await b.app.handlers['requests.get'](draft)).attachments).toEqual([]);

    // Ufficio-2 shows its key's fingerprint; Ufficio-1 lists it with the same one.
    const self = (await b.app.handlers['clients.filesAccess']()).self;
    expect(self).toMatchObject({ name: 'Ufficio-2', state: 'waiting' });
    expect(self.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
    const before = await a.app.handlers['clients.filesAccess']();
    expect(before.self).toMatchObject({ name: 'Ufficio-1', state: 'granted' });
    expect(before.self.fingerprint).not.toBe(self.fingerprint);
    expect(before.counters).toEqual([
      expect.objectContaining({
        counterId: self.counterId,
        name: 'Ufficio-2',
        fingerprint: self.fingerprint,
        granted: false,
        canGrant: true,
      }),
    ]);

    // Ufficio-1's clerk grants it, confirming in main's dialog what Ufficio-2 shows.
    const after = await grant(a, b);
    const asked = a.ports.dialogs.asked.at(-1);
    expect(asked?.kind).toBe('confirm');
    expect(asked?.message).toContain('«Ufficio-2»');
    expect(asked?.detail).toContain(self.fingerprint);
    expect(after.counters[0]).toMatchObject({ granted: true, canGrant: false });
    expect((await b.app.handlers['clients.filesAccess']()).self.state).toBe('granted');

    // Ufficio-2 reuses them: the very documents sent at Ufficio-1.
    expect((await b.app.handlers['clients.get'](MARIO.$4)).filesReadable).toBe(true);
    const added = await b.app.handlers['clients.useFiles'](draft);
    expect(added.map((x) => x.fieldKey).sort()).toEqual(['$5', '$6']);
    const sha = (list: { fieldKey: string; sha256: string }[], key: string) =>
      list.find((x) => x.fieldKey === key)?.sha256;
    expect(sha(added, '$6')).toBe(sha(original, '$6'));

    // What Ufficio-2 keeps in turn, under the same office key, Ufficio-1 opens without a new grant.
    await b.app.handlers['drafts.update'](draft, { fields: { ...MARIO } });
    await b.app.handlers['attachments.add'](draft, '$7', { name: 'mandato.png', data: await pngImage() });
    await sendDraft(b.app, draft);
    const keptByB = (await a.app.handlers['clients.get'](MARIO.$4)).files.map((f) => f.id);
    expect(keptByB).toHaveLength(2);
    expect(keptByB.some((id) => atB.files.some((f) => f.id === id))).toBe(false);
    const again = await nextRequest(a, CONGEDO);
    const atA = await a.app.handlers['clients.useFiles'](again);
    expect(sha(atA, '$6')).toBe(sha(added, '$6'));
    const keys = await pgOf(a).keys.keys();
    expect(keys).toHaveLength(1);

    // The grant is in the office's trail: who granted which counter, with its fingerprint.
    const events = await pgOf(a).sql.rows<{
      kind: string;
      operator: string;
      counter: string;
      data_json: string;
    }>("SELECT kind, operator, counter, data_json FROM events WHERE kind = 'documents_access_granted'");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ operator: 'Anna', counter: 'Ufficio-1' });
    expect(JSON.parse(events[0]!.data_json)).toEqual({
      counter: 'Ufficio-2',
      fingerprint: self.fingerprint,
      keys: 1,
    });
  });

  it('never grants a public key written into the register by someone else without the clerk’s yes in main’s dialog', async () => {
    const [a, b] = await office.pair();
    await started(a, b);
    await keptAt(a);
    const store = pgOf(a);
    const realB = (await b.app.handlers['clients.filesAccess']()).self;

    // Someone with the register's password publishes a key under the name of Ufficio-2.
    const rogue = makeKeyPair();
    const rogueId = randomUUID();
    await store.keys.publish({
      counter_id: rogueId,
      counter_name: 'Ufficio-2',
      public_key: rogue.publicKey,
      published_at: a.clock.now(),
      updated_at: a.clock.now(),
    });
    const listed = (await a.app.handlers['clients.filesAccess']()).counters;
    expect(listed.map((c) => c.name)).toEqual(['Ufficio-2', 'Ufficio-2']);
    const fake = listed.find((c) => c.counterId === rogueId)!;
    expect(fake).toMatchObject({ fingerprint: fingerprint(rogue.publicKey), granted: false, canGrant: true });
    expect(fake.fingerprint).not.toBe(realB.fingerprint);

    // Nothing grants it by itself: keeping more documents, starting again.
    await a.app.handlers['clients.consent'](MARIO.$4, null, null);
    const more = await nextRequest(a);
    await a.app.handlers['clients.useFiles'](more);
    await a.app.handlers['drafts.update'](more, { fields: { ...MARIO } });
    await a.app.handlers['attachments.add'](more, '$7', { name: 'mandato.png', data: await pngImage() });
    await sendDraft(a.app, more);
    await started(a);
    expect(await grantRows(store, rogueId)).toEqual([]);

    // The clerk compares the fingerprints and says no: nothing is granted.
    a.ports.dialogs.answer({ confirm: false });
    expect(await error(a.app.handlers['clients.grantFilesAccess'](rogueId))).toMatchObject({
      code: 'not_confirmed',
    });
    expect(a.ports.dialogs.asked.at(-1)?.detail).toContain(fake.fingerprint);
    expect(await grantRows(store, rogueId)).toEqual([]);
    // With every row of the register and its own private key, it opens no grant.
    for (const g of await store.keys.grants())
      for (const counterId of [rogueId, g.counter_id])
        expect(() => unwrapWith(rogue, g.wrapped, { keyId: g.key_id, counterId })).toThrow();

    // Written over a granted counter's key: the counter is not granted again silently either…
    await grant(a, b);
    await store.keys.publish({
      counter_id: realB.counterId,
      counter_name: 'Ufficio-2',
      public_key: rogue.publicKey,
      published_at: a.clock.now() + 1,
      updated_at: a.clock.now() + 1,
    });
    const overwritten = (await a.app.handlers['clients.filesAccess']()).counters.find(
      (c) => c.counterId === realB.counterId,
    );
    expect(overwritten).toMatchObject({ fingerprint: fake.fingerprint, granted: false, canGrant: true });
    // …while the counter itself still opens with its own key, and puts its own key back at its start.
    expect((await b.app.handlers['clients.get'](MARIO.$4)).filesReadable).toBe(true);
    await started(b);
    expect(
      (await a.app.handlers['clients.filesAccess']()).counters.find((c) => c.counterId === realB.counterId),
    ).toMatchObject({ fingerprint: realB.fingerprint, granted: true });
  });

  it('never seals with a key someone else wrote into the register for a counter: only with the key it chose', async () => {
    const [a, b] = await office.pair();
    await started(a, b);
    await keptAt(a);
    const store = pgOf(a);
    const [office1] = await store.keys.keys();
    // Anyone can wrap a key of their own for Ufficio-1's public key, dated before the office's.
    const planted = makeDocumentKey();
    const plantedId = documentKeyId(planted);
    const self = (await a.app.handlers['clients.filesAccess']()).self;
    const published = await store.keys.counter(self.counterId);
    await store.keys.addKey(
      { id: plantedId, created_at: 0, created_by: 'x' },
      {
        key_id: plantedId,
        counter_id: self.counterId,
        public_key: published!.public_key,
        wrapped: wrapFor(published!.public_key, planted, { keyId: plantedId, counterId: self.counterId }),
        granted_by: 'x',
        granted_at: 0,
      },
    );

    // Kept again at Ufficio-1: sealed with the office's key, not the planted one.
    const more = await nextRequest(a);
    await a.app.handlers['drafts.update'](more, { fields: { ...MARIO } });
    for (const [field, data] of [
      ['$5', await textPdf(1, 'Carta nuova')],
      ['$6', await textPdf(1, 'Tessera nuova')],
      ['$7', await pngImage()],
    ] as const)
      await a.app.handlers['attachments.add'](more, field, { name: `${field}.pdf`, data });
    await sendDraft(a.app, more);
    const rows = await store.sql.rows<{ key_id: string }>('SELECT key_id FROM client_files');
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.key_id === office1!.id)).toBe(true);
    // Ufficio-2 still opens what Ufficio-1 keeps, once granted (the planted key is not alive for it).
    await grant(a, b);
    expect((await b.app.handlers['clients.get'](MARIO.$4)).filesReadable).toBe(true);
  });

  it('revoked at one counter, are deleted for every counter, and so is a copy of before on another’s disk', async () => {
    const [a, b] = await office.pair();
    await started(a, b);
    await keptAt(a);
    await grant(a, b);
    // A copy of before on Ufficio-1's disk, for the same client (its row in the register).
    const old = documentBefore(MARIO.$4, 'identita', Buffer.from(await textPdf(1, 'Carta vecchia')));
    await keepBefore(a.root, a.app.internals.store, new AesCipher(), [old], {
      now: a.clock.now(),
      sealingKey: false,
    });
    const local = join(a.root, 'userData', 'clienti');
    expect(readdirSync(local)).toEqual([`${old.id}.bin`]);

    const after = await b.app.handlers['clients.revokeConsent'](MARIO.$4, null);
    expect(after.files).toEqual([]);
    expect(after.consent).toBeNull();
    // At Ufficio-1: nothing listed, nothing to reuse, nothing in the register.
    expect((await a.app.handlers['clients.get'](MARIO.$4)).files).toEqual([]);
    expect(await a.app.handlers['clients.useFiles'](await nextRequest(a))).toEqual([]);
    expect(await pgOf(a).sql.rows('SELECT id FROM client_files')).toEqual([]);
    // Ufficio-1's copy of before goes at its next start (or its daily retention run).
    await started(a);
    expect(existsSync(local) ? readdirSync(local) : []).toEqual([]);
  });

  it('moves each counter’s documents of before in; once they grant each other, each opens both', async () => {
    const [a, b] = await office.pair();
    const register = a.app.internals.store;
    const [identity, card] = [
      documentBefore(MARIO.$4, 'identita', Buffer.from(await textPdf(1, 'Carta'))),
      documentBefore('BNCGLI90A41H501E', 'codice_fiscale', Buffer.from(await textPdf(1, 'Tessera'))),
    ];
    // Ufficio-1's key of before came first into the office's sealing_key; Ufficio-2's is in its own log.
    await keepBefore(a.root, register, a.ports.cipher, [identity], { now: a.clock.now() });
    const { wrapped } = await keepBefore(b.root, register, b.ports.cipher, [card], {
      now: b.clock.now(),
      sealingKey: false,
    });
    const ownLog = openDatabase(join(b.root, 'userData', 'pratiche.sqlite'));
    ownLog.prepare('INSERT INTO sealing_key (id, wrapped, created_at) VALUES (1, ?, 1)').run(wrapped);
    ownLog.close();

    await started(a, b);
    for (const t of [a, b]) expect(readdirSync(join(t.root, 'userData', 'clienti'))).toEqual([]);
    expect(await register.clients.sealingKey()).toBeNull();
    expect((await a.app.handlers['clients.get'](MARIO.$4)).filesReadable).toBe(true);
    expect((await b.app.handlers['clients.get'](MARIO.$4)).filesReadable).toBe(false);
    expect((await a.app.handlers['clients.filesAccess']()).self.state).toBe('partial');

    await grant(a, b);
    await grant(b, a);
    for (const t of [a, b]) {
      expect((await t.app.handlers['clients.filesAccess']()).self.state).toBe('granted');
      expect((await t.app.handlers['clients.get'](MARIO.$4)).filesReadable).toBe(true);
      expect((await t.app.handlers['clients.get']('BNCGLI90A41H501E')).filesReadable).toBe(true);
    }
  });
});

describe('a copy of the office register', () => {
  it('opens nothing: a pg_dump restored elsewhere holds no key, and a counter on it cannot read a document', async () => {
    const [a, b] = await office.pair();
    await started(a, b);
    const sent = await keptAt(a);
    await grant(a, b);
    const pdf = (await a.app.handlers['requests.get'](sent)).attachments;
    expect(pdf).toHaveLength(3);

    // The whole register, as a backup takes it (plain SQL: bytea in hex, nothing compressed away).
    const cluster = office.pg.cluster;
    const source = (pgOf(a).sql.pool.options as { database: string }).database;
    const bin = findPostgresBin();
    const env = { ...process.env, PGPASSWORD: cluster.password };
    const args = ['-h', cluster.host, '-p', String(cluster.port), '-U', cluster.user];
    const file = join(tempDir(), 'registro.sql');
    await promisify(execFile)(join(bin, 'pg_dump'), [...args, '--no-owner', '-f', file, source], { env });
    const dump = readFileSync(file);

    // No key in it: neither the office's document key nor a counter's private key, in any encoding.
    const key = await officeKeyAt(a);
    const privateKey = (await new KeyVault(a.ports.preferences, a.ports.cipher).get('counter.documentsKey'))!;
    for (const secret of [key, Buffer.from(privateKey, 'base64')])
      for (const form of [secret.toString('hex'), secret.toString('base64'), secret.toString('base64url')])
        expect(dump.includes(form)).toBe(false);
    expect(dump.includes('%PDF')).toBe(false);
    expect(dump.includes(Buffer.from('%PDF').toString('hex'))).toBe(false);

    // Restored into another database, with a counter of its own on it: it sees there are documents,
    // and opens none.
    const copy = await office.pg.database();
    await promisify(execFile)(
      join(bin, 'psql'),
      [...args, '-q', '-v', 'ON_ERROR_STOP=1', '-f', file, copy.name],
      {
        env,
      },
    );
    const thief = office.keep(
      await startApp({
        simulator: a.simulator,
        clock: a.clock,
        config: {
          register: (now, counter) =>
            new PgRegister(openPool(copy.config, { onIdleError: () => {} }), now, counter),
        },
      }),
    );
    await started(thief);
    const seen = await thief.app.handlers['clients.get'](MARIO.$4);
    expect(seen.files).toHaveLength(2);
    expect(seen.filesReadable).toBe(false);
    expect((await thief.app.handlers['clients.filesAccess']()).self.state).toBe('waiting');
    const draft = (await thief.app.handlers['drafts.create'](CONGEDO, { clientCf: MARIO.$4 })).id;
    expect(await error(thief.app.handlers['clients.useFiles'](draft))).toMatchObject({
      code: 'documents_not_granted',
    });
    // Nor does it make a key of its own and seal over them: the office's is alive (counters hold it).
    expect(await (thief.app.internals.store as PgRegister).keys.keys()).toHaveLength(1);
  });

  it('on a counter alone: its SQLite file copied to another PC opens nothing there', async () => {
    const t = await startApp();
    await t.app.start();
    await t.app.internals.idle();
    await keptAt(t);
    const other = tempDir();
    mkdirSync(join(other, 'userData'), { recursive: true });
    sqliteOf(t.app).pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(join(t.root, 'userData', 'pratiche.sqlite'), join(other, 'userData', 'pratiche.sqlite'));

    const copied = await startApp({ root: other, simulator: t.simulator, clock: t.clock });
    await copied.app.start();
    await copied.app.internals.idle();
    const seen = await copied.app.handlers['clients.get'](MARIO.$4);
    expect(seen.files).toHaveLength(2);
    expect(seen.filesReadable).toBe(false);
    const draft = (await copied.app.handlers['drafts.create'](CONGEDO, { clientCf: MARIO.$4 })).id;
    expect(await error(copied.app.handlers['clients.useFiles'](draft))).toMatchObject({
      code: 'documents_not_granted',
    });
    // The original counter still opens them.
    const mine = (await t.app.handlers['drafts.create'](CONGEDO, { clientCf: MARIO.$4 })).id;
    expect(await t.app.handlers['clients.useFiles'](mine)).toHaveLength(2);
  });
});

/** The office's document key as counter `t` holds it: opened with its own private key, as it does. */
async function officeKeyAt(t: TestApp): Promise<Buffer> {
  const pkcs8 = await new KeyVault(t.ports.preferences, t.ports.cipher).get('counter.documentsKey');
  const pair = importKeyPair(pkcs8!);
  const counterId = (await t.app.handlers['clients.filesAccess']()).self.counterId;
  const [mine] = await pgOf(t).keys.grantsTo(counterId);
  return unwrapWith(pair, mine!.wrapped, { keyId: mine!.key_id, counterId });
}
