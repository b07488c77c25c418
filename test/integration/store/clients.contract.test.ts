import { describe, expect, it } from 'vitest';
import type { ClientFileRow, SealedFile } from '../../../main/store/client-records.ts';
import type { Register } from '../../../main/store/port.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import { SqliteRegister } from '../../../main/store/sqlite-register.ts';
import { asOwner, useRegisters } from '../../support/registers.ts';

/*
 * Returning clients' records (store/client-records.ts), on both adapters: consents granted,
 * changed, revoked and forgotten; files kept sealed in the register, listed without their content,
 * read back, due and deleted; files of before (no content yet) moved in once; the sealing key of
 * before read and forgotten.
 */
const adapters = useRegisters();

const CF = 'RSSMRA85T10A562S';
const OTHER = 'VRDLGU70A01H501Z';

const file = (id: string, patch: Partial<ClientFileRow> = {}): ClientFileRow => ({
  id,
  cf: CF,
  kind: 'identita',
  file_name: `${id}.pdf`,
  pages: 2,
  size: 123_456,
  sha256: `sha-${id}`,
  key_id: 'key-1',
  source_request_id: null,
  created_at: 1_000,
  expires_at: 100_000,
  ...patch,
});

/** Sealed bytes of a file (any bytes: the register only keeps them). */
const content = (id: string) => Buffer.concat([Buffer.from([2, 0, 255]), Buffer.from(`sealed ${id}`)]);

/** A file's row with its sealed content, as a counter keeps it. */
const kept = (row: ClientFileRow): ClientFileRow & SealedFile => ({
  ...row,
  key_id: row.key_id ?? 'key-1',
  sealed: content(row.id),
});

type ConsentTableRow = { id: number; cf: string; revoked_at: number | null };

/** Every consent row, revoked or not (no method reads revoked ones back): straight from the table. */
async function consentRows(store: Register): Promise<ConsentTableRow[]> {
  const sql = 'SELECT id, cf, revoked_at FROM client_consents ORDER BY id';
  if (store instanceof PgRegister) return store.sql.rows<ConsentTableRow>(sql);
  if (store instanceof SqliteRegister) return store.db.prepare(sql).all() as ConsentTableRow[];
  throw new Error(`no raw access to ${store.kind}`);
}

describe.each(adapters)('the clients records on $name', (adapter) => {
  it('grants a consent and reads the one in force: the latest not revoked', async () => {
    const { clients } = await adapter.open();
    expect(await clients.consentOf(CF)).toBeNull();
    await clients.grantConsent(CF, 1_000, 'anna', '2030-01-31');
    expect(await clients.consentOf(CF)).toEqual({
      id: 1,
      granted_at: 1_000,
      granted_by: 'anna',
      document_expiry: '2030-01-31',
    });
    await clients.grantConsent(OTHER, 1_500, 'bruno', null);
    await clients.grantConsent(CF, 2_000, 'carla', null);
    expect(await clients.consentOf(CF)).toEqual({
      id: 3,
      granted_at: 2_000,
      granted_by: 'carla',
      document_expiry: null,
    });
    expect(await clients.consentOf(OTHER)).toEqual({
      id: 2,
      granted_at: 1_500,
      granted_by: 'bruno',
      document_expiry: null,
    });
    expect(await clients.consentOf(CF.toLowerCase())).toBeNull();
  });

  it("sets the expiry of a client's consents in force only", async () => {
    const store = await adapter.open();
    const { clients } = store;
    await clients.grantConsent(CF, 1_000, 'anna', '2030-01-31');
    await clients.grantConsent(OTHER, 1_000, 'anna', '2031-01-31');
    await clients.setConsentExpiry(CF, '2032-06-30');
    expect(await clients.consentOf(CF)).toMatchObject({ id: 1, document_expiry: '2032-06-30' });
    expect(await clients.consentOf(OTHER)).toMatchObject({ id: 2, document_expiry: '2031-01-31' });
    await clients.setConsentExpiry(CF, null);
    expect(await clients.consentOf(CF)).toMatchObject({ id: 1, document_expiry: null });

    await clients.revokeConsent(CF, 2_000, 'bruno');
    await clients.setConsentExpiry(CF, '2040-01-01');
    expect(await clients.consentOf(CF)).toBeNull();
    await clients.grantConsent(CF, 3_000, 'carla', null);
    expect(await clients.consentOf(CF)).toEqual({
      id: 3,
      granted_at: 3_000,
      granted_by: 'carla',
      document_expiry: null,
    });
  });

  it("revokes a client's consent with the records of its files, and forgets revoked consents once old", async () => {
    const store = await adapter.open();
    const { clients } = store;
    await clients.grantConsent(CF, 1_000, 'anna', null);
    await clients.grantConsent(OTHER, 1_000, 'anna', null);
    await clients.insertFile(kept(file('f1')));
    await clients.insertFile(kept(file('f2', { kind: 'codice_fiscale' })));
    await clients.insertFile(kept(file('f3', { cf: OTHER })));

    await clients.revokeConsent(CF, 5_000, 'bruno');
    expect(await clients.consentOf(CF)).toBeNull();
    expect(await clients.filesOf(CF)).toEqual([]);
    expect(await clients.sealedOf('f1')).toBeNull();
    expect(await clients.consentOf(OTHER)).toMatchObject({ id: 2 });
    expect((await clients.filesOf(OTHER)).map((f) => f.id)).toEqual(['f3']);
    // Revoking again changes nothing: the revocation's time stays.
    await clients.revokeConsent(CF, 6_000, 'carla');
    await clients.grantConsent(CF, 7_000, 'anna', null);
    await clients.revokeConsent(CF, 8_000, 'anna');
    expect(await consentRows(store)).toEqual([
      { id: 1, cf: CF, revoked_at: 5_000 },
      { id: 2, cf: OTHER, revoked_at: null },
      { id: 3, cf: CF, revoked_at: 8_000 },
    ]);

    await clients.forgetRevokedConsents(5_000);
    expect((await consentRows(store)).map((c) => c.id)).toEqual([1, 2, 3]);
    await clients.forgetRevokedConsents(5_001);
    expect((await consentRows(store)).map((c) => c.id)).toEqual([2, 3]);
    await clients.forgetRevokedConsents(1_000_000);
    expect(await consentRows(store)).toEqual([{ id: 2, cf: OTHER, revoked_at: null }]);
  });

  it('keeps no codice fiscale in consents that ended: revoked, past the document, or old with nothing kept', async () => {
    const store = await adapter.open();
    const { clients } = store;
    const THIRD = 'BNCGNN60C41F205K';
    const FOURTH = 'NREPLA90E15L219X';
    await clients.grantConsent(CF, 1_000, 'anna', null); // revoked below
    await clients.grantConsent(OTHER, 1_000, 'anna', '2026-03-01'); // its document expired
    await clients.grantConsent(THIRD, 1_000, 'anna', null); // old, nothing kept under it
    await clients.grantConsent(FOURTH, 1_000, 'anna', null); // old, a document still kept
    await clients.insertFile(kept(file('f4', { cf: FOURTH })));
    await clients.revokeConsent(CF, 2_000, 'bruno');

    expect(await clients.maskEndedConsents('2026-03-01', 500)).toBe(1);
    expect((await consentRows(store)).map((c) => c.cf)).toEqual(['RSS************S', OTHER, THIRD, FOURTH]);

    expect(await clients.maskEndedConsents('2026-03-02', 1_001)).toBe(2);
    expect(await consentRows(store)).toEqual([
      { id: 1, cf: 'RSS************S', revoked_at: 2_000 },
      { id: 2, cf: 'VRD************Z', revoked_at: null },
      { id: 3, cf: 'BNC************K', revoked_at: null },
      { id: 4, cf: FOURTH, revoked_at: null },
    ]);
    expect(await clients.consentOf(OTHER)).toBeNull();
    expect(await clients.consentOf(FOURTH)).toMatchObject({ id: 4 });
    expect(await clients.maskEndedConsents('2026-03-02', 1_001)).toBe(0);
  });

  it("keeps files sealed: a client's listed by kind without their content, read back by id; deleted one by one", async () => {
    const { clients } = await adapter.open();
    expect(await clients.filesOf(CF)).toEqual([]);
    const identity = file('f1', { source_request_id: 'q1', size: 9_876_543_210 });
    await clients.insertFile(kept(identity));
    await clients.insertFile(kept(file('f2', { kind: 'codice_fiscale', pages: 1, key_id: 'key-2' })));
    await clients.insertFile(kept(file('f3', { cf: OTHER })));
    expect(await clients.filesOf(CF)).toEqual([
      file('f2', { kind: 'codice_fiscale', pages: 1, key_id: 'key-2' }),
      identity,
    ]);
    expect(await clients.filesOf(OTHER)).toEqual([file('f3', { cf: OTHER })]);
    expect(await clients.fileById('f1')).toEqual(identity);
    expect(await clients.fileById('nobody')).toBeNull();
    expect(await clients.sealedOf('f2')).toEqual({ key_id: 'key-2', sealed: content('f2') });
    expect(await clients.sealedOf('nobody')).toBeNull();
    await expect(clients.insertFile(kept(file('f1')))).rejects.toThrow();

    await clients.deleteFile('f2');
    await clients.deleteFile('nobody');
    expect(await clients.filesOf(CF)).toEqual([identity]);
    expect(await clients.sealedOf('f2')).toBeNull();
    expect((await clients.filesOf(OTHER)).map((f) => f.id)).toEqual(['f3']);
  });

  it('refuses a sealed document over the ceiling of one document kept', async () => {
    const { clients } = await adapter.open();
    const heavy = { ...file('heavy'), key_id: 'key-1', sealed: Buffer.alloc(4 * 1024 * 1024 + 65) };
    await expect(clients.insertFile(heavy)).rejects.toThrow();
    await clients.insertFile({ ...heavy, sealed: Buffer.alloc(4 * 1024 * 1024 + 64) });
    expect((await clients.sealedOf('heavy'))?.sealed.length).toBe(4 * 1024 * 1024 + 64);
  });

  it('moves a file of before in once: its row gets content and key, then never again; a gone row stays gone', async () => {
    const store = await adapter.open();
    const { clients } = store;
    // A row of before: no content, no key (its file was on one counter's disk).
    await asOwner(
      store,
      `INSERT INTO client_files (id, cf, kind, file_name, pages, size, sha256, source_request_id, created_at, expires_at)
       VALUES ('old', '${CF}', 'identita', 'ci.pdf', 1, 10, 'sha', NULL, 1000, 100000)`,
    );
    expect(await clients.fileById('old')).toMatchObject({ id: 'old', key_id: null });
    // Not listed (nothing to open yet), but due like any other.
    expect(await clients.filesOf(CF)).toEqual([]);
    expect((await clients.filesDue(200_000, -1)).map((f) => f.id)).toEqual(['old']);
    expect(await clients.sealedOf('old')).toBeNull();

    expect(await clients.moveIn('old', { key_id: 'legacy', sealed: content('old') })).toBe(true);
    expect(await clients.moveIn('old', { key_id: 'other', sealed: content('other') })).toBe(false);
    expect(await clients.sealedOf('old')).toEqual({ key_id: 'legacy', sealed: content('old') });
    expect((await clients.filesOf(CF)).map((f) => f.id)).toEqual(['old']);
    expect(await clients.moveIn('gone', { key_id: 'legacy', sealed: content('gone') })).toBe(false);
    expect(await clients.fileById('gone')).toBeNull();
  });

  it('lists the files due: expired by now, or created before the retention limit', async () => {
    const { clients } = await adapter.open();
    await clients.insertFile(kept(file('expired', { expires_at: 5_000, created_at: 3_000 })));
    await clients.insertFile(kept(file('expires-now', { expires_at: 6_000, created_at: 3_000 })));
    await clients.insertFile(kept(file('expires-later', { expires_at: 6_001, created_at: 3_000 })));
    await clients.insertFile(kept(file('old', { expires_at: 99_000, created_at: 1_999, cf: OTHER })));
    await clients.insertFile(kept(file('at-limit', { expires_at: 99_000, created_at: 2_000 })));
    const due = async (now: number, before: number) =>
      (await clients.filesDue(now, before)).map((f) => f.id).sort();
    expect(await due(6_000, 2_000)).toEqual(['expired', 'expires-now', 'old']);
    expect(await due(4_999, -1)).toEqual([]);
    expect(await due(1_000_000, -1)).toEqual(['at-limit', 'expired', 'expires-later', 'expires-now', 'old']);
    expect(await due(0, 3_001)).toEqual(['at-limit', 'expired', 'expires-later', 'expires-now', 'old']);
    expect(await clients.filesDue(0, 2_000)).toEqual([
      file('old', { expires_at: 99_000, created_at: 1_999, cf: OTHER }),
    ]);
  });

  it('reads the sealing key of before and forgets exactly that one', async () => {
    const store = await adapter.open();
    const { clients } = store;
    expect(await clients.sealingKey()).toBeNull();
    // Written by a version of before; the counters' role may only read and forget it: the owner writes it here.
    await asOwner(
      store,
      "INSERT INTO sealing_key (id, wrapped, created_at) VALUES (1, 'a2V5LW9uZQ==', 1000)",
    );
    expect(await clients.sealingKey()).toBe('a2V5LW9uZQ==');
    await clients.forgetSealingKey('a2V5LXR3bw==');
    expect(await clients.sealingKey()).toBe('a2V5LW9uZQ==');
    await clients.forgetSealingKey('a2V5LW9uZQ==');
    expect(await clients.sealingKey()).toBeNull();
  });
});
