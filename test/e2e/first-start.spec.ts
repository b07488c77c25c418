import AxeBuilder from '@axe-core/playwright';
import { expect, screenshot, test } from './fixtures.ts';

// A new PC: the office's data and the retention were never given.
test.use({ firstStart: true });

test('the first start asks the office, the number prefix and the retention, all by keyboard', async ({
  app,
  harness,
}) => {
  const page = app.getByTestId('first-start');
  await expect(page.getByRole('heading', { name: 'Benvenuti in Sportello' })).toBeVisible();
  await expect(page).toContainText('5 anni');
  await screenshot(app, 'primo-avvio');
  const axe = await new AxeBuilder({ page: app })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  // The name first, the focus already there; Tab to the address, to the prefix.
  await expect(page.getByRole('textbox', { name: /Nome dell’ufficio/ })).toBeFocused();
  await app.keyboard.type('Patronato Centro');
  await app.keyboard.press('Tab');
  await app.keyboard.type('Via Roma 1, Roma');
  await app.keyboard.press('Tab');
  await app.keyboard.type('rm1');
  await expect(page.getByTestId('number-prefix')).toHaveValue('RM1');
  await expect(page).toContainText(/RM1-\d{4}-000123/);
  // Enter saves; main asks to confirm the period in its own dialog.
  harness.ports.dialogs.answer({ confirm: true });
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { name: 'Sportello di oggi' })).toBeVisible();
  expect(harness.ports.dialogs.asked.at(-1)?.message).toMatch(/da più di 5 anni\?/);
  expect(await harness.app.handlers['settings.get']()).toMatchObject({
    officeName: 'Patronato Centro',
    officeAddress: 'Via Roma 1, Roma',
    numberPrefix: 'RM1',
    retentionDays: 1825,
    retentionAsked: true,
  });
});

test('the first start is put off only until the next start; "mai" is allowed, then said on Home and in Impostazioni', async ({
  app,
  harness,
  browser,
}) => {
  const page = app.getByTestId('first-start');
  // Saving without a name says what is missing; nothing is stored.
  await page.getByRole('button', { name: 'Salva e inizia' }).click();
  await expect(page).toContainText('Indicate il nome dell’ufficio.');
  await page.getByRole('button', { name: 'Più tardi' }).click();
  await expect(app.getByRole('heading', { name: 'Sportello di oggi' })).toBeVisible();

  // Sportello starts again (another window): asked again.
  const again = await browser.newPage();
  await again.goto(harness.url);
  const asked = again.getByTestId('first-start');
  await expect(asked).toBeVisible();
  await asked.getByRole('textbox', { name: /Nome dell’ufficio/ }).fill('CAF Nord');
  await asked.getByTestId('number-prefix').fill('N1');
  await asked.getByRole('radio', { name: /Mai eliminare/ }).check();
  await expect(asked.getByTestId('first-start-never')).toBeVisible();
  harness.ports.dialogs.answer({ confirm: true });
  await asked.getByRole('button', { name: 'Salva e inizia' }).click();
  await expect(again.getByTestId('kept-forever')).toContainText('Dati conservati per sempre');
  expect(harness.ports.dialogs.asked.at(-1)?.message).toBe(
    'Conservare per sempre documenti e dati personali delle pratiche concluse?',
  );
  await again.keyboard.press('Alt+4');
  await expect(again.getByTestId('retention-never')).toBeVisible();
  await again.close();
});
