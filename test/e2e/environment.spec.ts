import { expect, screenshot, test } from './fixtures.ts';
import { congedoDraft, sendDraft } from '../support/drafts.ts';

// Sandbox and Produzione point at a second simulator standing in for Openapi.
test.use({
  harnessOptions: {
    durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
    openapi: { owner: 'caf@example.it', apiKey: 'oa-key-0123456789abcdef0123' },
  },
});

test('the environment: refused without credentials, with the reason; switched only once confirmed in main; Prova’s requests kept apart', async ({
  app,
  harness,
}) => {
  const prova = await congedoDraft(harness.app);
  await sendDraft(harness.app, prova);

  await app.keyboard.press('Alt+4');
  const switcher = app.getByTestId('environment-switch');
  await switcher.getByText('Produzione').click();
  await expect(app.getByTestId('environment-refused')).toContainText(
    'Per lavorare in Produzione servono le credenziali Openapi di Produzione',
  );
  await expect(app.getByTestId('env-badge')).toHaveText('Prova');
  expect(harness.ports.dialogs.asked).toEqual([]);
  await screenshot(app, 'ambiente-rifiutato');

  // With credentials, main asks; a "no" leaves everything as it was.
  harness.ports.dialogs.answer({ confirm: true });
  await harness.app.handlers['settings.setToken']('produzione', harness.openapi!.token);
  harness.ports.dialogs.answer({ confirm: false });
  await switcher.getByText('Produzione').click();
  await expect(app.getByTestId('environment-refused')).toContainText('non è stata confermata');
  await expect(app.getByTestId('env-badge')).toHaveText('Prova');
  const asked = harness.ports.dialogs.asked.at(-1)!;
  expect(asked.message).toBe('Passare a Produzione?');
  expect(asked.detail).toMatch(/costano denaro vero/);

  harness.ports.dialogs.answer({ confirm: true });
  await switcher.getByText('Produzione').click();
  await expect(app.getByTestId('env-badge')).toHaveText('Produzione');
  await expect(app.getByTestId('prova-banner')).toHaveCount(0);
  await expect(app.getByTestId('environment-refused')).toHaveCount(0);

  // Pratiche opens on the environment the counter works in: Prova's request is not among them…
  await app.getByRole('link', { name: 'Pratiche' }).click();
  await expect(app.getByRole('combobox', { name: 'Ambiente' })).toHaveValue('produzione');
  await expect(app.getByText('Nessuna pratica con questi filtri.')).toBeVisible();
  // … and beside the others, when asked for, it says it is Prova's.
  await app.getByRole('combobox', { name: 'Ambiente' }).selectOption('Tutti');
  const row = app.locator(`[data-request-id="${prova}"]`);
  await expect(row.getByTestId('env-mark')).toHaveText('Prova');
  await screenshot(app, 'pratiche-prova-accanto');
});
