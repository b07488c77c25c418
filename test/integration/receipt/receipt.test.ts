import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../main/errors.ts';
import { generateReceipt } from '../../../main/receipt/receipt.ts';
import { startApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { pdfText } from '../../support/pdf.ts';

describe('the receipt of a sent request', () => {
  it('is one A4 page with office, operator, service, when, the numbers, the documents, the price with IVA and what comes next', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    await h['settings.update']({ officeName: 'Patronato Centro', operatorName: 'Laura Verdi' });
    const id = await congedoDraft(t.app);
    await h['drafts.update'](id, { sendToClient: true });
    const sent = await h['requests.submit'](id, (await h['requests.quote'](id)).total);

    const receipt = await h['receipt.generate'](id);
    expect(receipt.name).toBe('Ricevuta Rossi Mario.pdf');
    const pdf = await PDFDocument.load(receipt.data);
    expect(pdf.getPageCount()).toBe(1);
    const [text] = await pdfText(receipt.data);
    for (const expected of [
      'PATRONATO CENTRO',
      'Operatore: Laura Verdi',
      'RICEVUTA DI PRESENTAZIONE DELLA PRATICA',
      'AMBIENTE DI PROVA',
      'Rossi Mario',
      'RSSMRA85T10A562S',
      'Indennità per congedo parentale',
      id,
      sent.remoteId!,
      'carta-identita.jpg',
      'tessera.pdf',
      'mandato.png',
      'Imponibile 14,70 €',
      'IVA 22% 3,23 €',
      'Totale 17,93 €',
      'Che cosa succede ora',
      'anche per email all’indirizzo mario.rossi@example.it',
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/Inviata il \d{2}\/\d{2}\/\d{4}/);
    expect((await h['requests.get'](id)).events.map((e) => e.kind)).toContain('receipt_printed');
  });

  it('is refused for a request not sent yet, saying why', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    const refused = await t.app.handlers['receipt.generate'](id).catch((e: unknown) => e as AppError);
    expect(refused).toMatchObject({ code: 'not_allowed', details: { reason: 'not_sent' } });
  });

  it('stays on one page with many documents and long names', async () => {
    const bytes = await generateReceipt({
      office: {
        name: 'Istituto Nazionale di Assistenza Sociale – Sede provinciale '.repeat(2),
        operator: 'X',
      },
      client: { name: 'De Santis Maria Antonietta Giuseppina', codiceFiscale: 'DSNMNT60A41H501Z' },
      service: 'Riscatto (accredito figurativo) del servizio militare obbligatorio '.repeat(2),
      sentAt: new Date(2026, 10, 23, 10, 42),
      requestId: '0f1e2d3c-4b5a-4978-8877-665544332211',
      remoteId: '6b0ccff59e3779b100000001',
      attachments: Array.from({ length: 8 }, (_, i) => ({
        label: `Documento numero ${i + 1} con un nome lungo come li scrive il servizio`,
        files: ['scansione-fronte-del-documento.jpg', 'scansione-retro-del-documento.jpg'],
      })),
      net: 21,
      emailTarget: 'maria.antonietta.desantis@example.it',
      phone: '+39 347 123 4567',
      test: false,
    });
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
    const [text] = await pdfText(bytes);
    expect(text).toContain('Totale 25,62 €');
    expect(text).toContain('23/11/2026');
    expect(text).not.toContain('PROVA');
  });
});
