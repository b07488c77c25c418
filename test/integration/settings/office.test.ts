import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import { openDatabase } from '../../../main/db/database.ts';
import { PG_MIGRATIONS } from '../../../main/db/postgres/migrations.ts';
import { officeAtStart } from '../../../main/settings/office.ts';
import { startApp } from '../../support/app.ts';
import { usePostgres } from '../../support/postgres.ts';
import { tempDir } from '../../support/tmp.ts';

const pg = usePostgres();
const quiet = { info() {}, warn() {}, error() {} };

describe('Impostazioni → Ufficio', () => {
  it('tests, joins after the clerk confirms in main, keeps the password only encrypted, never shows it', async () => {
    const { config } = await pg.register();
    const cipher = new AesCipher();
    const t = await startApp({ cipher });
    const h = t.app.handlers;
    const form = {
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password: 'sbagliata',
      tls: 'disable' as const,
    };

    t.ports.dialogs.answer({ confirm: true }, { confirm: true });
    const wrong = await h['office.test'](form);
    expect(wrong).toMatchObject({ ok: false, problem: 'auth' });
    expect(wrong.ok || wrong.message).toMatch(/password non accettati/);
    const right = await h['office.test']({ ...form, password: config.password });
    expect(right).toMatchObject({ ok: true, register: { version: PG_MIGRATIONS.length } });
    expect(t.ports.dialogs.asked.at(-1)).toMatchObject({
      kind: 'confirm',
      message: `Provare la connessione al server ${config.host}:${config.port}?`,
      detail: expect.stringContaining(
        `database «${config.database}», utente «${config.user}», connessione NON cifrata`,
      ) as unknown,
    });

    // The clerk cancels main's dialog: nothing is kept.
    await expect(h['office.join']({ ...form, password: config.password })).rejects.toMatchObject({
      code: 'not_confirmed',
    });
    expect((await h['office.status']()).joined).toBeNull();

    t.ports.dialogs.answer({ confirm: true });
    const joined = await h['office.join']({ ...form, password: config.password });
    expect(joined).toMatchObject({
      joined: { host: config.host, database: config.database, passwordSet: true, tls: 'disable' },
      inUse: 'local',
      restartNeeded: true,
    });
    expect(JSON.stringify(joined)).not.toContain(config.password);
    const file = readFileSync(t.ports.preferences.path, 'utf8');
    expect(file).not.toContain(config.password);
    expect((JSON.parse(file) as { office: unknown }).office).toMatchObject({
      host: config.host,
      user: config.user,
    });

    // What the app starts with next time: the password decrypted from the vault.
    expect(await officeAtStart(t.ports.preferences, cipher, quiet)).toMatchObject({
      host: config.host,
      password: config.password,
      tls: { mode: 'disable' },
    });
    // A later test keeps the password kept when the form leaves it empty.
    t.ports.dialogs.answer({ confirm: true });
    expect(await h['office.test']({ ...form, password: null })).toMatchObject({ ok: true });
    await t.app.close();
  });

  it('takes the CA file from main’s own dialog only, and refuses what is not a certificate', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const form = {
      host: 'db.ufficio',
      port: 5432,
      database: 'sportello',
      user: 'sportello',
      password: 'x',
      tls: 'verify-full' as const,
    };
    await expect(h['office.test'](form)).rejects.toMatchObject({
      details: { setting: 'caFile', reason: 'missing' },
    });
    const junk = join(tempDir(), 'note.txt');
    writeFileSync(junk, 'non un certificato');
    t.ports.dialogs.answer({ file: junk });
    await expect(h['office.chooseCaFile']()).rejects.toMatchObject({ details: { reason: 'not_pem' } });
    const ca = join(tempDir(), 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    t.ports.dialogs.answer({ file: ca });
    expect((await h['office.chooseCaFile']()).pendingCaFile).toBe(ca);
    // Cancelled: the choice stays as it was.
    expect((await h['office.chooseCaFile']()).pendingCaFile).toBe(ca);
    expect(t.ports.dialogs.asked.filter((d) => d.kind === 'file')).toHaveLength(3);
    await t.app.close();
  });

  it('leaving keeps a copy of the office register in the counter’s own file, then forgets the office', async () => {
    const { config, pool } = await pg.register();
    const cipher = new AesCipher();
    let t = await startApp({ cipher });
    t.ports.dialogs.confirmEverything();
    await t.app.handlers['office.join']({ ...config, password: config.password, tls: 'disable' });
    const office = await officeAtStart(t.ports.preferences, cipher, quiet);
    await t.app.close();
    t = await startApp({ cipher, root: t.root, simulator: t.simulator, clock: t.clock, config: { office } });
    await t.app.start();
    t.ports.dialogs.confirmEverything();
    const draft = await t.app.handlers['drafts.create']('8a7c8386fff43d28182cfa2ad24a3532');
    expect((await pool.query('SELECT id FROM requests')).rows).toEqual([{ id: draft.id }]);

    const left = await t.app.handlers['office.leave']();
    expect(left).toMatchObject({ joined: null, inUse: 'office', restartNeeded: true });
    expect(t.ports.dialogs.asked.at(-1)).toMatchObject({
      kind: 'confirm',
      message: expect.stringMatching(/Scollegare/) as unknown,
    });
    expect(await officeAtStart(t.ports.preferences, cipher, quiet)).toBeNull();
    expect(readFileSync(t.ports.preferences.path, 'utf8')).not.toMatch(/office/);
    await t.app.close();

    const local = openDatabase(join(t.root, 'userData', 'pratiche.sqlite'));
    expect(local.prepare('SELECT id FROM requests').pluck().all()).toEqual([draft.id]);
    local.close();
  });
});
