import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { CLIENT, clientFiles, dropFiles, fillClient, pickService } from './helpers.ts';
import { CONGEDO, expect, test } from './fixtures.ts';

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now, described for the log. */
async function violations(page: Page, screen: string): Promise<string[]> {
  // Mantine animates opacity in: checked once it has settled, or contrast is measured mid-fade.
  await page.waitForTimeout(400);
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/** Tabs through the page and reports focused controls that show no focus ring. */
async function unfocusable(page: Page, screen: string, tabs = 25): Promise<string[]> {
  const missing: string[] = [];
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < tabs; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring =
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
        (style.boxShadow !== 'none' && style.boxShadow !== '') ||
        // Fields show focus with their border colour (and the caret).
        el.matches('input, textarea, select, [role="combobox"]');
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? el.tagName;
      return ring ? null : `${el.tagName.toLowerCase()} «${name}»`;
    });
    if (seen) missing.push(`${screen}: ${seen}`);
  }
  return missing;
}

test.describe('accessibility of every main screen', () => {
  // Every screen is checked by axe, and the drop reads its files (OCR in a thread): slow on a busy machine.
  test.setTimeout(240_000);

  test('no serious or critical axe violation, every control named, focus visible', async ({
    app,
    harness,
  }) => {
    const problems: string[] = [];
    const check = async (screen: string, focus = true) => {
      problems.push(...(await violations(app, screen)));
      if (focus) problems.push(...(await unfocusable(app, screen)));
    };

    await expect(app.getByRole('heading', { name: 'Sportello di oggi' })).toBeVisible();
    await check('Home');

    await app.keyboard.press('Alt+2');
    await expect(app.getByRole('option').first()).toBeVisible();
    await check('Nuova pratica');

    await pickService(app, 'congedo parentale', CONGEDO);
    await check('Modulo vuoto');
    // Send pressed too early: every missing field is marked in words, not only in red.
    await app.getByRole('button', { name: 'Invia pratica' }).click();
    await expect(app.getByText('Obbligatorio').first()).toBeVisible();
    await check('Modulo con errori', false);

    await fillClient(app);
    const files = await clientFiles();
    await dropFiles(app, app.getByTestId('drop-all'), [files.photo, files.pdf, files.png]);
    await expect(app.getByRole('button', { name: /Invia pratica \(14,70/ })).toBeEnabled();
    await expect(app.getByText('Allegato', { exact: true }).first()).toBeVisible();
    await check('Modulo completo');
    // Every icon-only button says what it does and to which file, found by role and name.
    for (const file of ['carta-identita.jpg', 'tessera-sanitaria.pdf', 'mandato-firmato.png']) {
      for (const name of [`Rimuovi ${file}`, `Sostituisci ${file}`, `Sposta ${file} in un altro documento`])
        await expect(app.getByRole('button', { name, exact: true })).toBeVisible();
    }
    await expect(
      app.getByRole('button', { name: 'Chiudi il riepilogo dei file sistemati', exact: true }),
    ).toBeVisible();
    await app.getByRole('button', { name: 'Sposta mandato-firmato.png in un altro documento' }).click();
    await expect(
      app.getByRole('menuitem', { name: 'Sposta in Copia codice fiscale fronte retro' }),
    ).toBeVisible();
    await check('Sposta in…', false);
    await app.keyboard.press('Escape');
    await expect(app.getByRole('menu')).toHaveCount(0);

    await app.getByRole('button', { name: /Invia pratica \(14,70/ }).click();
    await expect(app.getByTestId('sent')).toBeVisible();
    await check('Pratica inviata');

    await app.getByRole('button', { name: 'Apri la pratica' }).click();
    await expect(app.getByRole('heading', { name: 'Rossi Mario' })).toBeVisible();
    await check('Dettaglio');
    // Each document's buttons name the document they act on.
    const outputs = app.getByTestId('outputs');
    await expect(outputs.getByRole('button', { name: /^Apri \S+\.pdf$/ }).first()).toBeEnabled({
      timeout: 30_000,
    });
    await expect(
      outputs.getByRole('button', { name: /^Mostra nella cartella \S+\.pdf$/ }).first(),
    ).toBeVisible();
    await expect(outputs.getByRole('button', { name: /^Stampa \S+\.pdf$/ }).first()).toBeVisible();

    await app.getByRole('link', { name: /Scheda del cliente/ }).click();
    await expect(app.getByTestId('client-page')).toBeVisible();
    await check('Cliente');

    await app.keyboard.press('Alt+3');
    await expect(app.locator('[data-request-id]')).toHaveCount(1);
    await check('Pratiche');

    await app.keyboard.press('Alt+4');
    await expect(app.getByRole('heading', { name: 'Impostazioni' })).toBeVisible();
    await check('Impostazioni');

    expect(harness.simulator.charges()).toHaveLength(1);
    expect(problems).toEqual([]);
    expect(CLIENT.cf).toHaveLength(16);
  });
});
