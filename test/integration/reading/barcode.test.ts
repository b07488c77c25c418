import { PDFDocument } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cfMismatch, readCodiceFiscaleBarcode } from '../../../main/reading/barcode.ts';
import { cardBack } from '../../support/cards.ts';

/* Real Code 39 barcodes (bwip-js) on generated card backs, read by zxing-wasm. */

const CF = 'RSSMRA85T10A562S';

beforeAll(() => {
  // The .wasm must come from node_modules, never from zxing-wasm's default CDN.
  vi.stubGlobal('fetch', () => Promise.reject(new Error('no network in barcode reading')));
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('codice fiscale barcode on the back of the tessera sanitaria / CIE', () => {
  it('reads a straight card scan and decodes birth data from the CF', async () => {
    const reading = await readCodiceFiscaleBarcode(await cardBack({ cf: CF }));
    expect(reading).toMatchObject({
      cf: CF,
      valid: true,
      issue: null,
      pass: 'direct',
      confidence: 'high',
      info: { kind: 'persona', birthDate: '1985-12-10', sex: 'M', placeCode: 'A562', placeName: null },
    });
    // The barcode lies in the lower part of the 1011 × 638 card.
    expect(reading!.position!.topLeft.y).toBeGreaterThan(400);
  });

  it('names the birthplace when asked', async () => {
    const reading = await readCodiceFiscaleBarcode(await cardBack({ cf: 'RCCMNL83S18D969H' }), {
      placeName: true,
    });
    expect(reading!.info?.placeCode).toBe('D969');
    expect(reading!.info?.placeName).toMatch(/genova/i);
  });

  it.each([
    ['turned 90°', { rotate: 90 }],
    ['upside down', { rotate: 180 }],
    ['turned 270°', { rotate: 270 }],
    ['slightly askew (4°)', { rotate: 4 }],
    ['askew on the glass (13°)', { rotate: -13 }],
    ['askew and turned (97°)', { rotate: 97 }],
    ['faded, low contrast', { lowContrast: true }],
    ['faded and askew', { lowContrast: true, rotate: 11 }],
    ['a phone photo, JPEG quality 40', { format: 'jpeg' as const, jpegQuality: 40 }],
    ['on an A4 flatbed scan, JPEG', { onPage: true, format: 'jpeg' as const, rotate: 2 }],
  ])('reads a card %s', async (_label, options) => {
    const reading = await readCodiceFiscaleBarcode(await cardBack({ cf: CF, ...options }));
    expect(reading?.cf).toBe(CF);
    expect(reading?.valid).toBe(true);
  });

  it('reads an omocodic CF', async () => {
    const reading = await readCodiceFiscaleBarcode(await cardBack({ cf: 'RSSMRA85T10A56NH' }));
    expect(reading).toMatchObject({
      cf: 'RSSMRA85T10A56NH',
      valid: true,
      info: { omocodico: true, placeCode: 'A562' },
    });
  });

  it('finds nothing on a card without a barcode', async () => {
    expect(await readCodiceFiscaleBarcode(await cardBack({ cf: null }))).toBeNull();
  });

  it('flags a barcode whose CF does not check out', async () => {
    const reading = await readCodiceFiscaleBarcode(await cardBack({ cf: 'RSSMRA85T10A562X' }));
    expect(reading).toMatchObject({ cf: 'RSSMRA85T10A562X', valid: false, confidence: 'low', info: null });
    expect(reading!.issue).toMatch(/carattere di controllo dovrebbe essere S/);
  });

  it('reads the card from a scanned PDF (its JPEG image)', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage([595, 842]); // a blank first page
    const jpeg = await cardBack({ cf: CF, format: 'jpeg', jpegQuality: 85 });
    const image = await pdf.embedJpg(jpeg);
    pdf.addPage([595, 842]).drawImage(image, { x: 50, y: 400, width: 243, height: 153 });
    const reading = await readCodiceFiscaleBarcode(await pdf.save());
    expect(reading).toMatchObject({ cf: CF, valid: true, image: 0 });
  });

  it('returns null for bytes that are no image', async () => {
    expect(await readCodiceFiscaleBarcode(new TextEncoder().encode('not an image'))).toBeNull();
  });

  it('tells when the typed CF and the card disagree', async () => {
    const reading = (await readCodiceFiscaleBarcode(await cardBack({ cf: CF })))!;
    expect(cfMismatch('rssmra85t10a562s ', reading)).toBe(false);
    expect(cfMismatch('RCCMNL83S18D969H', reading)).toBe(true);
    expect(cfMismatch('', reading)).toBe(false);
  });
});
