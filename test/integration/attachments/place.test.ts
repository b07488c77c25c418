import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../main/errors.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { cardBack } from '../../support/cards.ts';
import {
  cieBack,
  GIULIA,
  idCardFront,
  mandatoScanPages,
  MARIO as HOLDER,
  scannerPdf,
  take,
  tesseraBack,
} from '../../support/documents.ts';
import { MARIO } from '../../support/drafts.ts';
import { noiseScanPdf, photoJpeg, pngImage, textPdf } from '../../support/files.ts';
import { CONGEDO } from '../../support/simulator.ts';

/** Reading pages runs OCR in a thread: on a busy 2-core machine a drop takes a while. */
const READS = 180_000;

async function emptyDraft(t: TestApp) {
  return (await t.app.handlers['drafts.create'](CONGEDO)).id;
}

describe('one drop of several files', () => {
  it(
    'places the first day’s three files, named as phones and scanners name them, each by what it is, and is sure',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const id = await emptyDraft(t);
      await h['drafts.update'](id, { fields: MARIO });
      // The mandato the app prints for this draft, signed and scanned on a duplex feeder.
      const mandato = await h['mandato.generate'](id);
      const placed = await h['attachments.place'](id, [
        {
          name: 'IMG_20250114_101512.jpg',
          data: await take(await idCardFront(HOLDER), { on: 'desk', rotate: 3 }),
        },
        { name: 'scan0002.png', data: await take(await tesseraBack(HOLDER), { on: 'page', format: 'png' }) },
        {
          name: 'scansione_003.pdf',
          data: await scannerPdf(await mandatoScanPages(mandato.data, { duplex: true })),
        },
      ]);
      expect(placed.failed).toEqual([]);
      const byName = (name: string) => placed.placed.find((p) => p.fileName === name);
      expect(byName('IMG_20250114_101512.jpg')).toMatchObject({
        fieldKey: '$5',
        position: 0,
        reason: 'ocr',
        confidence: 'high',
      });
      expect(byName('scan0002.png')).toMatchObject({ fieldKey: '$6', reason: 'barcode', confidence: 'high' });
      expect(byName('scansione_003.pdf')).toMatchObject({
        fieldKey: '$7',
        reason: 'mandato_code',
        confidence: 'high',
        note: null,
      });
    },
    READS,
  );

  it(
    'puts a CIE’s back with the identity document, and its MRZ gives the holder’s data',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const id = await emptyDraft(t);
      const placed = await h['attachments.place'](id, [
        {
          name: 'IMG_20250114_101530.jpg',
          data: await take(await cieBack(HOLDER), { on: 'desk', rotate: -4 }),
        },
      ]);
      expect(placed.placed).toMatchObject([{ fieldKey: '$5', reason: 'mrz', confidence: 'high' }]);
      const reading = await h['attachments.read'](id, placed.placed[0]!.attachmentId);
      expect(reading.identity).toMatchObject({
        document: 'carta_identita',
        birthDate: '1985-12-10',
        sex: 'M',
        documentNumber: HOLDER.cardNumber,
        expiry: HOLDER.expiry,
        issuingState: 'ITA',
      });
      // Names are not under a check digit: given only when two reads agree, never a guess.
      expect([
        [HOLDER.cognome, HOLDER.nome],
        ['', ''],
      ]).toContainEqual([reading.identity!.cognome, reading.identity!.nome]);
      expect(reading.card?.cf).toBe(HOLDER.cf);
    },
    READS,
  );

  it(
    'places a mandato printed for another client in the mandato slot, unsure, and says whose it is',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const other = await emptyDraft(t);
      await h['drafts.update'](other, { fields: { ...MARIO, $0: 'Giulia', $1: 'Bianchi', $4: GIULIA.cf } });
      const giulias = await h['mandato.generate'](other);
      const id = await emptyDraft(t);
      await h['drafts.update'](id, { fields: MARIO });
      const placed = await h['attachments.place'](id, [
        { name: 'doc00231.pdf', data: await scannerPdf(await mandatoScanPages(giulias.data)) },
      ]);
      expect(placed.placed).toMatchObject([
        { fieldKey: '$7', reason: 'mandato_code', confidence: 'low', note: 'mandato_other_client' },
      ]);
      expect((await h['attachments.read'](id, placed.placed[0]!.attachmentId)).mandatoOf).toBe(
        'other_client',
      );
    },
    READS,
  );

  it(
    'places each in its slot and says why; the clerk swaps two in one action',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const id = await emptyDraft(t);
      const placed = await h['attachments.place'](id, [
        { name: 'IMG_0001.jpg', data: await cardBack({ cf: 'RSSMRA85T10A562S' }) },
        { name: 'mandato-firmato.png', data: await pngImage() },
        { name: 'documento.pdf', data: await textPdf(2) },
      ]);
      expect(placed.failed).toEqual([]);
      expect(placed.placed.map((p) => [p.fileName, p.fieldKey, p.reason, p.confidence]).sort()).toEqual([
        ['IMG_0001.jpg', '$6', 'barcode', 'high'],
        ['documento.pdf', '$5', 'name', 'medium'],
        ['mandato-firmato.png', '$7', 'name', 'medium'],
      ]);

      // The clerk sees the tessera where the mandato should be, or the reverse: one move swaps them.
      const tessera = placed.placed.find((p) => p.fileName === 'IMG_0001.jpg')!.attachmentId;
      const after = await h['attachments.move'](id, tessera, '$7');
      const at = (key: string) => after.attachments.filter((a) => a.fieldKey === key).map((a) => a.fileName);
      expect(at('$7')).toEqual(['IMG_0001.jpg']);
      expect(at('$6')).toEqual(['mandato-firmato.png']);
    },
    READS,
  );

  it(
    'keeps the good files and reports each bad one with its own reason, as data',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const id = await emptyDraft(t);
      const jpeg = await photoJpeg(800, 600);
      const placed = await h['attachments.place'](id, [
        { name: 'vuoto.pdf', data: new Uint8Array() },
        { name: 'troncata.jpg', data: jpeg.subarray(0, Math.floor(jpeg.length / 2)) },
        { name: 'carta-identita.jpg', data: jpeg },
      ]);
      expect(placed.placed.map((p) => p.fileName)).toEqual(['carta-identita.jpg']);
      expect(placed.failed.map((f) => [f.fileName, f.error.code, f.error.details])).toEqual([
        ['vuoto.pdf', 'file_type', { name: 'vuoto.pdf', kind: null, reason: 'empty' }],
        ['troncata.jpg', 'file_type', { name: 'troncata.jpg', kind: 'jpeg', reason: 'damaged' }],
      ]);
    },
    READS,
  );

  it('tells a bad file’s field with the error of a single drop', async () => {
    const t = await startApp();
    const id = await emptyDraft(t);
    const e = await t.app.handlers['attachments.add'](id, '$5', {
      name: 'vuoto.pdf',
      data: new Uint8Array(),
    }).catch((error: unknown) => error as AppError);
    expect(e).toMatchObject({
      code: 'file_type',
      details: { name: 'vuoto.pdf', reason: 'empty', field: '$5' },
    });
  });

  it('offers exactly the formats it reads: AVIF always, HEIC only where decodable', async () => {
    const t = await startApp();
    const formats = await t.app.handlers['attachments.formats']();
    expect(formats.names).toEqual(expect.arrayContaining(['PDF', 'JPEG', 'PNG', 'WebP', 'TIFF', 'AVIF']));
    const { heicSupported } = await import('../../../main/attachments/normalize.ts');
    expect(formats.names.includes('HEIC')).toBe(heicSupported());
    expect(Object.keys(formats.accept).includes('image/heic')).toBe(heicSupported());
    expect(formats.accept['image/avif']).toEqual(['.avif']);
  });

  it('tells the sizes it refuses, the very ones it checks', async () => {
    const t = await startApp();
    const { MAX_DOCUMENT_BYTES, MAX_INPUT_BYTES, MAX_REQUEST_BYTES } =
      await import('../../../main/attachments/limits.ts');
    expect((await t.app.handlers['attachments.formats']()).limits).toEqual({
      fileBytes: MAX_INPUT_BYTES,
      documentBytes: MAX_DOCUMENT_BYTES,
      requestBytes: MAX_REQUEST_BYTES,
    });
    // A PDF just over the document limit is refused with the size the form told.
    const pdf = await noiseScanPdf(1250, 1250);
    expect(pdf.length).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    const draft = await t.app.handlers['drafts.create'](CONGEDO);
    const refused = await t.app.handlers['attachments.add'](draft.id, '$5', {
      name: 'grande.pdf',
      data: pdf,
    }).catch((error: unknown) => error as AppError);
    expect(refused).toMatchObject({ code: 'file_too_large', details: { limit: MAX_DOCUMENT_BYTES } });
  });
});
