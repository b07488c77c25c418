import { LEAST_CONVENIENT } from '../../main/simulator/reading.ts';
import { readFileSync } from 'node:fs';
import { codiceFiscaleCheckLetter } from '../../common/validators/codiceFiscale.ts';
import { textPdf } from '../support/files.ts';
import { CLIENT, clientFiles, dropFiles, fillClient, pickService, slot } from './helpers.ts';
import { CONGEDO, CONGEDO_HASH, expect, screenshot, test } from './fixtures.ts';
import type { SqliteRegister } from '../../main/store/sqlite-register.ts';

async function completeCongedo(
  app: Parameters<typeof fillClient>[0],
  options: { priced: boolean; beforeFiles?: () => void } = { priced: true },
) {
  const files = await clientFiles();
  await pickService(app, 'congedo parentale', CONGEDO);
  await fillClient(app);
  options.beforeFiles?.();
  await dropFiles(app, slot(app, '$5', 0), [files.photo]);
  await dropFiles(app, slot(app, '$6', 0), [files.pdf]);
  await expect(slot(app, '$6', 0)).toHaveAttribute('data-filled', 'true');
  if (options.priced) await expect(app.getByTestId('validazione-state')).toHaveText('Modulo completo');
}

test('Riscatto leva militare with fronte and retro dropped together, merged into one document', async ({
  app,
  harness,
}) => {
  const files = await clientFiles();
  await pickService(app, 'riscatto leva', 'Riscatto leva militare');
  await fillClient(app);
  // Two photos dropped at once on the fronte: the first is the fronte, the second fills the retro.
  await dropFiles(app, slot(app, '$5', 0), [files.photo, files.back]);
  await expect(slot(app, '$5', 0)).toHaveAttribute('data-filled', 'true');
  await expect(slot(app, '$5', 1)).toHaveAttribute('data-filled', 'true');
  await expect(slot(app, '$5', 1)).toHaveAccessibleName(/Retro: file allegato/);
  await dropFiles(app, slot(app, '$6', 0), [files.pdf]);
  await expect(app.getByTestId('validazione-state')).toHaveText('Modulo completo');
  await expect(app.getByTestId('total')).toHaveText(/21,00/);
  await expect(app.getByTestId('total-gross')).toHaveText(/25,62/);
  await app.getByRole('button', { name: /Invia pratica \(21,00/ }).click();
  await expect(app.getByTestId('sent')).toBeVisible();
  await app.getByRole('button', { name: 'Apri la pratica' }).click();
  // One document for the field, made of both sides.
  await expect(app.getByText('carta-identita.jpg, carta-identita-retro.jpg')).toBeVisible();
  const sent = harness.simulator.requests()[0]!;
  expect(sent.json.$5).toMatch(/\.pdf\|\d+ byte$/);
  expect(harness.simulator.charges().map((c) => c.amount)).toEqual([21]);
  // Followed to the end, like the congedo: outputs downloaded into the archive and opened.
  await expect(app.getByText('Visura evasa').first()).toBeVisible({ timeout: 30_000 });
  const outputs = app.getByTestId('outputs');
  await expect(outputs.getByRole('button', { name: 'Apri' }).first()).toBeEnabled({ timeout: 15_000 });
  await outputs.getByRole('button', { name: 'Apri' }).first().click();
  await expect.poll(() => harness.ports.opener.opened.length).toBe(1);
  expect(harness.ports.opener.opened[0]).toMatch(/Riscatto leva militare.*\.pdf$/);
});

test('a codice fiscale with a wrong check letter is refused with its message, before any call', async ({
  app,
  harness,
}) => {
  await pickService(app, 'congedo parentale', CONGEDO);
  const wrong = `${CLIENT.cf.slice(0, 15)}${CLIENT.cf.endsWith('X') ? 'Y' : 'X'}`;
  await fillClient(app, { ...CLIENT, cf: wrong });
  const field = app.getByRole('textbox', { name: 'Codice fiscale', exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByText(/carattere di controllo/i)).toBeVisible();
  await expect(app.getByTestId('validazione-state')).toContainText('Da correggere: Codice fiscale');
  await screenshot(app, 'codice-fiscale-errato');
  // Send pressed too early: the form shows what to fix and goes to it; nothing is priced or sent.
  await app.getByRole('button', { name: 'Invia pratica' }).click();
  await expect(field).toBeFocused();
  await expect(app.getByTestId('sent')).toHaveCount(0);
  expect(harness.simulator.calls.get('POST /richiesta') ?? 0).toBe(0);
});

test.describe('without credit, charged at the close', () => {
  test.use({
    harnessOptions: {
      wallet: 1,
      durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
      reading: { ...LEAST_CONVENIENT, charge: 'close' },
    },
  });

  test('says the balance and what to do, charges nothing, and keeps the request to retry', async ({
    app,
    harness,
  }) => {
    await completeCongedo(app);
    await app.getByRole('button', { name: /Invia pratica \(14,70/ }).click();
    const alert = app.getByRole('alert').filter({ hasText: 'Credito insufficiente' });
    await expect(alert).toContainText('1,00');
    await expect(alert).toContainText('Ricaricate');
    await screenshot(app, 'credito-insufficiente');
    expect(harness.simulator.charges()).toHaveLength(0);

    // Top-up, then "Riprova" from the request: sent once, charged once.
    harness.simulator.wallet = 100;
    await alert.getByRole('link', { name: 'Apri la pratica' }).click();
    await app.getByRole('button', { name: 'Riprova' }).click();
    await expect(app.getByText('In erogazione').or(app.getByText('Dati disponibili')).first()).toBeVisible();
    // Under the least convenient reading an open request already reads "In erogazione": the charge
    // comes with the closing PUT, a moment later. Once, and no more.
    await expect.poll(() => harness.simulator.charges().length).toBe(1);
    await expect(app.getByText('In lavorazione').first()).toBeVisible();
    expect(harness.simulator.charges()).toHaveLength(1);
  });
});

test.describe('without credit, charged at creation', () => {
  test.use({
    harnessOptions: {
      wallet: 1,
      durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
      reading: LEAST_CONVENIENT,
    },
  });

  test('refuses before anything is created, and the same button sends it after a top-up', async ({
    app,
    harness,
  }) => {
    await completeCongedo(app);
    const send = app.getByRole('button', { name: /Invia pratica \(14,70/ });
    await send.click();
    const alert = app.getByRole('alert').filter({ hasText: 'Credito insufficiente' });
    await expect(alert).toContainText('1,00');
    expect(harness.simulator.requests()).toHaveLength(0);
    expect(harness.simulator.charges()).toHaveLength(0);

    harness.simulator.wallet = 100;
    await send.click();
    await expect(app.getByTestId('sent')).toBeVisible();
    expect(harness.simulator.charges()).toHaveLength(1);
  });
});

test('offline: the price check says there is no connection and nothing typed is lost', async ({
  app,
  harness,
}) => {
  // The connection drops while the clerk attaches the papers: the price check cannot be made.
  await completeCongedo(app, {
    priced: false,
    beforeFiles: () => harness.simulator.faults.add({ kind: 'reset-before', times: 10_000 }),
  });
  const alert = app.getByRole('alert').filter({ hasText: 'Nessuna connessione' });
  await expect(alert).toContainText('controllate la rete');
  await screenshot(app, 'offline');
  await expect(app.getByRole('textbox', { name: 'Codice fiscale', exact: true })).toHaveValue(
    'RSS MRA 85T10 A562S',
  );
  await expect(slot(app, '$6', 0)).toHaveAttribute('data-filled', 'true');

  // Back online: the same draft goes through.
  harness.simulator.faults.clear();
  await alert.getByRole('button', { name: 'Riprova' }).click();
  await app.getByRole('button', { name: /Invia pratica \(14,70/ }).click();
  await expect(app.getByTestId('sent')).toBeVisible();
  expect(harness.simulator.charges()).toHaveLength(1);
});

test('what is typed is saved when typing pauses and on leaving; a failed save says so and Riprova saves it', async ({
  app,
  harness,
}) => {
  await pickService(app, 'congedo parentale', CONGEDO);
  const id = /#\/nuova\/([^/?]+)/.exec(app.url())![1]!;
  const saved = async () => Object.values((await harness.app.handlers['drafts.get'](id)).fields);
  const state = app.getByTestId('save-state');

  await app.getByRole('textbox', { name: 'Nome', exact: true }).fill(CLIENT.nome);
  await expect.poll(saved).toContain(CLIENT.nome);
  await expect(state).toHaveText('Salvato');

  // Main cannot take the save: the page says so and keeps what was typed; Riprova saves it.
  const update = '**/__harness/api/drafts.update';
  await app.route(update, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ ok: false, error: { code: 'internal', message: 'non salvata' } }),
    }),
  );
  await app.getByRole('textbox', { name: 'Cognome', exact: true }).fill(CLIENT.cognome);
  await expect(state).toHaveText('Non salvato');
  const alert = app.getByRole('alert').filter({ hasText: 'non sono state salvate' });
  await expect(alert).toBeVisible();
  expect(await saved()).not.toContain(CLIENT.cognome);
  await app.unroute(update);
  await alert.getByRole('button', { name: 'Riprova' }).click();
  await expect(state).toHaveText('Salvato');
  await expect(alert).toHaveCount(0);
  expect(await saved()).toContain(CLIENT.cognome);

  // Typed and left at once, before the pause is over: saved on the way out.
  await app.getByRole('textbox', { name: 'Email', exact: true }).fill(CLIENT.email);
  await app.keyboard.press('Alt+1');
  await expect.poll(saved).toContain(CLIENT.email);
});

test('the log finds a request by codice fiscale among others', async ({ app, harness }) => {
  const h = harness.app.handlers;
  const pdf = await textPdf(1);
  const people = [
    ['Giulia', 'Bianchi', 'BNCGLI90A41H501'],
    ['Luca', 'Verdi', 'VRDLCU75M12F205'],
    ['Anna', 'Neri', 'NRENNA82C55L219'],
  ].map(([nome, cognome, cf]) => ({
    nome: nome!,
    cognome: cognome!,
    cf: cf! + codiceFiscaleCheckLetter(cf!),
  }));
  for (const p of people) {
    const draft = await h['drafts.create'](CONGEDO_HASH);
    await h['drafts.update'](draft.id, {
      fields: { $0: p.nome, $1: p.cognome, $2: 'cliente@example.it', $3: '3471234567', $4: p.cf },
    });
    await h['attachments.add'](draft.id, '$5', { name: 'ci.pdf', data: pdf });
    await h['attachments.add'](draft.id, '$6', { name: 'cf.pdf', data: pdf });
    const quote = await h['requests.quote'](draft.id);
    await h['requests.submit'](draft.id, quote.total);
  }
  await app
    .getByRole('navigation')
    .getByRole('link', { name: /Pratiche/ })
    .click();
  await expect(app.locator('[data-request-id]')).toHaveCount(3);
  await app.getByRole('textbox', { name: 'Cerca' }).fill(people[1]!.cf.toLowerCase());
  await expect(app.locator('[data-request-id]')).toHaveCount(1);
  await expect(app.locator('[data-request-id]')).toContainText('Verdi Luca');
  await expect(app.getByTestId('requests-count')).toHaveText('1 pratica');
  await app.locator('[data-request-id]').click();
  await expect(app.getByRole('heading', { name: 'Verdi Luca' })).toBeVisible();
});

test('keyboard only: from the shortcut to the sent request, without the mouse', async ({ app, harness }) => {
  const files = await clientFiles();
  const kb = app.keyboard;
  await kb.press('Control+n');
  await expect(app.getByRole('textbox', { name: /Cercate un servizio/ })).toBeFocused();
  await kb.type('congedo parentale');
  await kb.press('Enter');
  await expect(app.getByRole('heading', { name: CONGEDO })).toBeVisible();

  // The first field has the focus; Tab walks the form in display order.
  const focusedLabel = () =>
    app.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '');
  const values: Record<string, string> = {
    Cognome: CLIENT.cognome,
    'Codice fiscale': CLIENT.cf,
    Cellulare: CLIENT.cellulare,
    Email: CLIENT.email,
    Nome: CLIENT.nome,
  };
  for (let i = 0; i < 5; i++) {
    const label = (await focusedLabel()).replace('*', '').trim();
    expect(Object.keys(values)).toContain(label);
    await kb.type(values[label]!);
    await kb.press('Tab');
  }

  /** Tabs until the focus is on the slot, then Enter opens the file dialog. */
  const attach = async (key: string, path: string) => {
    for (let i = 0; i < 80; i++) {
      const at = await app.evaluate(() => document.activeElement?.getAttribute('data-slot') ?? '');
      if (at === `${key}:0`) break;
      await kb.press('Tab');
    }
    const chooser = app.waitForEvent('filechooser');
    await kb.press('Enter');
    await (await chooser).setFiles(path);
    await expect(slot(app, key, 0)).toHaveAttribute('data-filled', 'true');
  };
  await attach('$5', files.photo);
  await attach('$6', files.pdf);
  await expect(app.getByTestId('validazione-state')).toHaveText('Modulo completo');

  const send = app.getByRole('button', { name: /Invia pratica \(14,70/ });
  for (let i = 0; i < 80; i++) {
    if (await send.evaluate((el) => el === document.activeElement)) break;
    await kb.press('Tab');
  }
  await expect(send).toBeFocused();
  await kb.press('Enter');
  await expect(app.getByTestId('sent')).toBeVisible();
  expect(harness.simulator.charges()).toHaveLength(1);
});

test('exports the filtered log as CSV for the accounts, and the trail records who exported', async ({
  app,
  harness,
}) => {
  const h = harness.app.handlers;
  const pdf = await textPdf(1);
  const draft = await h['drafts.create'](CONGEDO_HASH);
  await h['drafts.update'](draft.id, {
    fields: { $0: 'Giulia', $1: 'Bianchi', $2: 'cliente@example.it', $3: '3471234567', $4: CLIENT.cf },
  });
  await h['attachments.add'](draft.id, '$5', { name: 'ci.pdf', data: pdf });
  await h['attachments.add'](draft.id, '$6', { name: 'cf.pdf', data: pdf });
  await h['requests.submit'](draft.id, (await h['requests.quote'](draft.id)).total);

  await app.keyboard.press('Alt+3');
  await expect(app.locator('[data-request-id]')).toHaveCount(1);
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Esporta CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain('Data;Mese;Numero pratica;Servizio;Cliente;Codice fiscale;Stato');
  // The pratica's number and the state in the screens' words.
  expect(csv).toMatch(
    /;PRV-\d{4}-000001;Indennità per congedo parentale;.*;(In lavorazione|Pronta|Completata);/,
  );
  expect(csv).toContain(`Indennità per congedo parentale;Bianchi Giulia;${CLIENT.cf}`);
  expect(csv).toContain('14,70');

  const costs = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Costi per mese (CSV)' }).click();
  expect(readFileSync(await (await costs).path(), 'utf8')).toMatch(
    /Indennità per congedo parentale \(prova\);1;14,70;3,23;17,93/,
  );
  await expect
    .poll(
      () =>
        (harness.app.internals.store as SqliteRegister).db
          .prepare("SELECT COUNT(*) AS n FROM events WHERE kind = 'exported'")
          .get() as {
          n: number;
        },
    )
    .toEqual({ n: 2 });
});
