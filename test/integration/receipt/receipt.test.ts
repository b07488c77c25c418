import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../main/errors.ts';
import { generateReceipt, type ReceiptInput } from '../../../main/receipt/receipt.ts';
import { startApp } from '../../support/app.ts';
import { CONGEDO, congedoDraft, sendDraft } from '../../support/drafts.ts';
import { pdfText } from '../../support/pdf.ts';

/** The test simulator's durations: a minute to "Dati disponibili", a minute more to "Visura evasa". */
const SIM_STEP = 60_000;

const office = { officeName: 'Patronato Centro', officeAddress: 'Via Roma 1, Roma', numberPrefix: 'RM1' };

describe('the receipt of a sent request', () => {
  it('is one A4 page with the office and its address, the short number, service, documents, what the client pays and what comes next', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    await h['settings.update']({ ...office, operatorName: 'Laura Verdi' });
    const id = await congedoDraft(t.app);
    await h['drafts.update'](id, { sendToClient: true });
    const sent = await sendDraft(t.app, id);
    expect(sent.number).toBe('RM1-2026-000001');

    const receipt = await h['receipt.generate'](id);
    expect(receipt.name).toBe('Ricevuta RM1-2026-000001 Rossi Mario.pdf');
    const pdf = await PDFDocument.load(receipt.data);
    expect(pdf.getPageCount()).toBe(1);
    const [text] = await pdfText(receipt.data);
    for (const expected of [
      'PATRONATO CENTRO',
      'Via Roma 1, Roma',
      'Operatore: Laura Verdi',
      'RICEVUTA DI PRESENTAZIONE DELLA PRATICA',
      'DOCUMENTO DI PROVA — non valido',
      'Numero pratica RM1-2026-000001',
      'Rossi Mario',
      'RSSMRA85T10A562S',
      'Indennità per congedo parentale',
      'Stato In lavorazione',
      'carta-identita.jpg',
      'tessera.pdf',
      'mandato.png',
      'Importo a carico del cliente',
      'Nessun importo: il servizio è gratuito per il cliente.',
      'in lavorazione presso il CAF/Patronato',
      'indicando il numero pratica RM1-2026-000001',
      'anche per email all’indirizzo mario.rossi@example.it',
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/Presentata il \d{2}\/\d{2}\/\d{4}/);
    // Neither number a phone cannot carry, nor Openapi's cost unless the office asks for it.
    expect(text).not.toContain(id);
    expect(text).not.toContain(sent.remoteId!);
    expect(text).not.toContain('Imponibile');
    expect(text).not.toMatch(/visengine/i);
    expect((await h['requests.get'](id)).events.map((e) => e.kind)).toContain('receipt_printed');
  });

  it('prints the price the office asks for the service, and Openapi’s cost only when the office turns it on', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    await h['settings.update']({
      ...office,
      clientPriceDefault: 0,
      clientPrices: { [CONGEDO]: 25 },
      receiptShowsCost: true,
    });
    const id = await congedoDraft(t.app);
    await sendDraft(t.app, id);
    // A price changed after the request was sent does not change its receipt.
    await h['settings.update']({ clientPrices: { [CONGEDO]: 40 } });
    expect((await h['requests.get'](id)).clientPrice).toBe(25);

    const [text] = await pdfText((await h['receipt.generate'](id)).data);
    expect(text).toContain('25,00 € (IVA inclusa), da versare all’ufficio.');
    expect(text).toContain('Costo del servizio per l’ufficio (Openapi)');
    expect(text).toContain('Imponibile 14,70 € · IVA 22% 3,23 € · Totale 17,93 €');
  });

  it('says what is true of the request when printed: completed once the service finished it', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    await h['settings.update'](office);
    const id = await congedoDraft(t.app);
    await sendDraft(t.app, id);
    t.clock.advance(SIM_STEP * 2);
    expect((await h['requests.refresh'](id)).state).toBe('completata');

    const [text] = await pdfText((await h['receipt.generate'](id)).data);
    expect(text).toContain('Stato Completata');
    expect(text).toContain('La pratica è completata');
    expect(text).not.toContain('in lavorazione');
  });

  it('is refused for a request not sent yet, saying why', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    const refused = await t.app.handlers['receipt.generate'](id).catch((e: unknown) => e as AppError);
    expect(refused).toMatchObject({ code: 'not_allowed', details: { reason: 'not_sent' } });
  });

  const input: ReceiptInput = {
    office: {
      name: 'Istituto Nazionale di Assistenza Sociale – Sede provinciale '.repeat(2),
      address: 'Via della Conciliazione 10, 00193 Roma',
      operator: 'X',
    },
    client: { name: 'De Santis Maria Antonietta Giuseppina', codiceFiscale: 'DSNMNT60A41H501Z' },
    service: 'Riscatto (accredito figurativo) del servizio militare obbligatorio '.repeat(2),
    sentAt: new Date(2026, 10, 23, 10, 42),
    number: 'RM1-2026-000123',
    state: 'in_lavorazione',
    refusal: null,
    attachments: Array.from({ length: 8 }, (_, i) => ({
      label: `Documento numero ${i + 1} con un nome lungo come li scrive il servizio`,
      files: ['scansione-fronte-del-documento.jpg', 'scansione-retro-del-documento.jpg'],
    })),
    clientPrice: 30,
    cost: 21,
    emailTarget: 'maria.antonietta.desantis@example.it',
    phone: '+39 347 123 4567',
    test: false,
  };

  it('stays on one page with many documents, long names, the cost printed and the Prova warning', async () => {
    const bytes = await generateReceipt({ ...input, test: true });
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
    const [text] = await pdfText(bytes);
    expect(text).toContain('Totale 25,62 €');
    expect(text).toContain('30,00 € (IVA inclusa)');
    expect(text).toContain('23/11/2026');
    expect(text).toContain('DOCUMENTO DI PROVA');
    const [real] = await pdfText(await generateReceipt(input));
    expect(real).not.toContain('PROVA');
  });

  it('words what comes next by the state: a refusal with its reason, a cancellation', async () => {
    const [refused] = await pdfText(
      await generateReceipt({ ...input, state: 'respinta', refusal: 'Codice fiscale non valido' }),
    );
    expect(refused).toContain('Stato Respinta');
    expect(refused).toContain('ha respinto la pratica con questa motivazione: «Codice fiscale non valido»');
    const [cancelled] = await pdfText(await generateReceipt({ ...input, state: 'annullata' }));
    expect(cancelled).toContain('La pratica è stata annullata');
    const [ready] = await pdfText(await generateReceipt({ ...input, state: 'pronta' }));
    expect(ready).toContain('altri possono ancora arrivare');
  });
});
