import { expect, screenshot, test } from './fixtures.ts';

const EMAIL = 'caf.centro@example.it';
const KEY = 'oa-key-5b7d9f1a3c5e7a9b1d3f5a7c9e1b3d5f';

// Sandbox points at a second simulator standing in for Openapi, charging at creation and echoing
// nothing: the probe must say so.
test.use({
  harnessOptions: {
    durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
    openapi: {
      owner: EMAIL,
      apiKey: KEY,
      durations: { toDatiDisponibili: 500, toEvasa: 500 },
      reading: { charge: 'open', echo: 'none' },
    },
  },
});

test('Verifica del servizio: the IT person runs the probe in Impostazioni and reads the service’s profile', async ({
  app,
  harness,
}) => {
  harness.ports.dialogs.confirmEverything();
  await app.keyboard.press('Alt+4');
  const sandbox = app.getByTestId('key-sandbox');
  await sandbox.getByLabel('Email dell’account Openapi').fill(EMAIL);
  await sandbox.getByLabel('Chiave API', { exact: true }).fill(KEY);
  await sandbox.getByRole('button', { name: 'Salva e crea il token' }).click();
  await expect(sandbox).toContainText('email e chiave API');

  const probe = app.getByTestId('probe');
  await probe.getByRole('button', { name: 'Avvia la verifica' }).click();
  const profile = probe.getByTestId('probe-profile');
  await expect(profile).toBeVisible({ timeout: 60_000 });
  await expect(profile.getByRole('row', { name: /Quando viene addebitata/ })).toContainText('alla creazione');
  await expect(profile.getByRole('row', { name: /restituisce i dati inviati/ })).toContainText('no');
  await expect(probe).toContainText('Catalogo (GET /visure)');
  await screenshot(app, 'impostazioni-verifica-servizio');
  // What the probe created is on the office's record: the account's charges are explained.
  await harness.app.internals.charges.run('sandbox');
  expect(await harness.app.internals.charges.issues('sandbox')).toEqual([]);
});
