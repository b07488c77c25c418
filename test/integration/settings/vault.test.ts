import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import { confPreferences } from '../../../main/adapters/node/conf-preferences.ts';
import { KeyVault } from '../../../main/settings/vault.ts';
import { Simulator } from '../../../main/simulator/server.ts';
import { startApp } from '../../support/app.ts';
import { photoJpeg, textPdf } from '../../support/files.ts';
import { CONGEDO } from '../../support/simulator.ts';
import { tempDir } from '../../support/tmp.ts';

const KEY = 'sk-live-3f9a0c1e7b2d4a6f8e0c2b4d6f8a1c3e';

function everyFile(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? everyFile(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('the secrets vault', () => {
  it('stores only ciphertext', async () => {
    const dir = tempDir();
    const store = confPreferences(dir);
    const vault = new KeyVault(store, new AesCipher());
    expect(await vault.set('sandbox.key', KEY)).toBe(true);
    expect(readFileSync(store.path, 'utf8')).not.toContain(KEY);
    expect(await vault.get('sandbox.key')).toBe(KEY);
    expect(await vault.get('sandbox.token')).toBeNull();
  });

  it('reads the secret back after a restart with the same keystore', async () => {
    const dir = tempDir();
    const cipher = new AesCipher();
    await new KeyVault(confPreferences(dir), cipher).set('produzione.token', KEY);
    expect(await new KeyVault(confPreferences(dir), cipher).get('produzione.token')).toBe(KEY);
  });

  it('keeps the secret for the session only when the Linux keystore is basic_text, and says so', async () => {
    const dir = tempDir();
    const store = confPreferences(dir);
    const vault = new KeyVault(store, new AesCipher({ backend: 'basic_text' }));
    expect(await vault.set('sandbox.key', KEY)).toBe(false);
    expect(vault.sessionOnly('sandbox.key')).toBe(true);
    expect(store.store.secrets?.['sandbox.key']).toBeUndefined();
    expect(
      await new KeyVault(confPreferences(dir), new AesCipher({ backend: 'basic_text' })).get('sandbox.key'),
    ).toBeNull();
  });

  it('says clearly when a saved secret cannot be decrypted any more', async () => {
    const dir = tempDir();
    await new KeyVault(confPreferences(dir), new AesCipher()).set('sandbox.key', KEY);
    const other = new KeyVault(confPreferences(dir), new AesCipher());
    await expect(other.get('sandbox.key')).rejects.toMatchObject({ code: 'vault_unavailable' });
  });

  it('never lets the API key or the token reach the database, the logs, the settings file in clear, or a result', async () => {
    const remote = new Simulator({
      owner: 'caf@example.it',
      apiKey: KEY,
      durations: { toDatiDisponibili: 1, toEvasa: 1 },
    });
    await remote.start();
    try {
      const t = await startApp({ config: { baseUrlOverride: remote.url }, simulator: remote });
      // These tests are about credentials: the clerk confirms every question of main.
      t.ports.dialogs.confirmEverything();
      const results: unknown[] = [];
      const call = async (channel: string, ...args: unknown[]) => {
        const outcome = await t.app.dispatch(channel, args);
        results.push(outcome);
        if (!outcome.ok) throw new Error(`${channel}: ${outcome.error.message}`);
        return outcome.value as never;
      };
      t.ports.dialogs.answer({ confirm: true });
      await call('settings.setApiKey', 'sandbox', 'caf@example.it', KEY);
      await call('settings.update', { environment: 'sandbox' });
      await call('settings.testConnection');
      await call('settings.credentials');
      await call('app.credit');
      const draft: { id: string } = await call('drafts.create', CONGEDO);
      await call('drafts.update', draft.id, {
        fields: {
          $0: 'Mario',
          $1: 'Rossi',
          $2: 'mario@example.it',
          $3: '3331234567',
          $4: 'RSSMRA85T10A562S',
        },
      });
      await call('attachments.add', draft.id, '$5', { name: 'ci.jpg', data: await photoJpeg(400, 300) });
      await call('attachments.add', draft.id, '$6', { name: 'cf.pdf', data: await textPdf(1) });
      const quote: { total: number } = await call('requests.quote', draft.id);
      await call('requests.submit', draft.id, quote.total);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await call('requests.refresh', draft.id);
      await call('requests.get', draft.id);
      await call('requests.list', {});
      await call('app.info');
      // A failing call too: errors are results as well.
      await t.app
        .dispatch('settings.setApiKey', ['sandbox', 'caf@example.it', 'short'])
        .then((o) => results.push(o));
      await t.app
        .dispatch('settings.setApiKey', ['sandbox', 'caf@example.it', `${KEY}x`])
        .then((o) => results.push(o));

      const [token] = remote.oauthTokens().map((x) => x.token);
      expect(token).toBeDefined();
      expect(JSON.stringify(results)).not.toContain(KEY);
      expect(JSON.stringify(results)).not.toContain(token);
      await t.app.close();
      const files = everyFile(join(t.root, 'userData'));
      expect(files.some((f) => f.endsWith('pratiche.sqlite'))).toBe(true);
      expect(files.some((f) => f.includes('logs'))).toBe(true);
      for (const file of files) {
        if (statSync(file).size > 50_000_000) continue;
        for (const secret of [KEY, token!, `caf@example.it:${KEY}`]) {
          expect(readFileSync(file).includes(secret), file).toBe(false);
          expect(readFileSync(file).includes(Buffer.from(secret).toString('base64')), file).toBe(false);
        }
      }
    } finally {
      await remote.stop();
    }
  });
});
