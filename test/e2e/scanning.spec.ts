import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codiceFiscaleCheckLetter } from '../../common/validators/codiceFiscale.ts';
import { cardBack } from '../support/cards.ts';
import { CLIENT, fillClient, pickService, slot } from './helpers.ts';
import { CONGEDO, expect, screenshot, test } from './fixtures.ts';

test.describe('document camera', () => {
  test('photographs fronte and retro of the tessera, and attaches them as one document', async ({ app }) => {
    await pickService(app, 'congedo parentale', CONGEDO);
    await fillClient(app, { ...CLIENT, cf: '' });
    await app.getByRole('button', { name: 'Fotocamera: Copia codice fiscale fronte retro' }).click();
    const dialog = app.getByRole('dialog');
    await expect(dialog.getByRole('button', { name: 'Scatta (fronte)' })).toBeEnabled();
    await dialog.getByRole('button', { name: 'Scatta (fronte)' }).click();
    await dialog.getByRole('button', { name: 'Scatta (retro)' }).click();
    await expect(dialog.getByRole('img', { name: /^Scatto / })).toHaveCount(2);
    await screenshot(app, 'fotocamera');
    // A retake replaces one side only.
    await dialog.getByRole('button', { name: 'Rifai' }).last().click();
    await dialog.getByRole('button', { name: 'Scatta (retro)' }).click();
    await dialog.getByRole('button', { name: 'Usa le 2 foto' }).click();
    await expect(slot(app, '$6', 0)).toHaveAttribute('data-filled', 'true');
    await expect(slot(app, '$6', 1)).toHaveAttribute('data-filled', 'true');
    await expect(slot(app, '$6', 0)).toContainText('fronte-fotocamera.jpg');
    // The photo is of the back of the tessera: its barcode (check letter verified) fills the empty
    // codice fiscale, marked as read from the document; nothing is left to propose.
    await expect(app.getByRole('textbox', { name: 'Codice fiscale', exact: true })).toHaveValue(
      'RSS MRA 85T10 A562S',
      { timeout: 30_000 },
    );
    await expect(app.getByTestId('from-document')).toHaveCount(1);
    await expect(app.getByTestId('card-reading')).toHaveCount(0);
  });
});

test('scans a page with the scanner (SANE test backend) into a slot', async ({ app }) => {
  await pickService(app, 'congedo parentale', CONGEDO);
  await app.getByRole('button', { name: 'Scanner: Copia mandato di assistenza e rappresentanza' }).click();
  const dialog = app.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Scansiona ora' })).toBeEnabled({ timeout: 60_000 });
  await screenshot(app, 'scanner');
  await dialog.getByRole('button', { name: 'Scansiona ora' }).click();
  await expect(slot(app, '$7', 0)).toHaveAttribute('data-filled', 'true', { timeout: 60_000 });
  await expect(slot(app, '$7', 0)).toContainText('scansione-1.png');
});

test('picks up a scan from the watched folder, and its barcode flags a different typed CF', async ({
  app,
  harness,
}) => {
  const folder = mkdtempSync(join(tmpdir(), 'sportello-scansioni-'));
  // The clerk picks the folder in main's folder dialog, from Impostazioni.
  harness.ports.dialogs.answer({ folder });
  await app.keyboard.press('Alt+4');
  const watched = app.getByTestId('folder-watchFolder');
  await watched.getByRole('button', { name: 'Scegli cartella…' }).click();
  await expect(watched.getByRole('textbox')).toHaveValue(folder);
  await pickService(app, 'congedo parentale', CONGEDO);
  const other = 'BNCGLI90A41H501' + codiceFiscaleCheckLetter('BNCGLI90A41H501');
  await fillClient(app, { ...CLIENT, cf: other });
  const tray = app.getByTestId('scan-tray');
  await expect(tray).toContainText('Le scansioni salvate dallo scanner');

  // The office scanner's own software saves the back of the client's tessera into the folder.
  writeFileSync(join(folder, 'scansione-tessera.png'), await cardBack({ cf: CLIENT.cf }));
  await expect(tray.locator('[data-scan="scansione-tessera.png"]')).toBeVisible({ timeout: 30_000 });
  await screenshot(app, 'scansioni-recenti');
  await tray.getByRole('button', { name: 'Usa scansione-tessera.png in…' }).click();
  await app.getByRole('menuitem', { name: 'Copia codice fiscale fronte retro' }).click();
  await expect(slot(app, '$6', 0)).toHaveAttribute('data-filled', 'true');
  await expect(tray.locator('[data-scan="scansione-tessera.png"]')).toHaveCount(0);

  const reading = app.getByTestId('card-reading');
  await expect(reading).toContainText('non coincide', { timeout: 30_000 });
  await reading.getByRole('button', { name: 'Usa questo codice fiscale' }).click();
  await expect(app.getByRole('textbox', { name: 'Codice fiscale', exact: true })).toHaveValue(
    'RSS MRA 85T10 A562S',
  );
});

test('prepares the mandato to print, prefilled with the client and the service', async ({ app }) => {
  await pickService(app, 'congedo parentale', CONGEDO);
  await fillClient(app);
  await app.getByRole('button', { name: 'Mandato da firmare' }).click();
  const dialog = app.getByRole('dialog', { name: 'Mandato di assistenza e rappresentanza' });
  await expect(dialog).toContainText('Mandato Rossi Mario.pdf');
  const download = app.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Salva PDF' }).click();
  const file = await (await download).path();
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
});
