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
    await expect(app.getByText('fronte-fotocamera.jpg')).toBeVisible();
  });
});
