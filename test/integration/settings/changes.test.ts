import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../../support/app.ts';
import { tempDir } from '../../support/tmp.ts';

/*
 * What the page can change, through the same dispatcher the IPC and the harness use: a compromised
 * page names no folder, adds no scanner outside the office's network, and changes the API key, the
 * archive or the retention only if the clerk confirms in main's own dialog.
 */

const call = (t: TestApp, channel: string, ...args: unknown[]) => t.app.dispatch(channel, args);
const config = (t: TestApp) => readFileSync(join(t.root, 'userData', 'config.json'), 'utf8');

describe('folders', () => {
  it.each([
    ['the archive', { archiveRoot: '\\\\attacker.example\\share' }],
    ['the archive, as a local path', { archiveRoot: '/home/ufficio/Archivio' }],
    ['the watched scans', { watchFolder: '/etc' }],
  ])('the page cannot name %s', async (_what, patch) => {
    const t = await startApp();
    const before = await t.app.handlers['settings.get']();
    expect(await call(t, 'settings.update', patch)).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await t.app.handlers['settings.get']()).toEqual(before);
    expect(t.ports.dialogs.asked).toEqual([]);
  });

  it('come from main’s folder dialog; the archive also asks for confirmation', async () => {
    const t = await startApp();
    const archive = tempDir();
    t.ports.dialogs.answer({ folder: archive }, { confirm: true });
    expect(await call(t, 'settings.chooseFolder', 'archiveRoot')).toMatchObject({
      ok: true,
      value: { archiveRoot: archive },
    });
    expect(t.ports.dialogs.asked.map((d) => d.kind)).toEqual(['folder', 'confirm']);

    const scans = tempDir();
    t.ports.dialogs.answer({ folder: scans });
    expect(await call(t, 'settings.chooseFolder', 'watchFolder')).toMatchObject({
      ok: true,
      value: { watchFolder: scans },
    });
    // The page may stop watching it.
    expect(await call(t, 'settings.update', { watchFolder: null })).toMatchObject({
      ok: true,
      value: { watchFolder: null },
    });
  });

  it('stay as they were when the clerk cancels the dialog or does not confirm', async () => {
    const t = await startApp();
    const before = await t.app.handlers['settings.get']();
    expect(await call(t, 'settings.chooseFolder', 'archiveRoot')).toEqual({ ok: true, value: before });
    t.ports.dialogs.answer({ folder: tempDir() }, { confirm: false });
    expect(await call(t, 'settings.chooseFolder', 'archiveRoot')).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    expect(await t.app.handlers['settings.get']()).toEqual(before);
  });

  it.each([
    ['\\\\server\\condivisione', 'network', /cartelle di rete .* non sono ammesse/],
    ['//server/condivisione', 'network', /cartelle di rete/],
    ['Archivio', 'relative', /percorso completo/],
  ])('refuse %j even from the dialog, saying why as data', async (folder, reason, message) => {
    const t = await startApp();
    t.ports.dialogs.answer({ folder }, { confirm: true });
    const outcome = await call(t, 'settings.chooseFolder', 'archiveRoot');
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { setting: 'archiveRoot', reason } },
    });
    expect(!outcome.ok && outcome.error.message).toMatch(message);
  });

  it('a network or relative folder already in config.json is not used', async () => {
    const t = await startApp();
    await t.app.close();
    const file = join(t.root, 'userData', 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        preferences: {
          archiveRoot: '\\\\attacker.example\\share',
          watchFolder: 'scansioni',
          esclScanners: ['http://192.168.1.20/eSCL', 'http://203.0.113.9/eSCL'],
        },
      }),
    );
    const again = await startApp({ root: t.root, simulator: t.simulator });
    const preferences = await again.app.handlers['settings.get']();
    expect(preferences.archiveRoot).toBe(join(t.root, 'Archivio'));
    expect(preferences.watchFolder).toBeNull();
    expect(preferences.esclScanners).toEqual(['http://192.168.1.20/eSCL']);
  });
});

describe('network scanners', () => {
  it('only on the office’s network, refused in Italian otherwise, without asking', async () => {
    const t = await startApp();
    for (const url of [
      'http://203.0.113.9/eSCL',
      'http://attacker.example/eSCL',
      'http://127.0.0.1:9/eSCL',
    ]) {
      const outcome = await call(t, 'settings.update', { esclScanners: [url] });
      expect(outcome).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument', details: { setting: 'esclScanners' } },
      });
    }
    expect(t.ports.dialogs.asked).toEqual([]);
    expect((await t.app.handlers['settings.get']()).esclScanners).toEqual([]);
  });

  it('added only when the clerk confirms the new addresses; removing one asks nothing', async () => {
    const t = await startApp();
    expect(await call(t, 'settings.update', { esclScanners: ['http://192.168.1.20/eSCL'] })).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    t.ports.dialogs.answer({ confirm: true });
    expect(
      await call(t, 'settings.update', {
        esclScanners: ['http://192.168.1.20/eSCL', 'http://10.0.0.9/eSCL'],
      }),
    ).toMatchObject({
      ok: true,
      value: { esclScanners: ['http://192.168.1.20/eSCL', 'http://10.0.0.9/eSCL'] },
    });
    expect(t.ports.dialogs.asked.at(-1)?.detail).toContain('http://10.0.0.9/eSCL');
    const asked = t.ports.dialogs.asked.length;
    expect(await call(t, 'settings.update', { esclScanners: ['http://10.0.0.9/eSCL'] })).toMatchObject({
      ok: true,
    });
    expect(t.ports.dialogs.asked).toHaveLength(asked);
  });
});

describe('the retention and the API key', () => {
  it('the retention changes only when the clerk confirms it', async () => {
    const t = await startApp();
    expect(await call(t, 'settings.update', { retentionDays: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    expect((await t.app.handlers['settings.get']()).retentionDays).toBe(0);
    t.ports.dialogs.answer({ confirm: true });
    expect(await call(t, 'settings.update', { retentionDays: 1 })).toMatchObject({
      ok: true,
      value: { retentionDays: 1 },
    });
    expect(t.ports.dialogs.asked.at(-1)?.message).toMatch(/da più di 1 giorno\?/);
    // Other settings save without a question.
    expect(await call(t, 'settings.update', { officeName: 'CAF Centro', retentionDays: 1 })).toMatchObject({
      ok: true,
    });
    expect(t.ports.dialogs.asked).toHaveLength(2);
  });

  it('keeping everything forever is confirmed too, when first chosen, even if 0 stays 0', async () => {
    const t = await startApp();
    expect(await call(t, 'settings.update', { retentionDays: 0, retentionAsked: true })).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    expect((await t.app.handlers['settings.get']()).retentionAsked).toBe(false);
    t.ports.dialogs.answer({ confirm: true });
    expect(await call(t, 'settings.update', { retentionDays: 0, retentionAsked: true })).toMatchObject({
      ok: true,
      value: { retentionDays: 0, retentionAsked: true },
    });
    expect(t.ports.dialogs.asked.map((d) => d.message)).toEqual([
      'Conservare per sempre documenti e dati personali delle pratiche concluse?',
      'Conservare per sempre documenti e dati personali delle pratiche concluse?',
    ]);
    // Five years, as the first start suggests, said as the office says it.
    t.ports.dialogs.answer({ confirm: true });
    await call(t, 'settings.update', { retentionDays: 1825 });
    expect(t.ports.dialogs.asked.at(-1)?.message).toMatch(/da più di 5 anni\?/);
  });

  it('new or removed credentials only when the clerk confirms them', async () => {
    const t = await startApp();
    const token = 'tok-altro-account-0123456789';
    expect(await call(t, 'settings.setToken', 'produzione', token)).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    expect(await t.app.handlers['settings.credentials']()).toContainEqual(
      expect.objectContaining({ environment: 'produzione', kind: 'none' }),
    );
    t.ports.dialogs.answer({ confirm: true });
    expect(await call(t, 'settings.setToken', 'produzione', token)).toMatchObject({
      ok: true,
      value: { kind: 'token' },
    });
    expect(config(t)).not.toContain(token);
    expect(await call(t, 'settings.clearCredentials', 'produzione')).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    expect(await t.app.handlers['settings.credentials']()).toContainEqual(
      expect.objectContaining({ environment: 'produzione', kind: 'token' }),
    );
    expect(t.ports.dialogs.asked.map((d) => d.message)).toEqual([
      'Usare le nuove credenziali Openapi per l’ambiente Produzione?',
      'Usare le nuove credenziali Openapi per l’ambiente Produzione?',
      'Rimuovere le credenziali Openapi dell’ambiente Produzione?',
    ]);
  });
});

describe('the environment', () => {
  it('is not switched to Sandbox or Produzione without their credentials, saying why; nothing is asked', async () => {
    const t = await startApp();
    for (const environment of ['sandbox', 'produzione'] as const) {
      const outcome = await call(t, 'settings.update', { environment });
      expect(outcome).toMatchObject({
        ok: false,
        error: { code: 'not_allowed', details: { reason: 'no_credentials', environment } },
      });
    }
    expect((await t.app.handlers['settings.get']()).environment).toBe('prova');
    expect(t.ports.dialogs.asked).toEqual([]);
  });

  it('is switched only once the clerk confirms in main’s dialog, which says that Produzione costs real money', async () => {
    const t = await startApp();
    t.ports.dialogs.answer({ confirm: true });
    await t.app.handlers['settings.setToken']('produzione', 'tok-produzione-0123456789');
    expect(await call(t, 'settings.update', { environment: 'produzione' })).toMatchObject({
      ok: false,
      error: { code: 'not_confirmed' },
    });
    expect((await t.app.handlers['settings.get']()).environment).toBe('prova');
    const asked = t.ports.dialogs.asked.at(-1)!;
    expect(asked.message).toBe('Passare a Produzione?');
    expect(asked.detail).toMatch(/costano denaro vero/);

    t.ports.dialogs.answer({ confirm: true });
    expect(await call(t, 'settings.update', { environment: 'produzione' })).toMatchObject({
      ok: true,
      value: { environment: 'produzione' },
    });
    // Back to Prova (always usable): asked too, and named.
    t.ports.dialogs.answer({ confirm: true });
    expect(await call(t, 'settings.update', { environment: 'prova' })).toMatchObject({
      ok: true,
      value: { environment: 'prova' },
    });
    expect(t.ports.dialogs.asked.at(-1)?.message).toBe('Passare a Prova?');
  });
});
