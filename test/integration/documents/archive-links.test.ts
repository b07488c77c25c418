import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientFolderName } from '../../../main/documents/folders.ts';
import { startApp } from '../../support/app.ts';
import { congedoDraft, MARIO, sendDraft } from '../../support/drafts.ts';

/*
 * The archive folder may be shared (a network share every PC of the office writes into): a client's
 * folder there that is a symbolic link leading out of the archive gets nothing written through it.
 */
const SIM_STEP = 60_000;

describe('a client folder of the archive that leads out of it', () => {
  it('gets no output written through it: the download fails as unsafe, and nothing lands outside', async () => {
    const t = await startApp();
    const archive = (await t.app.handlers['settings.get']()).archiveRoot;
    const outside = join(t.root, 'Documenti personali');
    mkdirSync(outside, { recursive: true });
    mkdirSync(archive, { recursive: true });
    const client = clientFolderName({ cognome: MARIO.$1, nome: MARIO.$0, codiceFiscale: MARIO.$4 });
    symlinkSync(outside, join(archive, client));

    const id = await congedoDraft(t.app);
    await sendDraft(t.app, id);
    for (let i = 0; i < 2; i++) {
      t.clock.advance(SIM_STEP);
      await t.app.internals.tracker.cycle();
    }
    await t.app.internals.idle();
    await expect(t.app.internals.documents.download(id)).rejects.toMatchObject({
      code: 'unsafe_archive',
      details: { reason: 'folder_outside' },
    });
    expect(readdirSync(outside)).toEqual([]);
    expect(await t.app.internals.store.requests.get(id)).toMatchObject({ documentsState: 'failed' });
  });
});
