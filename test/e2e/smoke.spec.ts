import { expect, screenshot, test } from './fixtures.ts';

test('home shows the Prova environment', async ({ app }) => {
  await expect(app.getByTestId('prova-banner')).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Sportello di oggi' })).toBeVisible();
  await screenshot(app, 'home');
});
