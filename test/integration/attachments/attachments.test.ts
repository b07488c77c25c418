import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { parseFileString } from '../../../common/validators/fileString.ts';
import type { AppError } from '../../../main/errors.ts';
import { CONGEDO } from '../../support/simulator.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { noiseScanPdf, photoJpeg, pngImage, textPdf } from '../../support/files.ts';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as AppError,
  );

async function filledDraft(t: TestApp) {
  const draft = await t.app.handlers['drafts.create'](CONGEDO);
  await t.app.handlers['drafts.update'](draft.id, {
    fields: { $0: 'Mario', $1: 'Rossi', $2: 'mario@example.it', $3: '3331234567', $4: 'RSSMRA85T10A562S' },
  });
  return draft.id;
}

const draftsDir = (t: TestApp, id: string) => join(t.root, 'userData', 'drafts', id);

describe('attachments through the app', () => {
  it('refuses a file that is not a document, whatever its name says, and keeps nothing', async () => {
    const t = await startApp();
    const id = await filledDraft(t);
    const e = await failure(
      t.app.handlers['attachments.add'](id, '$5', {
        name: 'carta-identita.pdf',
        data: new TextEncoder().encode('MZ\u0090\u0000 not a pdf at all'),
      }),
    );
    expect(e.code).toBe('file_type');
    expect(e.message).toMatch(/carta-identita\.pdf/);
    const draft = await t.app.handlers['drafts.get'](id);
    expect(draft.attachments).toEqual([]);
    expect(existsSync(draftsDir(t, id)) ? readdirSync(draftsDir(t, id)) : []).toEqual([]);
  });

  it('reads a dropped file from its path, and says so clearly when the path is gone', async () => {
    const t = await startApp();
    const id = await filledDraft(t);
    const path = join(t.root, 'scansione.png');
    writeFileSync(path, await pngImage());
    // What the preload does for a file the clerk drops: main learns its path from Electron.
    const dropped = (file: string) => t.app.grants.grant(file, 'dropped')!;
    const info = await t.app.handlers['attachments.add'](id, '$7', { path: dropped(path) });
    expect(info).toMatchObject({ fileName: 'scansione.png', sourceKind: 'png', available: true });
    expect(info.thumbnail).toMatch(/^data:image\/jpeg;base64,/);

    const e = await failure(
      t.app.handlers['attachments.add'](id, '$7', { path: dropped(join(t.root, 'sparito.pdf')) }),
    );
    expect(e.code).toBe('file_type');
    expect(e.message).toMatch(/sparito\.pdf/);
  });

  it('sends fronte and retro of one field as a single two-page PDF', async () => {
    // A short wallet keeps the request open after the POST: the simulator still holds its files.
    const t = await startApp({ wallet: 1 });
    const id = await filledDraft(t);
    const front = await t.app.handlers['attachments.add'](id, '$5', {
      name: 'fronte.jpg',
      data: await photoJpeg(1200, 800),
    });
    const back = await t.app.handlers['attachments.add'](id, '$5', {
      name: 'retro.png',
      data: await pngImage(),
    });
    expect([front.position, back.position]).toEqual([0, 1]);
    await t.app.handlers['attachments.add'](id, '$6', { name: 'tessera.pdf', data: await textPdf(1) });
    const quote = await t.app.handlers['requests.quote'](id);
    const e = await failure(t.app.handlers['requests.submit'](id, quote.total));
    expect(e.code).toBe('insufficient_credit');

    const sent = t.simulator.requests()[0]!;
    const parsed = parseFileString(sent.json.$5!);
    expect(parsed?.mime).toBe('application/pdf');
    const pdf = await PDFDocument.load(Buffer.from(parsed!.base64, 'base64'));
    expect(pdf.getPageCount()).toBe(2);
  });

  it('removes one part from disk and from the draft', async () => {
    const t = await startApp();
    const id = await filledDraft(t);
    const a = await t.app.handlers['attachments.add'](id, '$5', { name: 'a.png', data: await pngImage() });
    const b = await t.app.handlers['attachments.add'](id, '$5', {
      name: 'b.png',
      data: await pngImage(400, 300),
    });
    const before = readdirSync(draftsDir(t, id));
    const draft = await t.app.handlers['attachments.remove'](id, a.id);
    expect(draft.attachments.map((x) => x.id)).toEqual([b.id]);
    const after = readdirSync(draftsDir(t, id));
    expect(after.length).toBeLessThan(before.length);
    expect(after.some((name) => name.includes(a.id))).toBe(false);
    expect(after.some((name) => name.includes(b.id))).toBe(true);
  });

  it('refuses at the price check a request whose documents exceed the budget, before any charge', async () => {
    const t = await startApp();
    const id = await filledDraft(t);
    // Two incompressible 3 MB scans in one field: their merged PDF is over the 4 MB a document may be.
    const scan = await noiseScanPdf();
    expect(scan.length).toBeGreaterThan(2_900_000);
    await t.app.handlers['attachments.add'](id, '$5', { name: 'fronte.pdf', data: scan });
    await t.app.handlers['attachments.add'](id, '$5', { name: 'retro.pdf', data: scan });
    await t.app.handlers['attachments.add'](id, '$6', { name: 'tessera.pdf', data: await textPdf(1) });
    const e = await failure(t.app.handlers['requests.quote'](id));
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toMatch(/MB/);
    expect(t.simulator.requests()).toHaveLength(0);
    expect(t.simulator.charges()).toHaveLength(0);
  });

  it('discards a draft with its scans, keeping a line in the trail', async () => {
    const t = await startApp();
    const id = await filledDraft(t);
    await t.app.handlers['attachments.add'](id, '$5', { name: 'a.png', data: await pngImage() });
    await t.app.handlers['drafts.discard'](id);
    expect(existsSync(draftsDir(t, id))).toBe(false);
    expect(await t.app.internals.store.requests.get(id)).toBeNull();
    const e = await failure(t.app.handlers['drafts.get'](id));
    expect(e.code).toBe('draft_not_found');
  });
});

describe('replacing the fronte', () => {
  it('puts a part added at a position before the ones already there', async () => {
    const t = await startApp();
    const id = await filledDraft(t);
    const front = await t.app.handlers['attachments.add'](id, '$5', {
      name: 'fronte.png',
      data: await pngImage(),
    });
    const back = await t.app.handlers['attachments.add'](id, '$5', {
      name: 'retro.png',
      data: await pngImage(),
    });
    await t.app.handlers['attachments.remove'](id, front.id);
    const again = await t.app.handlers['attachments.add'](
      id,
      '$5',
      { name: 'fronte-nuovo.png', data: await pngImage(640, 400) },
      0,
    );
    const draft = await t.app.handlers['drafts.get'](id);
    const parts = draft.attachments
      .filter((a) => a.fieldKey === '$5')
      .sort((a, b) => a.position - b.position);
    expect(parts.map((p) => [p.id, p.position])).toEqual([
      [again.id, 0],
      [back.id, 1],
    ]);
  });
});
