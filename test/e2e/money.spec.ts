import { VisengineClient } from '../../main/engine/visengine/client.ts';
import { clientFiles, dropFiles, fillClient, pickService, slot } from './helpers.ts';
import { CONGEDO, CONGEDO_HASH, expect, screenshot, test } from './fixtures.ts';

/*
 * The money promises as the clerk sees them, with the simulator in its least convenient reading
 * (fixtures.ts): an uncertain submission the API cannot settle is the clerk's to decide, and a
 * charge the log does not explain shows on Home.
 */

async function completeCongedo(app: Parameters<typeof fillClient>[0]) {
  const files = await clientFiles();
  await pickService(app, 'congedo parentale', CONGEDO);
  await fillClient(app);
  await dropFiles(app, slot(app, '$5', 0), [files.photo]);
  await dropFiles(app, slot(app, '$6', 0), [files.pdf]);
  await expect(app.getByTestId('validazione-state')).toHaveText('Modulo completo');
}

test('an uncertain submission the API cannot settle: the clerk sees the candidates and adopts the right one', async ({
  app,
  harness,
}) => {
  await completeCongedo(app);
  // The price is checked in the background once the form is complete.
  await expect(app.getByTestId('total')).toHaveText(/14,70/);
  // Another program on the account opens a request of the same service at the same moment, and the
  // answer to our POST is lost: nothing echoed tells the two apart.
  const other = await new VisengineClient({
    baseUrl: harness.simulator.url,
    token: () => harness.simulator.token,
    http: (url, init) => fetch(url, init),
  }).createRequest({
    hash_visura: CONGEDO_HASH,
    json_visura: {
      $0: 'Giulia',
      $1: 'Bianchi',
      $2: 'giulia@example.it',
      $3: '+393331234567',
      $4: 'RCCMNL83S18D969H',
    },
    state: 0,
  });
  harness.simulator.faults.add({ kind: 'reset-after', method: 'POST', path: '/richiesta', skip: 1 });
  await app.getByRole('button', { name: /Invia pratica \(14,70/ }).click();
  const alert = app.getByRole('alert').filter({ hasText: 'Non è certo quale richiesta' });
  await expect(alert).toBeVisible();
  await alert.getByRole('link', { name: 'Apri la pratica' }).click();

  const panel = app.getByTestId('candidates');
  await expect(panel.locator('[data-candidate]')).toHaveCount(2);
  await screenshot(app, 'invio-da-verificare');
  const ours = harness.simulator.requests().find((r) => r._id !== other.id)!;
  // The clerk checks the Openapi console: ours is the one carrying Rossi Mario.
  await panel.getByRole('button', { name: `La richiesta ${ours._id} è questa pratica` }).click();
  await expect(app.getByText('In erogazione').or(app.getByText('Dati disponibili')).first()).toBeVisible();
  await expect(panel).toHaveCount(0);
  expect(harness.simulator.requests().find((r) => r._id === ours._id)?.state).toBe(1);
  expect(harness.simulator.requests().find((r) => r._id === other.id)?.state).toBe(0);
  // Charged at creation (this reading): each open request once; nothing more for ours at the close.
  expect(harness.simulator.charges().filter((c) => c.requestId === ours._id)).toHaveLength(1);
  // The choice is in the trail.
  await expect(app.getByText('Scelta dell’operatore sull’invio incerto')).toBeVisible();
  await expect(app.getByText(/adottata la richiesta indicata/)).toBeVisible();
});

test('a second charge for a sent request shows on Home, with the amount and date, until checked', async ({
  app,
  harness,
}) => {
  await completeCongedo(app);
  await app.getByRole('button', { name: /Invia pratica \(14,70/ }).click();
  await expect(app.getByTestId('sent')).toBeVisible();
  const remoteId = harness.simulator.requests()[0]!._id;
  harness.simulator.chargeAgain(remoteId);
  await harness.app.internals.charges.run('prova');

  await app.keyboard.press('Alt+1');
  const issues = app.getByTestId('account-issues');
  await expect(issues).toContainText('Possibile doppio addebito');
  await expect(issues).toContainText('14,70');
  await expect(issues).toContainText(remoteId);
  await screenshot(app, 'home-addebito-da-controllare');
  await issues.getByRole('button', { name: 'Segna come controllato' }).click();
  await expect(issues).toHaveCount(0);
});

test('a request on the account that no request owns shows on Home with its charge, until the clerk decides', async ({
  app,
  harness,
}) => {
  // Someone on the account (another program, the console) opens a riscatto: charged at creation in
  // this reading, and already "In erogazione" although open.
  const elsewhere = await new VisengineClient({
    baseUrl: harness.simulator.url,
    token: () => harness.simulator.token,
    http: (url, init) => fetch(url, init),
  }).createRequest({ hash_visura: '0d9ada4b11f4493674559264d6879948', json_visura: {}, state: 0 });
  await harness.app.internals.account.run('prova');
  await harness.app.internals.charges.run('prova');

  // Home was on screen before, its answer still fresh: the clerk opens it anew.
  await app.reload();
  const orphan = app.getByTestId('orphan-request');
  await expect(orphan).toContainText('Richiesta sul conto Openapi senza pratica');
  await expect(orphan).toContainText('Riscatto leva militare');
  await expect(orphan).toContainText('21,00');
  await expect(orphan).toContainText('In erogazione');
  await expect(orphan).toContainText(elsewhere.id);
  const issues = app.getByTestId('account-issues');
  await expect(issues).toContainText('Addebito per una richiesta senza pratica');
  await screenshot(app, 'home-richiesta-senza-pratica');
  await orphan.getByRole('button', { name: 'Non è dell’ufficio' }).click();
  await expect(orphan).toHaveCount(0);
  // Its charge is then explained: nothing left to check.
  await expect(issues).toHaveCount(0);
});
