import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors.ts';
import { generateMandato, italianDate, type MandatoInput } from '../../../main/mandato/mandato.ts';
import { greyImage, readPageCodes } from '../../../main/reading/barcode.ts';
import { clientKey, mandatoCodeText } from '../../../main/reading/mandato-code.ts';
import { pageImages } from '../../../main/reading/pages.ts';
import { mandatoScanPages, take } from '../../support/documents.ts';
import { pdfText } from '../../support/pdf.ts';

/* The generated PDF is parsed back with pdf-lib and its text extracted with pdfjs-dist (legacy build). */

const input: MandatoInput = {
  office: { name: 'Patronato Sportello – Sede di Genova Centro', operator: 'Giulia Bianchi' },
  client: {
    nome: 'Emanuela',
    cognome: 'Ricciardi',
    codiceFiscale: 'rccmnl83s18d969h',
    email: 'emanuela.ricciardi@example.it',
    phone: '+39 347 123 4567',
    birthPlace: 'Genova',
  },
  service: { name: 'Indennità per congedo parentale' },
  date: '2025-06-03',
};

describe('mandato di assistenza e rappresentanza', () => {
  it('is a one-page A4 PDF with the client, the CF, the service and the date', async () => {
    const bytes = await generateMandato(input);
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    const { width, height } = pdf.getPage(0).getSize();
    expect(Math.round(width)).toBe(595);
    expect(Math.round(height)).toBe(842);
    expect(pdf.getTitle()).toBe('Mandato di assistenza e rappresentanza – Ricciardi Emanuela');

    const [text] = await pdfText(bytes);
    expect(text).toContain('MANDATO DI ASSISTENZA E RAPPRESENTANZA');
    expect(text).toContain('Ricciardi Emanuela');
    expect(text).toContain('RCCMNL83S18D969H');
    expect(text).toContain('Indennità per congedo parentale');
    expect(text).toContain('Data 03/06/2025');
    expect(text).toContain('nato/a a Genova il 18/11/1983');
    expect(text).toContain('emanuela.ricciardi@example.it');
    expect(text).toContain('+39 347 123 4567');
    expect(text).toContain('Patronato Sportello – Sede di Genova Centro');
    expect(text).toContain('Giulia Bianchi');
  });

  it('carries the privacy statement and both signature lines', async () => {
    const [text] = await pdfText(await generateMandato(input));
    expect(text).toContain('art. 13 Reg. UE 2016/679');
    expect(text).toMatch(/reclamo al Garante/);
    expect(text).toContain('Firma dell’assistito/a');
    expect(text).toContain('Firma dell’operatore incaricato');
  });

  it('takes a Date and shows it as gg/mm/aaaa; without a place name it shows the Belfiore code', async () => {
    const bytes = await generateMandato({
      ...input,
      client: { ...input.client, birthPlace: null, email: null, phone: undefined },
      date: new Date(2026, 0, 9),
    });
    const [text] = await pdfText(bytes);
    expect(text).toContain('Data 09/01/2026');
    expect(text).toContain('nato/a a (codice D969) il 18/11/1983');
  });

  it('stays on one page with a long office name and service', async () => {
    const bytes = await generateMandato({
      ...input,
      office: {
        name: 'Istituto Nazionale di Assistenza Sociale e Patronato – '.repeat(3),
        operator: 'Operatore',
      },
      service: { name: 'Riscatto (accredito figurativo) del servizio militare obbligatorio '.repeat(3) },
    });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBeLessThanOrEqual(2);
  });

  it('refuses an invalid CF or a missing name, in Italian', async () => {
    const bad = await generateMandato({
      ...input,
      client: { ...input.client, codiceFiscale: 'RCCMNL83S18D969X' },
    }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).code).toBe('invalid_argument');
    expect((bad as AppError).message).toMatch(/carattere di controllo/);
    const noName = await generateMandato({ ...input, client: { ...input.client, nome: ' ' } }).catch(
      (e: unknown) => e,
    );
    expect((noName as AppError).message).toMatch(/nome e cognome/);
  });

  it('says, when the client agreed, that the ID and CF card are kept until a date and can be revoked', async () => {
    const [without] = await pdfText(await generateMandato(input));
    expect(without).not.toMatch(/Consenso alla conservazione/);
    expect(without).toContain('cancellate appena la pratica è accettata;');
    const bytes = await generateMandato({ ...input, keepDocuments: { until: new Date(2026, 5, 2) } });
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
    const [text] = await pdfText(bytes);
    expect(text).toContain('Consenso alla conservazione dei documenti');
    expect(text).toContain('fino al 02/06/2026');
    expect(text).toMatch(/revocare il consenso in qualsiasi momento/);
    expect(text).toContain('salvo il consenso alla conservazione');
  });

  it('carries its draft’s code on every page, read back from the PDF and from a scan of it, never the CF', async () => {
    const draft = '3b241101-e2bb-4255-8caf-4136c566a962';
    const code = mandatoCodeText(draft, input.client.codiceFiscale);
    expect(code).not.toContain('RCCMNL');
    const long = 'Indennità per congedo parentale e per il riposo giornaliero, '.repeat(40);
    const bytes = await generateMandato({ ...input, service: { name: long }, code });
    const pages = await pageImages(bytes);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const expected = { draftId: draft, clientKey: clientKey('RCCMNL83S18D969H') };
    for (const page of pages)
      expect((await readPageCodes((await greyImage(page))!, { angles: [] })).mandato).toEqual(expected);
    // Printed, signed, scanned at 150 dpi, then photographed askew: the code still reads.
    const [scan] = await mandatoScanPages(bytes);
    const photo = await take(scan!, { on: 'desk', rotate: 4, noise: 10 });
    expect((await readPageCodes((await greyImage(photo))!, { angles: [] })).mandato).toEqual(expected);
  }, 120_000);

  it('prints no code when it is printed for no draft', async () => {
    const [page] = await pageImages(await generateMandato(input));
    expect(page).toBeUndefined();
  });

  it('formats dates the Italian way', () => {
    expect(italianDate('1983-11-18')).toBe('18/11/1983');
    expect(() => italianDate('18/11/1983')).toThrow(AppError);
  });
});
