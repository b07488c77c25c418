import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import { sqliteOf, startApp, type TestApp } from '../../support/app.ts';
import { CONGEDO, MARIO } from '../../support/drafts.ts';
import { textPdf } from '../../support/files.ts';
import { documentBefore, keepBefore, type DocumentBefore } from '../../support/kept-before.ts';

/*
 * The documents a counter kept on its own disk before documents on file went into the register
 * (userData/clienti, sealed with a key wrapped by its OS keystore): moved in at its start, opened as
 * before, the files and the key of before gone; a move cut by a crash finished at the next start.
 */

const clientDir = (t: TestApp) => join(t.root, 'userData', 'clienti');
const localFiles = (t: TestApp) => (existsSync(clientDir(t)) ? readdirSync(clientDir(t)).sort() : []);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function papers(): Promise<[DocumentBefore, DocumentBefore]> {
  return [
    documentBefore(MARIO.$4, 'identita', Buffer.from(await textPdf(1, 'Carta d’identità'))),
    documentBefore(MARIO.$4, 'codice_fiscale', Buffer.from(await textPdf(2, 'Tessera sanitaria'))),
  ];
}

/** The documents a new request of the client `cf` takes with one click, by field, with their hashes. */
async function reused(t: TestApp, cf: string = MARIO.$4): Promise<Record<string, string>> {
  const h = t.app.handlers;
  const draft = await h['drafts.create'](CONGEDO);
  await h['drafts.update'](draft.id, { fields: { ...MARIO, $4: cf } });
  const added = await h['clients.useFiles'](draft.id);
  return Object.fromEntries(added.map((a) => [a.fieldKey, a.sha256]));
}

describe('documents on file kept on this PC before', () => {
  it('are moved into the register at start, and open as before; the files and the key of before go', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    await h['clients.consent'](MARIO.$4, null, null);
    const [identity, card] = await papers();
    // A file whose document was revoked meanwhile: its row is gone.
    const revoked = { ...documentBefore(MARIO.$4, 'identita', identity.bytes), withRow: false };
    await keepBefore(t.root, t.app.internals.store, t.ports.cipher, [identity, card, revoked], {
      now: t.clock.now(),
    });
    expect(localFiles(t)).toHaveLength(3);
    // Not offered before they are in the register.
    expect((await h['clients.get'](MARIO.$4)).files).toEqual([]);

    await t.app.start();
    await t.app.internals.idle();
    expect(localFiles(t)).toEqual([]);
    const client = await h['clients.get'](MARIO.$4);
    expect(client.files.map((f) => f.id).sort()).toEqual([identity.id, card.id].sort());
    expect(client.filesReadable).toBe(true);
    const db = sqliteOf(t.app);
    expect(db.prepare('SELECT count(*) AS n FROM sealing_key').get()).toEqual({ n: 0 });
    const rows = db.prepare('SELECT id, key_id, sealed FROM client_files').all() as {
      key_id: string;
      sealed: Buffer;
    }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.key_id).toBeTruthy();
      expect(row.sealed.includes('%PDF')).toBe(false);
    }
    // The card, one PDF, comes back byte for byte.
    expect((await reused(t)).$6).toBe(sha(card.bytes));

    // Started again: nothing more to do, nothing changed.
    await t.app.start();
    await t.app.internals.idle();
    expect((await h['clients.get'](MARIO.$4)).files).toHaveLength(2);
  });

  it('are left on the disk when this keystore opens neither them nor their key, until their rows go', async () => {
    const t = await startApp();
    await t.app.handlers['clients.consent'](MARIO.$4, null, null);
    const [identity] = await papers();
    // Sealed by another PC's keystore (a copy of its folder): not this counter's to move in.
    await keepBefore(t.root, t.app.internals.store, new AesCipher(), [identity], { now: t.clock.now() });
    await t.app.start();
    await t.app.internals.idle();
    expect(localFiles(t)).toEqual([`${identity.id}.bin`]);
    expect((await t.app.handlers['clients.get'](MARIO.$4)).files).toEqual([]);
    // Its row expires: the retention run deletes the row, then the file.
    t.clock.advance(400 * 86_400_000);
    await t.app.start();
    await t.app.internals.idle();
    expect(localFiles(t)).toEqual([]);
    // Two starts and a retention run over 400 days: ~25 s alone, more on a busy 2-core machine.
  }, 120_000);

  it('finishes a move cut by SIGKILL at the next start: every document once, none left on the disk', async () => {
    const keystore = randomBytes(32);
    const t = await startApp({ cipher: new AesCipher({ key: keystore }) });
    await t.app.handlers['clients.consent'](MARIO.$4, null, null);
    const docs: DocumentBefore[] = [];
    for (let i = 0; i < 5; i++)
      docs.push(
        documentBefore(
          `CLIENT${String(i).padStart(10, '0')}`,
          'identita',
          Buffer.from(await textPdf(1, `Carta ${i}`)),
        ),
      );
    await keepBefore(t.root, t.app.internals.store, t.ports.cipher, docs, { now: t.clock.now() });
    await t.app.close();

    const child = join(import.meta.dirname, 'local-files-child.ts');
    const moved = await new Promise<number>((resolve, reject) => {
      const proc = spawn(process.execPath, [child, t.root, keystore.toString('hex'), '2'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      proc.on('exit', (_code, signal) =>
        signal === 'SIGKILL'
          ? resolve(out.split('\n').filter((l) => l === 'moved').length)
          : reject(new Error(`the move was not killed: ${out} ${err}`)),
      );
    });
    expect(moved).toBe(2);

    const again = await startApp({
      root: t.root,
      simulator: t.simulator,
      clock: t.clock,
      cipher: new AesCipher({ key: keystore }),
    });
    const db = sqliteOf(again.app);
    // Cut after its second document went in, before that one's file was deleted.
    expect(db.prepare('SELECT count(*) AS n FROM client_files WHERE sealed IS NOT NULL').get()).toEqual({
      n: 2,
    });
    expect(localFiles(again)).toHaveLength(4);

    await again.app.start();
    await again.app.internals.idle();
    expect(localFiles(again)).toEqual([]);
    const rows = db.prepare('SELECT id FROM client_files WHERE sealed IS NOT NULL ORDER BY id').all();
    expect(rows).toEqual(docs.map((d) => ({ id: d.id })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    // Each opens, at its own client's next request.
    for (const doc of docs) expect(Object.keys(await reused(again, doc.cf))).toEqual(['$5']);
  });
});
