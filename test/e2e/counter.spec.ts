import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { photoJpeg } from '../support/files.ts';
import { CLIENT, clientFiles, dropFiles, fillClient, pickService, slot } from './helpers.ts';
import { CONGEDO, CONGEDO_HASH, expect, screenshot, test } from './fixtures.ts';
import type { SqliteRegister } from '../../main/store/sqlite-register.ts';

/** A congedo request for Mario Rossi sent straight through main, as an earlier visit would have left it. */
async function earlierVisit(harness: Parameters<Parameters<typeof test>[2]>[0]['harness']) {
  const h = harness.app.handlers;
  // Files the clerk dropped at that visit: the preload granted their paths.
  const dropped = (path: string) => harness.app.grants.grant(path, 'dropped')!;
  const files = await clientFiles();
  const draft = await h['drafts.create'](CONGEDO_HASH);
  await h['drafts.update'](draft.id, {
    fields: { $0: 'Mario', $1: 'Rossi', $2: CLIENT.email, $3: '333 765 4321', $4: CLIENT.cf },
  });
  await h['attachments.add'](draft.id, '$5', { path: dropped(files.photo) });
  await h['attachments.add'](draft.id, '$6', { path: dropped(files.pdf) });
  await h['requests.submit'](draft.id, (await h['requests.quote'](draft.id)).total);
  return draft.id;
}

test.describe('a returning client', () => {
  test('found from the new-request search, prefilled and marked, warned about a duplicate, receipt printed', async ({
    app,
    harness,
  }) => {
    const earlier = await earlierVisit(harness);
    await app.getByRole('button', { name: 'Nuova pratica' }).click();
    await app.getByRole('textbox', { name: /Cercate un servizio/ }).fill('rossi');
    const found = app.getByTestId('picker-clients');
    await expect(found).toContainText('Rossi Mario');
    await expect(found).toContainText('RSS MRA 85T10 A562S');
    await found.getByRole('option', { name: /Rossi Mario/ }).click();
    await expect(app.getByTestId('picker-client')).toContainText('Nuova pratica per Rossi Mario');
    const search = app.getByRole('textbox', { name: /Cercate un servizio/ });
    await search.fill('congedo parentale');
    await search.press('Enter');
    await expect(app.getByRole('heading', { name: CONGEDO })).toBeVisible();

    // Name, surname, CF, phone and email from the last request, each marked, each editable.
    await expect(app.getByRole('textbox', { name: 'Cellulare', exact: true })).toHaveValue('333 765 4321');
    await expect(app.getByTestId('prefilled')).toHaveCount(5);
    await expect(app.getByTestId('prefilled-banner')).toContainText('Rossi Mario');
    await app.getByRole('textbox', { name: 'Cellulare', exact: true }).fill('333 111 2222');
    await expect(app.getByTestId('prefilled')).toHaveCount(4);
    await expect(app.getByTestId('client-panel')).toContainText('Cliente già noto');

    // The outputs also go to the client by email.
    await app.getByRole('checkbox', { name: 'Invia i documenti anche al cliente' }).check();
    const files = await clientFiles();
    await dropFiles(app, app.getByTestId('drop-all'), [files.photo, files.pdf]);
    // Each file is read first (codes, MRZ, words, in the reader's thread): slow on a busy machine.
    await expect(slot(app, '$6', 0)).toHaveAttribute('data-filled', 'true', { timeout: 60_000 });

    // Same client, same service, sent today: a warning before paying, and an explicit choice.
    const warning = app.getByTestId('duplicate-warning');
    await expect(warning).toContainText('Possibile doppione');
    // Who sent it and where: this counter's clerk, and the counter (its name is the PC's until one is given).
    await expect(warning).toContainText(/\d{2}\/\d{2}\/\d{4}, Laura, sportello \S+ \(/);
    await expect(warning.getByRole('link', { name: /Apri la pratica del/ })).toHaveAttribute(
      'href',
      `#/pratiche/${earlier}`,
    );
    const send = app.getByRole('button', { name: /Invia (pratica|comunque) \(14,70/ });
    await expect(send).toBeDisabled();
    await screenshot(app, 'doppione');
    await warning.getByRole('checkbox', { name: /Ho controllato/ }).check();
    await expect(app.getByRole('button', { name: /Invia comunque \(14,70/ })).toBeEnabled();
    await expect(app.getByTestId('summary')).toContainText('andranno anche a mario.rossi@example.it');
    await app.getByRole('button', { name: /Invia comunque \(14,70/ }).click();

    await expect(app.getByTestId('sent')).toBeVisible();
    await expect(app.getByTestId('sent')).toContainText('andranno anche a mario.rossi@example.it');
    expect(harness.simulator.charges()).toHaveLength(2);
    const second = harness.simulator.charges()[1]!.requestId;
    expect(harness.simulator.requests().find((r) => r._id === second)?.emailTarget).toBe(CLIENT.email);

    const download = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Salva ricevuta (PDF)' }).click();
    const receipt = readFileSync(await (await download).path());
    expect((await PDFDocument.load(receipt)).getPageCount()).toBe(1);
    await screenshot(app, 'pratica-inviata-ricevuta');

    // The client's page: both requests.
    await app.getByRole('button', { name: 'Apri la pratica' }).click();
    await app.getByRole('link', { name: /Scheda del cliente/ }).click();
    await expect(app.getByTestId('client-page')).toContainText('Pratiche (2)');
    await screenshot(app, 'cliente');
  });

  test('with consent, the ID and CF card are kept and offered next time in one click; revoking deletes them', async ({
    app,
    harness,
  }) => {
    await pickService(app, 'congedo parentale', CONGEDO);
    await fillClient(app);
    const consent = app.getByTestId('consent');
    await consent.getByRole('checkbox', { name: /acconsente a conservare/ }).check();
    await consent.getByLabel('Scadenza del documento d’identità').fill('2030-05-31');
    await consent.getByRole('button', { name: 'Registra il consenso' }).click();
    await expect(consent).toContainText('Consenso alla conservazione dato il');
    await screenshot(app, 'consenso');
    const files = await clientFiles();
    await dropFiles(app, app.getByTestId('drop-all'), [files.photo, files.pdf, files.png]);
    await app.getByRole('button', { name: /Invia pratica \(14,70/ }).click();
    await expect(app.getByTestId('sent')).toBeVisible();

    await app.getByRole('button', { name: 'Altra pratica per questo cliente' }).click();
    const search = app.getByRole('textbox', { name: /Cercate un servizio/ });
    await search.fill('riscatto leva');
    await search.press('Enter');
    const kept = app.getByTestId('files-on-file');
    await expect(kept).toContainText('Documento d’identità');
    await kept.getByRole('button', { name: 'Usa i documenti conservati' }).click();
    await expect(slot(app, '$5', 0)).toHaveAttribute('data-filled', 'true');
    await expect(slot(app, '$6', 0)).toHaveAttribute('data-filled', 'true');
    await screenshot(app, 'documenti-conservati');

    await app.getByRole('link', { name: 'Scheda del cliente' }).click();
    const onFile = app.getByTestId('client-files');
    await expect(onFile).toContainText('Tessera del codice fiscale');
    await onFile.getByRole('button', { name: /Revoca il consenso/ }).click();
    await app
      .getByRole('dialog')
      .getByRole('button', { name: /Revoca il consenso/ })
      .click();
    await expect(onFile).toContainText('Nessun documento conservato.');
    expect(harness.simulator.charges()).toHaveLength(1);
    // They were sealed in the register, never written to this PC's disk.
    expect(existsSync(join(harness.root, 'userData', 'clienti'))).toBe(false);
  });

  test('once documents are kept, Impostazioni → Ufficio shows this counter holds their key, and its fingerprint', async ({
    app,
    harness,
  }) => {
    await app.keyboard.press('Alt+4');
    const access = app.getByTestId('documents-access');
    await expect(access.getByTestId('documents-state')).toContainText(
      'il primo documento conservato crea la chiave',
    );
    await harness.app.handlers['clients.consent'](CLIENT.cf, null, null);
    await earlierVisit(harness);

    await app.reload();
    await expect(access.getByTestId('documents-state')).toHaveText(
      'Questo sportello ha accesso ai documenti conservati.',
    );
    await expect(access.getByTestId('own-fingerprint')).toHaveText(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
    await expect(access).toContainText(
      'Nessun altro sportello ha ancora pubblicato la sua chiave nel registro.',
    );
  });
});

test.describe('an office of several counters', () => {
  test('Pratiche shows where each request was made and filters by operator and counter; the trail says who and where', async ({
    app,
    harness,
  }) => {
    const h = harness.app.handlers;
    await h['settings.update']({ counterName: 'Ufficio-1', operatorName: 'Anna' });
    const byAnna = await earlierVisit(harness);
    await h['settings.update']({ counterName: 'Ufficio-2', operatorName: 'Luca' });
    const byLuca = await earlierVisit(harness);

    await app
      .getByRole('navigation')
      .getByRole('link', { name: /Pratiche/ })
      .click();
    await expect(app.locator('[data-request-id]')).toHaveCount(2);
    await expect(app.locator(`[data-request-id="${byAnna}"]`)).toContainText('Ufficio-1');
    await expect(app.locator(`[data-request-id="${byLuca}"]`)).toContainText('Ufficio-2');

    const operator = app.getByRole('combobox', { name: 'Operatore' });
    const counter = app.getByRole('combobox', { name: 'Sportello' });
    await operator.selectOption('Anna');
    await expect(app.getByTestId('requests-count')).toHaveText('1 pratica');
    await expect(app.locator('[data-request-id]')).toHaveCount(1);
    await expect(app.locator(`[data-request-id="${byAnna}"]`)).toContainText('Anna');
    await counter.selectOption('Ufficio-2');
    await expect(app.getByText('Nessuna pratica con questi filtri.')).toBeVisible();
    await operator.selectOption('Tutti');
    await expect(app.locator('[data-request-id]')).toHaveCount(1);
    await expect(app.locator(`[data-request-id="${byLuca}"]`)).toBeVisible();
    await screenshot(app, 'pratiche-per-sportello');

    await app
      .locator(`[data-request-id="${byLuca}"]`)
      .getByRole('link', { name: /congedo parentale/ })
      .click();
    await expect(app.getByTestId('event-who').first()).toContainText('Luca, sportello Ufficio-2');
  });
});

test.describe('the defects a new user met', () => {
  test('each bad file says what is wrong with it, and the formats offered are those read', async ({
    app,
    harness,
  }) => {
    await pickService(app, 'congedo parentale', CONGEDO);
    const formats = await harness.app.handlers['attachments.formats']();
    await expect(app.getByTestId('drop-all')).toContainText(formats.names.join(', '));
    const dir = join(harness.root, 'file-rotti');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const empty = join(dir, 'vuoto.pdf');
    const truncated = join(dir, 'troncata.jpg');
    writeFileSync(empty, new Uint8Array());
    const jpeg = await photoJpeg(800, 600);
    writeFileSync(truncated, jpeg.subarray(0, Math.floor(jpeg.length / 2)));

    await dropFiles(app, slot(app, '$5', 0), [empty]);
    await expect(app.getByRole('alert').filter({ hasText: 'vuoto.pdf' })).toHaveText(
      'Il file «vuoto.pdf» è vuoto: salvatelo o scansionatelo di nuovo.',
    );
    await dropFiles(app, app.getByTestId('drop-all'), [truncated, empty]);
    const placement = app.getByTestId('placement');
    await expect(placement).toContainText('L’immagine «troncata.jpg» è danneggiata o incompleta');
    await expect(placement).toContainText('Il file «vuoto.pdf» è vuoto');
    await expect(app.getByText(/HEIC/)).toHaveCount(formats.names.includes('HEIC') ? 1 : 0);
    await screenshot(app, 'file-rotti');
  });

  test('an instruction link whose address was removed reads as plain text', async ({ app, harness }) => {
    const h = harness.app.handlers;
    const detail = await h['catalog.detail'](CONGEDO_HASH);
    const html =
      '<p>Scaricate il <a href="javascript:alert(1)">modulo di delega</a> oppure leggete la ' +
      '<a href="https://www.inps.it/">scheda INPS</a>.</p>';
    (harness.app.internals.store as SqliteRegister).db
      .prepare("UPDATE catalog_details SET detail_json = ? WHERE hash = ? AND environment = 'prova'")
      .run(JSON.stringify({ ...detail, istruzioniHtml: html }), CONGEDO_HASH);
    await pickService(app, 'congedo parentale', CONGEDO);
    const instructions = app.getByTestId('istruzioni');
    await expect(instructions).toContainText('Scaricate il modulo di delega oppure leggete la scheda INPS.');
    await expect(instructions.locator('a')).toHaveCount(1);
    await expect(instructions.getByRole('link', { name: 'scheda INPS' })).toHaveAttribute(
      'href',
      'https://www.inps.it/',
    );
  });

  test('a failed action says why: discarding a draft sent meanwhile', async ({ app, harness }) => {
    await pickService(app, 'congedo parentale', CONGEDO);
    const id = app.url().split('/nuova/')[1]!;
    // Sent from elsewhere (another window) while this form stays open.
    const h = harness.app.handlers;
    const dropped = (path: string) => harness.app.grants.grant(path, 'dropped')!;
    const files = await clientFiles();
    await h['drafts.update'](id, {
      fields: { $0: 'Mario', $1: 'Rossi', $2: CLIENT.email, $3: CLIENT.cellulare, $4: CLIENT.cf },
    });
    await h['attachments.add'](id, '$5', { path: dropped(files.photo) });
    await h['attachments.add'](id, '$6', { path: dropped(files.pdf) });
    await h['requests.submit'](id, (await h['requests.quote'](id)).total);
    await app.getByRole('button', { name: 'Elimina bozza' }).click();
    await expect(app.getByRole('alert').or(app.locator('.mantine-Notification-root'))).toContainText(
      /già stata inviata|non trovata/,
    );
  });
});
