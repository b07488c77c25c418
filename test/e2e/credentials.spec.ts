import { scopeString, visengineScopes } from '../../common/credentials.ts';
import { hostOf } from '../../main/engine/endpoints.ts';
import { OAuthClient } from '../../main/engine/oauth.ts';
import { expect, screenshot, test } from './fixtures.ts';

const EMAIL = 'caf.centro@example.it';
const KEY = 'oa-key-5b7d9f1a3c5e7a9b1d3f5a7c9e1b3d5f';

// Sandbox and Produzione point at a second simulator standing in for Openapi (Visengine + OAuth API).
test.use({
  harnessOptions: {
    durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
    openapi: { owner: EMAIL, apiKey: KEY },
  },
});

test('Credenziali Openapi: email and API key make a token, shown only by hints, with every scope', async ({
  app,
  harness,
}) => {
  // Saving credentials is confirmed in main's dialog (smoke.spec.ts shows the refusal): yes here.
  harness.ports.dialogs.confirmEverything();
  await app.keyboard.press('Alt+4');
  const sandbox = app.getByTestId('key-sandbox');
  await expect(sandbox).toContainText('non impostate');
  await sandbox.getByLabel('Email dell’account Openapi').fill(EMAIL);
  await sandbox.getByLabel('Chiave API', { exact: true }).fill(KEY);
  await sandbox.getByRole('button', { name: 'Salva e crea il token' }).click();

  await expect(sandbox).toContainText('email e chiave API');
  const token = harness.openapi!.oauthTokens()[0]!.token;
  const stored = sandbox.getByTestId('stored-sandbox');
  await expect(stored).toContainText(`Account ${EMAIL} · chiave ••••3d5f · token ••••${token.slice(-4)}`);
  await expect(stored).toContainText('Il token scade il');
  await expect(sandbox.getByLabel('Nuova chiave API')).toHaveValue('');
  const page = await app.content();
  expect(page).not.toContain(KEY);
  expect(page).not.toContain(token);

  await sandbox.getByRole('button', { name: 'Prova connessione' }).click();
  const check = app.getByTestId('check-sandbox');
  await expect(check).toContainText('Il token ha tutti i permessi che servono.');
  await expect(check).toContainText('Connessione riuscita');
  await expect(check).toContainText('Credito del conto: 500,00');
  await expect(check.locator('[data-status="granted"]')).toHaveCount(6);
  await screenshot(app, 'impostazioni-credenziali');

  // Switching to Sandbox: the header's credit is the account's, read with email and API key.
  await app.getByLabel('Ambiente').getByText('Sandbox', { exact: true }).click();
  await expect(app.getByTestId('header-credit')).toContainText('500,00');
});

test('Credenziali Openapi: a ready token without two scopes, and what each missing one blocks', async ({
  app,
  harness,
}) => {
  // Saving credentials is confirmed in main's dialog (smoke.spec.ts shows the refusal): yes here.
  harness.ports.dialogs.confirmEverything();
  const openapi = harness.openapi!;
  const host = hostOf(openapi.url);
  const partial = await new OAuthClient({ http: (url, init) => fetch(url, init) }).createToken(
    { baseUrl: openapi.url, email: EMAIL, apiKey: KEY },
    {
      scopes: visengineScopes
        .filter((s) => s !== 'POST /richiesta' && s !== 'GET /documento')
        .map((s) => scopeString(s, host)),
    },
  );

  await app.keyboard.press('Alt+4');
  const sandbox = app.getByTestId('key-sandbox');
  await sandbox.getByText('Ho già un token').click();
  await expect(sandbox).toContainText('credito e movimenti del conto non si possono leggere');
  await sandbox.getByLabel('Token Openapi').fill(partial.token);
  await sandbox.getByRole('button', { name: 'Salva token' }).click();
  await expect(sandbox).toContainText('solo token');
  await expect(sandbox.getByTestId('stored-sandbox')).toContainText(`Token ••••${partial.token.slice(-4)}`);
  await expect(sandbox.getByTestId('stored-sandbox')).toContainText('Scadenza del token sconosciuta');

  await sandbox.getByRole('button', { name: 'Prova connessione' }).click();
  const check = app.getByTestId('check-sandbox');
  await expect(check).toContainText('Al token mancano 2 permessi:');
  await expect(check.locator('[data-scope="POST /richiesta"]')).toContainText(
    'senza POST /richiesta non si possono inviare pratiche',
  );
  await expect(check.locator('[data-scope="GET /documento"]')).toContainText(
    'senza GET /documento non si scaricano i documenti',
  );
  await expect(check.locator('[data-status="missing"]')).toHaveCount(2);
  await expect(check.locator('[data-status="granted"]')).toHaveCount(4);
  await expect(check).toContainText('Credito e movimenti del conto non disponibili');
  await screenshot(app, 'impostazioni-permessi-mancanti');

  // A wrong API key is refused at once, and nothing is saved.
  const produzione = app.getByTestId('key-produzione');
  await produzione.getByLabel('Email dell’account Openapi').fill(EMAIL);
  await produzione.getByLabel('Chiave API', { exact: true }).fill('oa-key-sbagliata-0000000');
  await produzione.getByRole('button', { name: 'Salva e crea il token' }).click();
  await expect(produzione).toContainText('Openapi non ha riconosciuto email e chiave API');
  await expect(produzione).toContainText('non impostate');
});
