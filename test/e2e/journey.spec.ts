import { Actions, CLIENT, clientFiles, slot } from './helpers.ts';
import { CONGEDO, expect, screenshot, test } from './fixtures.ts';

test.describe('the clerk’s journey', () => {
  test('Indennità per congedo parentale with 3 documents in at most 8 actions beyond typing, then followed to the outputs', async ({
    app,
    harness,
  }) => {
    const files = await clientFiles();
    const act = new Actions(app);

    await act.click(app.getByRole('button', { name: 'Nuova pratica' }), 'Nuova pratica');
    await expect(app.getByRole('textbox', { name: /Cercate un servizio/ })).toBeFocused();
    await act.type('congedo parentale');
    await expect(app.getByRole('option', { name: /Indennità per congedo parentale/ }).first()).toBeVisible();
    await act.press('Enter');
    await expect(app.getByRole('heading', { name: CONGEDO })).toBeVisible();
    await screenshot(app, 'nuova-pratica-modulo-vuoto');

    // The first field has the focus; Tab walks the client's data in display order.
    const byLabel: Record<string, string> = {
      Nome: CLIENT.nome,
      Cognome: CLIENT.cognome,
      Email: CLIENT.email,
      Cellulare: CLIENT.cellulare,
      'Codice fiscale': CLIENT.cf,
    };
    for (let i = 0; i < 5; i++) {
      const label = await app.evaluate(
        () => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '',
      );
      await act.type(byLabel[label.replace('*', '').trim()]!);
      if (i < 4) await act.press('Tab');
    }
    await expect(app.getByTestId('cf-details')).toContainText('Nato il 10/12/1985');

    // One drop of all three papers: each goes to its slot (here by the file names).
    await act.drop(app.getByTestId('drop-all'), [files.photo, files.pdf, files.png]);
    for (const key of ['$5', '$6', '$7'])
      await expect(slot(app, key, 0)).toHaveAttribute('data-filled', 'true');
    await expect(app.getByTestId('placement')).toContainText(
      'carta-identita.jpg → Copia documento d’identità',
    );
    await expect(app.getByTestId('pdf-thumbnail').first()).toHaveAttribute('data-state', 'ready');

    // The price is checked in the background: the send button carries it, the summary shows it all.
    const send = app.getByRole('button', { name: /Invia pratica \(14,70\s€ \+ IVA \(17,93\s€\)\)/ });
    await expect(send).toBeEnabled();
    await expect(app.getByTestId('total')).toHaveText(/14,70/);
    await expect(app.getByTestId('total-gross')).toHaveText(/17,93/);
    await expect(app.getByTestId('confirm-client')).toContainText('Rossi Mario');
    await expect(app.getByTestId('summary')).toContainText('tessera-sanitaria.pdf');
    await screenshot(app, 'nuova-pratica-modulo-completo');
    await act.click(send, 'Invia pratica');

    await expect(app.getByTestId('sent')).toBeVisible();
    console.log(`actions beyond typing: ${act.count} (${act.log.join(', ')})`);
    expect(act.count).toBeLessThanOrEqual(8);
    expect(harness.simulator.charges()).toHaveLength(1);
    expect(harness.simulator.charges()[0]!.amount).toBe(14.7);
    await screenshot(app, 'pratica-inviata');

    // Back never shows the sent request as a draft.
    await app.goBack();
    await expect(app.getByRole('heading', { name: 'Nuova pratica: scegliete il servizio' })).toBeVisible();
    await app.goForward();
    await expect(app.getByTestId('sent')).toBeVisible();
    await expect(app.getByText('Salvato')).toHaveCount(0);

    await app
      .getByRole('navigation')
      .getByRole('link', { name: /Pratiche/ })
      .click();
    await expect(app.locator('[data-request-id]')).toHaveCount(1);
    await screenshot(app, 'pratiche');
    await app
      .locator('[data-request-id]')
      .getByRole('link', { name: /congedo parentale/ })
      .click();

    // The tracker follows it to the end and the outputs are downloaded into the archive.
    await expect(app.getByText('Visura evasa').first()).toBeVisible({ timeout: 30_000 });
    const outputs = app.getByTestId('outputs');
    await expect(outputs.getByRole('button', { name: 'Apri' }).first()).toBeEnabled({ timeout: 15_000 });
    await screenshot(app, 'dettaglio');
    await outputs.getByRole('button', { name: 'Apri' }).first().click();
    await expect.poll(() => harness.ports.opener.opened.length).toBe(1);
    expect(harness.ports.opener.opened[0]).toMatch(/Rossi Mario – RSSMRA85T10A562S.*\.pdf$/);
    expect(harness.simulator.charges()).toHaveLength(1);
  });
});
