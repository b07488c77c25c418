import { join } from 'node:path';
import { expect, screenshot, test } from './fixtures.ts';

test('home shows the Prova environment, and every main screen opens', async ({ app }) => {
  await expect(app.getByTestId('prova-banner')).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Sportello di oggi' })).toBeVisible();
  // The Prova wallet (500 € in the harness), read from the simulator's GET /wallet.
  await expect(app.getByTestId('home-credit')).toContainText('Credito');
  await expect(app.getByTestId('home-credit')).toContainText('500,00');
  await expect(app.getByTestId('header-credit')).toContainText('500,00');
  await screenshot(app, 'home');

  await app.keyboard.press('Alt+2');
  await expect(app.getByRole('option').first()).toBeVisible();
  // Patronato services come first.
  await expect(app.getByRole('option').first()).toContainText('Patronato');
  await screenshot(app, 'nuova-pratica-servizi');

  await app.keyboard.press('Alt+4');
  await expect(app.getByRole('heading', { name: 'Impostazioni' })).toBeVisible();
  await expect(app.getByTestId('key-produzione')).toContainText('non impostate');
  await screenshot(app, 'impostazioni');

  await app.keyboard.press('Alt+3');
  await expect(app.getByText('Nessuna pratica con questi filtri.')).toBeVisible();

  // An address with no screen (an old bookmark, a typo) says so and leads back, Back included.
  await app.evaluate(() => (window.location.hash = '#/non-esiste'));
  await expect(app.getByRole('alert')).toContainText('Questa pagina non esiste.');
  await app.goBack();
  await expect(app.getByText('Nessuna pratica con questi filtri.')).toBeVisible();
  await app.goForward();
  await app.getByRole('button', { name: 'Vai alla Home' }).click();
  await expect(app.getByRole('heading', { name: 'Sportello di oggi' })).toBeVisible();
});

test('settings: a token is stored but never shown back, and the office name appears', async ({
  app,
  harness,
}) => {
  await app.keyboard.press('Alt+4');
  const sandbox = app.getByTestId('key-sandbox');
  await sandbox.getByText('Ho già un token').click();
  await sandbox.getByLabel('Token Openapi').fill('token-di-prova-123456');
  // The clerk does not confirm in main's dialog: nothing is stored.
  await sandbox.getByRole('button', { name: 'Salva token' }).click();
  await expect(sandbox).toContainText('non è stata confermata');
  await expect(sandbox).not.toContainText('solo token');
  // Confirmed in main's dialog, which the page can neither see nor answer.
  harness.ports.dialogs.answer({ confirm: true });
  await sandbox.getByRole('button', { name: 'Salva token' }).click();
  await expect(sandbox).toContainText('solo token');
  await expect(sandbox).toContainText('Token ••••3456');
  expect(harness.ports.dialogs.asked.map((d) => d.message)).toEqual([
    'Usare le nuove credenziali Openapi per l’ambiente Sandbox?',
    'Usare le nuove credenziali Openapi per l’ambiente Sandbox?',
  ]);
  await expect(sandbox.getByLabel('Nuovo token')).toHaveValue('');
  expect(await app.content()).not.toContain('token-di-prova-123456');

  await app.getByLabel('Nome dell’ufficio').fill('CAF Centro');
  await app.getByLabel('Operatore', { exact: true }).fill('Laura');
  await app.getByRole('button', { name: 'Salva', exact: true }).click();
  await expect(app.getByRole('banner')).toContainText('CAF Centro · Laura');
  expect((await harness.app.handlers['settings.get']()).officeName).toBe('CAF Centro');
});

test('settings: folders come from main’s folder dialog, never from text typed in the page', async ({
  app,
  harness,
}) => {
  await app.keyboard.press('Alt+4');
  const archive = app.getByTestId('folder-archiveRoot');
  const before = (await harness.app.handlers['settings.get']()).archiveRoot;
  await expect(archive.getByRole('textbox')).toHaveValue(before);
  await expect(archive.getByRole('textbox')).toHaveAttribute('readonly');

  const chosen = join(harness.root, 'Archivio ufficio');
  harness.ports.dialogs.answer({ folder: chosen }, { confirm: true });
  await archive.getByRole('button', { name: 'Scegli cartella…' }).click();
  await expect(archive.getByRole('textbox')).toHaveValue(chosen);
  expect((await harness.app.handlers['settings.get']()).archiveRoot).toBe(chosen);

  // A network share picked in the dialog is refused, in Italian, and nothing changes.
  harness.ports.dialogs.answer({ folder: '\\\\server\\condivisione' });
  await app.getByTestId('folder-watchFolder').getByRole('button', { name: 'Scegli cartella…' }).click();
  await expect(app.getByText('Le cartelle di rete')).toBeVisible();
  expect((await harness.app.handlers['settings.get']()).watchFolder).toBeNull();
});
