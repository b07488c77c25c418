import { expect, screenshot, test } from './fixtures.ts';

test('Registro dell’ufficio: Prova connessione answers in Italian, a failing server is not joined, the counter has a name', async ({
  app,
  harness,
}) => {
  harness.ports.dialogs.confirmEverything();
  await app.keyboard.press('Alt+4');
  const card = app.getByTestId('office-register');
  await expect(card).toContainText('Questo sportello usa il proprio registro');
  await card.getByLabel('Server').fill('127.0.0.1');
  await card.getByLabel('Porta').fill('1');
  await card.getByLabel('Database').fill('sportello');
  await card.getByLabel('Utente').fill('sportello');
  await card.getByLabel('Password', { exact: true }).fill('segreta-123');
  await card.getByText('Non cifrata (rete dell’ufficio fidata)').click();

  await card.getByRole('button', { name: 'Prova connessione' }).click();
  await expect(card.getByTestId('office-check')).toContainText('non risponde');
  await card.scrollIntoViewIfNeeded();
  await screenshot(app, 'impostazioni-ufficio');

  await card.getByRole('button', { name: 'Collega all’ufficio' }).click();
  await expect(app.getByText('Il server del database non risponde')).toBeVisible();
  expect(harness.ports.preferences.store.office).toBeUndefined();

  await app.getByLabel('Nome dello sportello').fill('Sportello 2');
  await app.getByRole('button', { name: 'Salva', exact: true }).click();
  await expect
    .poll(async () => (await harness.app.handlers['settings.get']()).counterName)
    .toBe('Sportello 2');
});
