import { PG_MIGRATIONS } from '../../main/db/postgres/migrations.ts';
import { startPostgres } from '../support/postgres-cluster.ts';
import { createOfficeRoles, createRegisterDatabase } from '../support/office-roles.ts';
import { expect, screenshot, test } from './fixtures.ts';

test('Registro dell’ufficio: Prova connessione answers in Italian, a failing server is not joined, the counter has a name', async ({
  app,
  harness,
}) => {
  harness.ports.dialogs.confirmEverything();
  await app.keyboard.press('Alt+4');
  const card = app.getByTestId('office-register');
  await expect(card).toContainText('Questo sportello usa il proprio registro');
  await card.getByLabel('Server').fill('127.0.0.1');
  await card.getByLabel('Porta').fill('1');
  await card.getByLabel('Database').fill('sportello');
  await card.getByLabel('Utente', { exact: true }).fill('sportello');
  await card.getByLabel('Password', { exact: true }).fill('segreta-123');
  await card.getByText('Non cifrata (rete dell’ufficio fidata)').click();

  await card.getByRole('button', { name: 'Prova connessione' }).click();
  await expect(card.getByTestId('office-check')).toContainText('non risponde');
  await card.scrollIntoViewIfNeeded();
  await screenshot(app, 'impostazioni-ufficio');

  await card.getByRole('button', { name: 'Collega all’ufficio' }).click();
  await expect(app.getByText('Il server del database non risponde')).toBeVisible();
  expect(harness.ports.preferences.store.office).toBeUndefined();

  await app.getByLabel('Nome dello sportello').fill('Sportello 2');
  await app.getByRole('button', { name: 'Salva', exact: true }).click();
  await expect
    .poll(async () => (await harness.app.handlers['settings.get']()).counterName)
    .toBe('Sportello 2');
});

test('Registro dell’ufficio: the IT person prepares it as its owner, the counter joins with its own user, and the kept password stays with its server', async ({
  app,
  harness,
}) => {
  const cluster = await startPostgres();
  try {
    const roles = await createOfficeRoles(cluster);
    const database = await createRegisterDatabase(cluster, roles);
    harness.ports.dialogs.confirmEverything();
    await app.keyboard.press('Alt+4');
    const card = app.getByTestId('office-register');
    await card.getByLabel('Server').fill('127.0.0.1');
    await card.getByLabel('Porta').fill(String(cluster.port));
    await card.getByLabel('Database').fill(database);
    await card.getByLabel('Utente', { exact: true }).fill(roles.counter.user);
    await card.getByLabel('Password', { exact: true }).fill(roles.counter.password);
    await card.getByText('Non cifrata (rete dell’ufficio fidata)').click();

    // The counter's user reaches an empty database: the IT person has to prepare it first.
    await card.getByRole('button', { name: 'Prova connessione' }).click();
    await expect(card.getByTestId('office-check')).toContainText(
      `registro è alla versione 0 di ${PG_MIGRATIONS.length}`,
    );
    const prepare = card.getByTestId('office-prepare');
    await prepare.getByLabel('Utente proprietario').fill(roles.owner.user);
    await prepare.getByLabel('Password del proprietario').fill(roles.owner.password);
    await prepare.getByRole('button', { name: 'Prepara il database' }).click();
    await expect(app.getByText('Registro dell’ufficio pronto')).toBeVisible();
    expect(harness.ports.dialogs.asked.at(-1)).toMatchObject({
      kind: 'confirm',
      message: `Preparare il registro dell’ufficio su 127.0.0.1:${cluster.port}?`,
    });
    await expect(prepare.getByLabel('Password del proprietario')).toHaveValue('');

    await card.getByRole('button', { name: 'Prova connessione' }).click();
    await expect(card.getByTestId('office-check')).toContainText(
      `registro alla versione ${PG_MIGRATIONS.length} di ${PG_MIGRATIONS.length}`,
    );
    await card.getByRole('button', { name: 'Collega all’ufficio' }).click();
    await expect(card.getByText('Riavviate Sportello per applicare la modifica.')).toBeVisible();
    await expect(card.getByText('Conservata cifrata: lasciate vuoto per non cambiarla')).toBeVisible();
    expect(JSON.stringify(harness.ports.preferences.store)).not.toContain(roles.counter.password);
    expect(JSON.stringify(harness.ports.preferences.store)).not.toContain(roles.owner.password);

    // Another server: the kept password does not go there, it must be typed again.
    await card.getByLabel('Server').fill('localhost');
    await expect(
      card.getByText(/Digitate di nuovo la password: quella conservata vale solo per/),
    ).toBeVisible();
    await expect(card.getByRole('button', { name: 'Prova connessione' })).toBeDisabled();
    await card.scrollIntoViewIfNeeded();
    await screenshot(app, 'impostazioni-ufficio-preparato');
  } finally {
    await cluster.stop();
  }
});
