import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  cieBack,
  MARIO as HOLDER,
  mandatoScanPages,
  scannerPdf,
  take,
  tesseraBack,
} from '../support/documents.ts';
import { CLIENT, dropFiles, fillClient, pickService, slot } from './helpers.ts';
import { CONGEDO, expect, screenshot, test } from './fixtures.ts';

/*
 * The counter reads the documents: files named as phones and scanners name them land in their
 * slots by what they are, each saying why; the CIE's machine-readable zone fills the form, marked
 * "dal documento"; a codice fiscale that is not the client's is warned about before paying.
 * Reading runs OCR in a thread: on a busy machine it takes seconds, hence the longer waits.
 */

const READ = { timeout: 120_000 };
test.setTimeout(300_000);

/** The mandato the app prints for this draft, downloaded from its dialog. */
async function printedMandato(app: Page): Promise<Buffer> {
  await app.getByRole('button', { name: 'Mandato da firmare' }).click();
  const dialog = app.getByRole('dialog', { name: 'Mandato di assistenza e rappresentanza' });
  const download = app.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Salva PDF' }).click();
  const bytes = readFileSync(await (await download).path());
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  return bytes;
}

function onDisk(files: Record<string, Uint8Array>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-e2e-reading-'));
  return Object.entries(files).map(([name, bytes]) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  });
}

test('the first day’s three files, generic names, each land in their slot, saying why, and nothing is left to check', async ({
  app,
}) => {
  await pickService(app, 'congedo parentale', CONGEDO);
  await fillClient(app);
  // Printed, signed and scanned on a duplex feeder: two sides of one sheet.
  const mandato = await scannerPdf(await mandatoScanPages(await printedMandato(app), { duplex: true }));
  const files = onDisk({
    'IMG_20250114_101512.jpg': await take(await cieBack(HOLDER), { on: 'desk', rotate: 3 }),
    'scan0002.png': await take(await tesseraBack(HOLDER), { on: 'page', format: 'png' }),
    'scansione_003.pdf': mandato,
  });
  await dropFiles(app, app.getByTestId('drop-all'), files);

  const placement = app.getByTestId('placement');
  await expect(placement).toContainText('3 file sistemati', READ);
  await expect(placement).toHaveAttribute('data-tone', 'sure');
  await expect(placement).not.toContainText('da verificare');
  await expect(placement).toContainText(
    'IMG_20250114_101512.jpg → Copia documento d’identità fronte retro (letto nella zona MRZ del documento)',
  );
  await expect(placement).toContainText(
    'scan0002.png → Copia codice fiscale fronte retro (dal codice a barre del codice fiscale)',
  );
  await expect(placement).toContainText(
    'scansione_003.pdf → Copia mandato di assistenza e rappresentanza (dal codice stampato sul mandato)',
  );
  for (const key of ['$5', '$6', '$7'])
    await expect(slot(app, key, 0)).toHaveAttribute('data-filled', 'true');
  await expect(slot(app, '$5', 0)).toContainText('IMG_20250114_101512.jpg');
  await expect(slot(app, '$6', 0)).toContainText('scan0002.png');
  await expect(slot(app, '$7', 0)).toContainText('scansione_003.pdf');
  await screenshot(app, 'documenti-letti');
});

test('a file it cannot tell goes amber, "da verificare", never green', async ({ app }) => {
  await pickService(app, 'congedo parentale', CONGEDO);
  await fillClient(app);
  const files = onDisk({
    'IMG_20250114_101530.jpg': await take(await tesseraBack(HOLDER), { on: 'desk' }),
    'IMG_20250114_101531.jpg': await take(Buffer.from(await blankSheet()), { on: 'desk' }),
  });
  await dropFiles(app, app.getByTestId('drop-all'), files);
  const placement = app.getByTestId('placement');
  await expect(placement).toContainText('2 file sistemati, 1 da verificare', READ);
  await expect(placement).toHaveAttribute('data-tone', 'check');
  await expect(placement.locator('[data-confidence="low"]')).toContainText(
    '(primo posto libero) — da verificare',
  );
});

test('Luigi Bianchi with Mario Rossi’s codice fiscale is warned before paying; the CIE’s MRZ puts it right, "dal documento"', async ({
  app,
}) => {
  await pickService(app, 'congedo parentale', CONGEDO);
  await fillClient(app, { ...CLIENT, nome: 'Luigi', cognome: 'Bianchi' });
  const warning = app.getByTestId('cf-mismatch');
  await expect(warning).toContainText('Il codice fiscale non corrisponde a cognome e nome: controllate');
  await screenshot(app, 'codice-fiscale-non-corrisponde');

  const [back] = onDisk({
    'IMG_20250114_101530.jpg': await take(await cieBack(HOLDER), { on: 'desk', rotate: -4 }),
  });
  await dropFiles(app, app.getByTestId('drop-all'), [back!]);
  const holder = app.getByTestId('holder-reading');
  await expect(holder).toContainText('carta d’identità n. CA12345AB, scade il 10/12/2031', READ);
  await expect(holder).toContainText('nato il 10/12/1985');
  // The typed names stay until the clerk chooses the document's.
  await expect(holder).toContainText('Il documento dice diversamente per: Nome, Cognome.');
  await holder.getByRole('button', { name: 'Usa i dati del documento' }).click();
  await expect(app.getByRole('textbox', { name: 'Nome', exact: true })).toHaveValue('Mario');
  await expect(app.getByRole('textbox', { name: 'Cognome', exact: true })).toHaveValue('Rossi');
  await expect(app.getByTestId('from-document')).toHaveCount(2);
  await expect(warning).toHaveCount(0);
  await screenshot(app, 'dati-dal-documento');

  // The document's expiry is what the consent to keep it on file runs to.
  const consent = app.getByTestId('consent');
  await consent.getByRole('checkbox', { name: /acconsente a conservare/ }).check();
  await expect(consent.getByLabel('Scadenza del documento d’identità')).toHaveValue('2031-12-10');
  await expect(consent).toContainText('Dal documento (zona MRZ)');

  // Changing a field takes its mark away.
  await app.getByRole('textbox', { name: 'Nome', exact: true }).fill('Mario Luigi');
  await expect(app.getByTestId('from-document')).toHaveCount(1);
});

/** A sheet with nothing the reader knows on it. */
async function blankSheet(): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  return sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#f4f1ea' } })
    .png()
    .toBuffer();
}
