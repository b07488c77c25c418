import type { Page } from '@playwright/test';
import { Actions, CLIENT, clientFiles, genericPapers, slot } from './helpers.ts';
import { CONGEDO, expect, screenshot, test } from './fixtures.ts';

/** The label of the field that has the focus, as the clerk reads it. */
const focusedLabel = async (app: Page) =>
  (
    await app.evaluate(
      () => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '',
    )
  )
    .replace('*', '')
    .trim();

const typedValues: Record<string, string> = {
  Nome: CLIENT.nome,
  Cognome: CLIENT.cognome,
  Email: CLIENT.email,
  Cellulare: CLIENT.cellulare,
  'Codice fiscale': CLIENT.cf,
};

/** From Ctrl+N to the form of the congedo parentale, by keyboard: two actions. */
async function openCongedo(app: Page, act: Actions): Promise<void> {
  await act.press('Control+n');
  await expect(app.getByRole('textbox', { name: /Cercate un servizio/ })).toBeFocused();
  await act.type('congedo parentale');
  await expect(app.getByRole('option', { name: /Indennità per congedo parentale/ }).first()).toBeVisible();
  await act.press('Enter');
  await expect(app.getByRole('heading', { name: CONGEDO })).toBeVisible();
}

test.describe('the clerk’s journey', () => {
  /*
   * A new client's congedo parentale, the papers as a phone and a scanner name them. What places
   * each by its content and fills name, surname and codice fiscale from the identity card's MRZ
   * and barcode is the document reader (branch `classify`, main/reading/): without it this journey
   * cannot be done in these few actions, and this test says so by failing.
   */
  test('Indennità per congedo parentale for a new client: keyboard, one drop of three generic-named papers, at most 6 actions beyond typing; then followed to the outputs', async ({
    app,
    harness,
  }) => {
    const papers = await genericPapers();
    const act = new Actions(app);
    await openCongedo(app, act);
    await screenshot(app, 'nuova-pratica-modulo-vuoto');

    // One drop of all the papers, anywhere on the form: no scrolling to the drop zone.
    await act.drop(app.getByRole('heading', { name: CONGEDO }), [
      papers.idCard,
      papers.tessera,
      papers.mandato,
    ]);
    for (const key of ['$5', '$6', '$7'])
      await expect(slot(app, key, 0)).toHaveAttribute('data-filled', 'true', { timeout: 60_000 });
    await expect(slot(app, '$5', 0)).toContainText('IMG_20250114_101512.jpg');
    await expect(slot(app, '$6', 0)).toContainText('scan0002.png');
    await expect(slot(app, '$7', 0)).toContainText('scansione_003.pdf');
    // The identity card said who the client is; the focus waits where the papers say nothing.
    await expect(app.getByRole('textbox', { name: 'Nome', exact: true })).toHaveValue(/^mario$/i, {
      timeout: 60_000,
    });
    await expect(app.getByRole('textbox', { name: 'Cognome', exact: true })).toHaveValue(/^rossi$/i);
    await expect(app.getByRole('textbox', { name: 'Codice fiscale', exact: true })).toHaveValue(
      'RSS MRA 85T10 A562S',
    );
    await expect(app.getByTestId('cf-details')).toContainText('Nato il 10/12/1985');

    // Only phone and email are typed, one Tab between them; Ctrl+Invio sends from the field.
    const first = await focusedLabel(app);
    expect(['Email', 'Cellulare']).toContain(first);
    await act.type(typedValues[first]!);
    await act.press('Tab');
    const second = await focusedLabel(app);
    expect(['Email', 'Cellulare'].filter((l) => l !== first)).toContain(second);
    await act.type(typedValues[second]!);
    await screenshot(app, 'nuova-pratica-modulo-completo');
    await act.press('Control+Enter');

    await expect(app.getByTestId('sent')).toBeVisible();
    console.log(`actions beyond typing: ${act.count} (${act.log.join(', ')})`);
    expect(act.count).toBeLessThanOrEqual(6);
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

  test('every field typed by hand, papers named for what they are: at most 8 actions beyond typing', async ({
    app,
    harness,
  }) => {
    const files = await clientFiles();
    const act = new Actions(app);
    await openCongedo(app, act);

    // The first field has the focus; Tab walks the client's data in display order.
    for (let i = 0; i < 5; i++) {
      await act.type(typedValues[await focusedLabel(app)]!);
      if (i < 4) await act.press('Tab');
    }
    await expect(app.getByTestId('cf-details')).toContainText('Nato il 10/12/1985');

    // Dropped anywhere on the form: each paper goes to its slot (here by the file names).
    await act.drop(app.getByRole('heading', { name: CONGEDO }), [files.photo, files.pdf, files.png]);
    for (const key of ['$5', '$6', '$7'])
      await expect(slot(app, key, 0)).toHaveAttribute('data-filled', 'true');
    await expect(app.getByTestId('placement')).toContainText(
      'carta-identita.jpg → Copia documento d’identità',
    );
    await expect(app.getByTestId('pdf-thumbnail').first()).toHaveAttribute('data-state', 'ready');

    // The price is checked in the background: the send bar carries it, the summary shows it all.
    const send = app.getByRole('button', { name: /Invia pratica \(14,70\s€ \+ IVA \(17,93\s€\)\)/ });
    await expect(send).toBeEnabled();
    await expect(send).toBeInViewport();
    await expect(app.getByTestId('total')).toHaveText(/14,70/);
    await expect(app.getByTestId('total-gross')).toHaveText(/17,93/);
    await expect(app.getByTestId('confirm-client')).toContainText('Rossi Mario');
    await expect(app.getByTestId('summary')).toContainText('tessera-sanitaria.pdf');
    await act.press('Control+Enter');

    await expect(app.getByTestId('sent')).toBeVisible();
    console.log(`actions beyond typing: ${act.count} (${act.log.join(', ')})`);
    expect(act.count).toBeLessThanOrEqual(8);
    expect(harness.simulator.charges().map((c) => c.amount)).toEqual([14.7]);
  });
});
