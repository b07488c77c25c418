import { LEAST_CONVENIENT } from '../../main/simulator/reading.ts';
import { congedoDraft } from '../support/drafts.ts';
import { expect, SET_UP, test } from './fixtures.ts';

// A counter whose clerk never gave a name: set up as the others, without the operator.
test.use({
  harnessOptions: {
    durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
    reading: LEAST_CONVENIENT,
    config: { settleMs: 300 },
    preferences: { ...SET_UP, operatorName: '' },
  },
});

const GIULIA = { $0: 'Giulia', $1: 'Bianchi', $2: 'giulia.bianchi@example.it', $4: 'BNCGLI90A41H501E' };

test('the first send asks the clerk’s name once; «Più tardi» sends, and the request says «Operatore non indicato» with the way to set it', async ({
  app,
  harness,
}) => {
  const id = await congedoDraft(harness.app);
  await app.evaluate((draft) => (window.location.hash = `#/nuova/${draft}`), id);
  await app.getByTestId('send').click();
  const prompt = app.getByRole('dialog', { name: 'Chi invia la pratica?' });
  await expect(prompt).toBeVisible();
  await expect(prompt.getByRole('textbox', { name: 'Operatore' })).toBeFocused();
  await prompt.getByRole('button', { name: 'Più tardi' }).click();
  await expect(app.getByTestId('sent')).toBeVisible();
  expect((await harness.app.handlers['requests.get'](id)).operator).toBe('');

  // Where the request is shown: words, never a bare dash, and the way to where the name is set.
  await app.evaluate((request) => (window.location.hash = `#/pratiche/${request}`), id);
  const unset = app.getByTestId('operator-unset');
  await expect(unset).toHaveText('Operatore non indicato · indicatelo in Impostazioni → Ufficio');
  await expect(app.getByTestId('event-who').first()).toContainText('Operatore non indicato');
  await unset.getByRole('link', { name: 'indicatelo in Impostazioni → Ufficio' }).click();
  await expect(app.getByRole('textbox', { name: 'Operatore', exact: true })).toBeFocused();

  // Asked once: the next send goes without the question.
  const next = await congedoDraft(harness.app, { fields: GIULIA });
  await app.evaluate((draft) => (window.location.hash = `#/nuova/${draft}`), next);
  await app.getByTestId('send').click();
  await expect(app.getByTestId('sent')).toBeVisible();
  await expect(app.getByRole('dialog')).toHaveCount(0);
});

test('the name given at the first send is saved to Impostazioni and recorded on the request it sends', async ({
  app,
  harness,
}) => {
  const id = await congedoDraft(harness.app);
  await app.evaluate((draft) => (window.location.hash = `#/nuova/${draft}`), id);
  // Ctrl+Invio, from the form, once the price is checked.
  await expect(app.getByTestId('send')).toHaveText(/Invia pratica \(/);
  await app.keyboard.press('Control+Enter');
  const prompt = app.getByRole('dialog', { name: 'Chi invia la pratica?' });
  await prompt.getByRole('textbox', { name: 'Operatore' }).fill('Laura Verdi');
  await prompt.getByRole('button', { name: 'Salva e invia' }).click();
  await expect(app.getByTestId('sent')).toBeVisible();
  expect((await harness.app.handlers['settings.get']()).operatorName).toBe('Laura Verdi');
  expect((await harness.app.handlers['requests.get'](id)).operator).toBe('Laura Verdi');
  await expect(app.getByRole('banner')).toContainText('Laura Verdi');
});
