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
});

test('settings: a token is stored but never shown back, and the office name appears', async ({
  app,
  harness,
}) => {
  await app.keyboard.press('Alt+4');
  const sandbox = app.getByTestId('key-sandbox');
  await sandbox.getByText('Ho già un token').click();
  await sandbox.getByLabel('Token Visengine').fill('token-di-prova-123456');
  await sandbox.getByRole('button', { name: 'Salva token' }).click();
  await expect(sandbox).toContainText('solo token');
  await expect(sandbox).toContainText('Token ••••3456');
  await expect(sandbox.getByLabel('Nuovo token')).toHaveValue('');
  expect(await app.content()).not.toContain('token-di-prova-123456');

  await app.getByLabel('Nome dell’ufficio').fill('CAF Centro');
  await app.getByLabel('Operatore', { exact: true }).fill('Laura');
  await app.getByRole('button', { name: 'Salva', exact: true }).click();
  await expect(app.getByRole('banner')).toContainText('CAF Centro · Laura');
  expect((await harness.app.handlers['settings.get']()).officeName).toBe('CAF Centro');
});
