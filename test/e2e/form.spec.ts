import type { Page } from '@playwright/test';
import { codiceFiscaleCheckLetter } from '../../common/validators/codiceFiscale.ts';
import { CLIENT, clientFiles, dropFiles, fillClient, pickService, slot } from './helpers.ts';
import type { Harness } from '../harness/server.ts';
import { CONGEDO, CONGEDO_HASH, expect, screenshot, test } from './fixtures.ts';

/** A congedo request sent for a client straight through main, as an earlier visit would have left it. */
async function sentEarlier(harness: Harness, client = CLIENT): Promise<string> {
  const h = harness.app.handlers;
  const files = await clientFiles();
  // Files the clerk dropped at that visit: the preload granted their paths.
  const dropped = (path: string) => harness.app.grants.grant(path, 'dropped')!;
  const draft = await h['drafts.create'](CONGEDO_HASH);
  await h['drafts.update'](draft.id, {
    fields: { $0: client.nome, $1: client.cognome, $2: client.email, $3: client.cellulare, $4: client.cf },
  });
  await h['attachments.add'](draft.id, '$5', { path: dropped(files.photo) });
  await h['attachments.add'](draft.id, '$6', { path: dropped(files.pdf) });
  await h['requests.submit'](draft.id, (await h['requests.quote'](draft.id)).total);
  return draft.id;
}

const cfField = (app: Page) => app.getByRole('textbox', { name: 'Codice fiscale', exact: true });

test.describe('the codice fiscale as people write it', () => {
  test('typed grouped in lower case, with blanks around, or pasted grouped: the code, shown grouped', async ({
    app,
    harness,
    context,
  }) => {
    await pickService(app, 'congedo parentale', CONGEDO);
    const field = cfField(app);
    const draftId = () => new URL(app.url()).hash.split('/').at(-1)!;
    const saved = async () => (await harness.app.handlers['drafts.get'](draftId())).fields.$4;

    await field.click();
    await app.keyboard.type('rss mra 85t10 a562s');
    await expect(field).toHaveValue('RSS MRA 85T10 A562S');
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    await expect(app.getByTestId('cf-details')).toContainText('Nato il 10/12/1985');
    await expect(app.getByTestId('save-state')).toHaveText('Salvato');
    expect(await saved()).toBe('RSSMRA85T10A562S');

    // A leading blank used to cut the last character: now nothing is cut.
    await field.clear();
    await app.keyboard.type(' RSSMRA85T10A562S ');
    await expect(field).toHaveValue('RSS MRA 85T10 A562S');
    await expect(app.getByTestId('cf-details')).toBeVisible();

    // A correction in the middle keeps the caret where the clerk typed.
    await field.clear();
    await app.keyboard.type('RSSMRA8T10A562S');
    await expect(field).toHaveValue('RSS MRA 8T10A 562S');
    for (let i = 0; i < 'T10A 562S'.length; i++) await app.keyboard.press('ArrowLeft');
    await app.keyboard.type('5');
    await expect(field).toHaveValue('RSS MRA 85T10 A562S');
    await app.keyboard.type('X');
    await expect(field).toHaveValue('RSS MRA 85XT1 0A562S');
    await app.keyboard.press('Backspace');
    await expect(field).toHaveValue('RSS MRA 85T10 A562S');

    // Pasted as the app prints it (a receipt, the client's page).
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await field.clear();
    await app.evaluate(() => navigator.clipboard.writeText('RSS MRA 85T10 A562S'));
    await app.keyboard.press('Control+V');
    await expect(field).toHaveValue('RSS MRA 85T10 A562S');
    await expect(app.getByTestId('cf-details')).toBeVisible();
    await expect(app.getByTestId('save-state')).toHaveText('Salvato');
    expect(await saved()).toBe('RSSMRA85T10A562S');
    await screenshot(app, 'codice-fiscale-raggruppato');
  });
});

test.describe('sending from anywhere', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('the send bar, with what is missing and the price, is in sight at every scroll position', async ({
    app,
  }) => {
    await pickService(app, 'congedo parentale', CONGEDO);
    const bar = app.getByTestId('send-bar');
    const send = bar.getByRole('button', { name: /^Invia pratica/ });
    const height = await app.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    expect(height).toBeGreaterThan(500);
    for (const at of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
      await app.evaluate((y) => window.scrollTo(0, y), Math.round(height * at));
      await expect(send).toBeInViewport({ ratio: 1 });
      await expect(bar.getByTestId('validazione-state')).toContainText('Mancano: Nome, Cognome');
      await expect(bar.getByTestId('bar-price')).toContainText('14,70');
    }
    await app.evaluate(() => window.scrollTo(0, 0));
    await screenshot(app, 'barra-di-invio');
  });

  test('Ctrl+Invio from a field: with something missing it goes to it; complete, it sends once', async ({
    app,
    harness,
  }) => {
    await pickService(app, 'congedo parentale', CONGEDO);
    await app.getByRole('textbox', { name: 'Nome', exact: true }).fill(CLIENT.nome);
    // Missing data: nothing is priced or sent, the clerk is taken to the first missing field.
    await app.keyboard.press('Control+Enter');
    await expect(app.getByRole('textbox', { name: 'Cognome', exact: true })).toBeFocused();
    await expect(app.getByText('Obbligatorio').first()).toBeVisible();
    expect(harness.simulator.calls.get('POST /richiesta') ?? 0).toBe(0);

    await fillClient(app);
    const files = await clientFiles();
    await dropFiles(app, app.getByTestId('drop-all'), [files.photo, files.pdf, files.png]);
    await expect(slot(app, '$7', 0)).toHaveAttribute('data-filled', 'true');
    // From the first field at the top, before the price is even back: sent once it is.
    await app.getByRole('textbox', { name: 'Nome', exact: true }).focus();
    await app.keyboard.press('Control+Enter');
    await expect(app.getByTestId('sent')).toBeVisible();
    expect(harness.simulator.charges().map((c) => c.amount)).toEqual([14.7]);
  });

  test('the duplicate warning comes as soon as the codice fiscale is typed, above the send bar', async ({
    app,
    harness,
  }) => {
    const earlier = await sentEarlier(harness);
    await pickService(app, 'congedo parentale', CONGEDO);
    await cfField(app).fill(CLIENT.cf);
    const bar = app.getByTestId('send-bar');
    const warning = bar.getByTestId('duplicate-warning');
    await expect(warning).toContainText('Possibile doppione');
    await expect(warning.getByRole('link', { name: /Apri la pratica del/ })).toHaveAttribute(
      'href',
      `#/pratiche/${earlier}`,
    );
    // No paper attached yet, and the warning is in sight wherever the clerk is on the form.
    await expect(app.locator('[data-filled="true"]')).toHaveCount(0);
    await app.evaluate(() => window.scrollTo(0, 0));
    await expect(warning).toBeInViewport();
    await screenshot(app, 'doppione-subito');

    await fillClient(app);
    const files = await clientFiles();
    await dropFiles(app, app.getByTestId('drop-all'), [files.photo, files.pdf]);
    await expect(bar.getByTestId('validazione-state')).toContainText('controllate l’avviso qui sopra');
    // Ctrl+Invio does not go past the warning: the clerk's explicit choice is needed.
    await app.keyboard.press('Control+Enter');
    await expect(bar.getByRole('button', { name: /Invia comunque \(14,70/ })).toBeDisabled();
    await warning.getByRole('checkbox', { name: /Ho controllato/ }).check();
    // Only the choice stays in sight once made.
    await expect(warning.getByRole('checkbox', { name: /Ho controllato/ })).toBeDisabled();
    await expect(warning.getByRole('link')).toHaveCount(0);
    await bar.getByRole('button', { name: /Invia comunque \(14,70/ }).click();
    await expect(app.getByTestId('sent')).toBeVisible();
    expect(harness.simulator.charges()).toHaveLength(2);
  });
});

test.describe('client search in the new-request box', () => {
  test('arrows and Enter reach a client found by name or code; the focus stays for the service', async ({
    app,
    harness,
  }) => {
    const anna = {
      ...CLIENT,
      nome: 'Anna',
      cf: `RSSNNA90A41H501${codiceFiscaleCheckLetter('RSSNNA90A41H501')}`,
    };
    await sentEarlier(harness);
    await sentEarlier(harness, anna);

    await app.keyboard.press('Control+n');
    const box = app.getByRole('textbox', { name: /Cercate un servizio/ });
    await expect(box).toBeFocused();
    await expect(box).toHaveAttribute('placeholder', /cliente per cognome o codice fiscale/);
    await app.keyboard.type('rossi');
    const found = app.getByTestId('picker-clients');
    await expect(found.getByRole('option')).toHaveCount(2);
    // A client found is an answer: no "no service matches" under it.
    await expect(app.getByText('Nessun servizio corrisponde')).toHaveCount(0);
    const selected = app.locator('[role="option"][aria-selected="true"]');
    await expect(selected).toHaveCount(1);
    const first = (await selected.getAttribute('aria-label')) ?? '';
    await app.keyboard.press('ArrowDown');
    await expect(selected).not.toHaveAttribute('aria-label', first);
    await expect(box).toHaveAttribute('aria-activedescendant', (await selected.getAttribute('id')) ?? '');
    const chosen = (await selected.getAttribute('aria-label'))?.includes('Anna')
      ? 'Rossi Anna'
      : 'Rossi Mario';
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('picker-client')).toContainText(`Nuova pratica per ${chosen}`);
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('');
    await screenshot(app, 'nuova-pratica-cliente-scelto');

    // By code, as people write it: the client again, and Enter goes on to the service.
    await app.getByRole('button', { name: 'Nuovo cliente' }).click();
    await box.focus();
    await app.keyboard.type('rss mra 85t10 a562s');
    await expect(found.getByRole('option')).toHaveCount(1);
    await expect(found.getByRole('option')).toHaveAttribute('aria-selected', 'true');
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('picker-client')).toContainText('Nuova pratica per Rossi Mario');
    await expect(box).toBeFocused();
    await app.keyboard.type('congedo parentale');
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { name: CONGEDO })).toBeVisible();
    await expect(cfField(app)).toHaveValue('RSS MRA 85T10 A562S');
    await expect(app.getByTestId('prefilled-banner')).toContainText('Rossi Mario');
  });
});
