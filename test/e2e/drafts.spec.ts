import { CONGEDO, expect, screenshot, test } from './fixtures.ts';
import { congedoDraft, MARIO } from '../support/drafts.ts';

test('drafts show with their client and age on Home, are found in Pratiche as Bozza, and open their form', async ({
  app,
  harness,
}) => {
  const id = await congedoDraft(harness.app, { fields: MARIO, documents: {} });
  await app.reload();

  const drafts = app.getByTestId('home-drafts');
  await expect(drafts).toContainText(`Rossi Mario · ${CONGEDO} · adesso`);
  // A Prova draft says so, beside real ones.
  await expect(drafts.getByTestId('env-mark')).toHaveText('Prova');
  await screenshot(app, 'home-bozze');
  await drafts.getByRole('button', { name: /Rossi Mario/ }).click();
  await expect(app.getByRole('heading', { name: CONGEDO })).toBeVisible();
  await expect(app.getByRole('textbox', { name: 'Cognome', exact: true })).toHaveValue('Rossi');

  await app.getByRole('link', { name: 'Pratiche' }).click();
  // The states' chips, in the rows' words.
  const bozza = app.getByRole('group', { name: /Stato/ }).getByText('Bozza', { exact: true });
  await bozza.click();
  await expect(app.getByRole('checkbox', { name: 'Bozza' })).toBeChecked();
  await expect(app.getByTestId('requests-count')).toHaveText('1 pratica');
  const row = app.locator(`[data-request-id="${id}"]`);
  await expect(row).toContainText('Bozza');
  await expect(row).toContainText('Rossi Mario');
  // Found by the client's name too, as any request is.
  await bozza.click();
  await app.getByRole('textbox', { name: 'Cerca' }).fill('rossi');
  await expect(row).toBeVisible();
  await screenshot(app, 'pratiche-bozza');
  await row.click();
  await expect(app.getByRole('heading', { name: CONGEDO })).toBeVisible();
  await expect(app).toHaveURL(new RegExp(`#/nuova/${id}$`));
});
