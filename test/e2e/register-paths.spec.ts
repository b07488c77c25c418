import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { requestRow } from '../../bench/support.ts';
import { CONGEDO_HASH, expect, screenshot, test } from './fixtures.ts';

test('a register row naming a file outside this counter’s folders is refused, and shown on Home to check', async ({
  app,
  harness,
}) => {
  // What another counter of the office (or a hand on the database) could write.
  const id = randomUUID();
  const document = randomUUID();
  const store = harness.app.internals.store;
  await store.requests.insert(
    requestRow({
      id,
      environment: 'prova',
      serviceHash: CONGEDO_HASH,
      status: 'done',
      remoteId: 'ffffffffffffffffffffffff',
      clientNome: 'Mario',
      clientCognome: 'Rossi',
      documentsState: 'ready',
    }),
  );
  await store.documents.replace(id, [
    {
      id: document,
      fileName: 'ricevuta.pdf',
      path: '../../../../home/operatore/.ssh/id_rsa',
      kind: 'pdf',
      size: 100,
      sha256: 'f'.repeat(64),
    },
  ]);

  await app.goto(`${harness.url}/#/pratiche/${id}`);
  await expect(app.getByTestId('outputs')).toContainText('ricevuta.pdf');
  await app.keyboard.press('Alt+1');
  const refused = app.getByTestId('refused-paths');
  await expect(refused).toContainText('Percorso non valido nel registro');
  await expect(refused).toContainText('Un documento di una pratica');
  await expect(refused).toContainText('un percorso che risale di cartella');
  await expect(refused).toContainText(document);
  await expect(app.getByTestId('home-attention')).toBeVisible();
  await screenshot(app, 'home-percorso-rifiutato');
  // Read as the rest of Home is: no serious or critical WCAG violation in the notice.
  await app.waitForTimeout(400);
  const axe = await new AxeBuilder({ page: app })
    .include('[data-testid="refused-paths"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await refused.getByRole('link', { name: 'Apri la pratica' }).click();
  await expect(app).toHaveURL(new RegExp(`#/pratiche/${id}$`));
  expect(harness.ports.opener.opened).toEqual([]);
});
