import { clientFiles, dropFiles, fillClient, pickService, slot } from './helpers.ts';
import { CONGEDO, expect, screenshot, test } from './fixtures.ts';

test.describe('the clerk’s journey', () => {
  test('Indennità per congedo parentale: fill, attach, confirm the price, send, follow, open', async ({
    app,
    harness,
  }) => {
    const files = await clientFiles();
    await pickService(app, 'congedo parentale', CONGEDO);
    await screenshot(app, 'nuova-pratica-modulo-vuoto');

    await fillClient(app);
    await expect(app.getByTestId('cf-details')).toContainText('Nato il 10/12/1985');
    await dropFiles(app, slot(app, '$5', 0), [files.photo]);
    await dropFiles(app, slot(app, '$6', 0), [files.pdf]);
    await dropFiles(app, slot(app, '$7', 0), [files.png]);
    for (const key of ['$5', '$6', '$7'])
      await expect(slot(app, key, 0)).toHaveAttribute('data-filled', 'true');
    await expect(app.getByTestId('pdf-thumbnail').first()).toHaveAttribute('data-state', 'ready');
    await expect(app.getByTestId('validazione-state')).toHaveText('Modulo completo');
    await screenshot(app, 'nuova-pratica-modulo-completo');

    await app.getByRole('button', { name: 'Controlla il prezzo' }).click();
    await expect(app.getByTestId('total')).toHaveText(/14,70/);
    // Visengine prices are net: the clerk quotes the gross amount too.
    await expect(app.getByTestId('total-gross')).toHaveText(/17,93/);
    await expect(app.getByTestId('confirm-client')).toContainText('Rossi Mario');
    await screenshot(app, 'conferma');
    await app.getByRole('button', { name: /Invia pratica \(14,70\s€ \+ IVA \(17,93\s€\)\)/ }).click();

    await expect(app.getByTestId('sent')).toBeVisible();
    expect(harness.simulator.charges()).toHaveLength(1);
    expect(harness.simulator.charges()[0]!.amount).toBe(14.7);
    await app.getByRole('button', { name: 'Apri la pratica' }).click();

    // The tracker follows it to the end and the outputs are downloaded into the archive.
    await expect(app.getByText('Visura evasa').first()).toBeVisible({ timeout: 30_000 });
    const outputs = app.getByTestId('outputs');
    await expect(outputs.getByRole('button', { name: 'Apri' }).first()).toBeEnabled({ timeout: 15_000 });
    await screenshot(app, 'dettaglio');
    await outputs.getByRole('button', { name: 'Apri' }).first().click();
    await expect.poll(() => harness.ports.opener.opened.length).toBe(1);
    expect(harness.ports.opener.opened[0]).toMatch(/Rossi Mario – RSSMRA85T10A562S.*\.pdf$/);

    await app
      .getByRole('navigation')
      .getByRole('link', { name: /Pratiche/ })
      .click();
    await expect(app.locator('[data-request-id]')).toHaveCount(1);
    await screenshot(app, 'pratiche');
    expect(harness.simulator.charges()).toHaveLength(1);
  });
});
