import { readFileSync } from 'node:fs';
import { PDFDocument } from '@cantoo/pdf-lib';
import { CONGEDO_HASH, expect, screenshot, test } from './fixtures.ts';
import { congedoDraft, sendDraft } from '../support/drafts.ts';
import { pdfText } from '../support/pdf.ts';

test('the receipt the client takes home: the short number, the office, what the client pays, and that Prova is not valid', async ({
  app,
  harness,
}) => {
  const h = harness.app.handlers;
  // A free Patronato service for the client, whatever Openapi charges the office.
  await h['settings.update']({ clientPriceDefault: 10, clientPrices: { [CONGEDO_HASH]: 0 } });
  const id = await congedoDraft(harness.app);
  const sent = await sendDraft(harness.app, id);
  expect(sent.number).toMatch(/^PRV-\d{4}-000001$/);

  await app.evaluate((draft) => (window.location.hash = `#/nuova/${draft}/inviata`), id);
  const page = app.getByTestId('sent');
  await expect(page).toContainText(`Numero pratica per il cliente: ${sent.number!}`);
  // Prova's charge is said to be a trial one.
  await expect(page).toContainText('addebito di prova');
  await screenshot(app, 'pratica-inviata-numero');

  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Salva ricevuta (PDF)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`Ricevuta ${sent.number!} Rossi Mario.pdf`);
  const bytes = new Uint8Array(readFileSync(await file.path()));
  expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
  const [text] = await pdfText(bytes);
  for (const expected of [
    'PATRONATO DI PROVA',
    'Via Roma 1, Roma',
    'DOCUMENTO DI PROVA — non valido',
    `Numero pratica ${sent.number!}`,
    'Importo a carico del cliente',
    'Nessun importo: il servizio è gratuito per il cliente.',
  ])
    expect(text).toContain(expected);
  // Neither the 36 characters of the log's id nor Openapi's 24, and no cost the office did not ask for.
  expect(text).not.toContain(id);
  expect(text).not.toContain(sent.remoteId!);
  expect(text).not.toContain('Imponibile');

  // The number the client reads on the phone finds the request in Pratiche.
  await app.getByRole('link', { name: 'Pratiche' }).click();
  await app.getByRole('textbox', { name: 'Cerca' }).fill(sent.number!.toLowerCase());
  await expect(app.getByTestId('requests-count')).toHaveText('1 pratica');
  await expect(app.locator(`[data-request-id="${id}"]`)).toContainText(sent.number!);
});
