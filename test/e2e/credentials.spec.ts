import { scopeString, visengineScopes } from '../../common/credentials.ts';
import { hostOf } from '../../main/engine/endpoints.ts';
import { OAuthClient } from '../../main/engine/oauth.ts';
import { congedoDraft, sendDraft } from '../support/drafts.ts';
import { CONGEDO_HASH, expect, screenshot, test } from './fixtures.ts';

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

test.describe('an account without DELETE /richiesta', () => {
  test.use({
    harnessOptions: {
      durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
      openapi: { owner: EMAIL, apiKey: KEY, disabledScopes: ['DELETE /richiesta'] },
    },
  });

  test('Impostazioni says what is missing and sets this counter’s cap; the request page says why it cannot be cancelled; Home shows a spending mismatch', async ({
    app,
    harness,
  }) => {
    harness.ports.dialogs.confirmEverything();
    const openapi = harness.openapi!;
    await harness.app.handlers['settings.update']({ counterName: 'Ufficio-1' });
    await app.keyboard.press('Alt+4');
    const sandbox = app.getByTestId('key-sandbox');
    await sandbox.getByLabel('Email dell’account Openapi').fill(EMAIL);
    await sandbox.getByLabel('Chiave API', { exact: true }).fill(KEY);
    await sandbox.getByRole('button', { name: 'Salva e crea il token' }).click();
    await expect(sandbox).toContainText('email e chiave API');

    // Saved all the same, with what the account lacks and what that blocks.
    const missing = sandbox.getByTestId('missing-scopes-sandbox');
    await expect(missing).toContainText('Sul conto Openapi non sono attivi questi permessi');
    await expect(missing.locator('[data-scope="DELETE /richiesta"]')).toContainText(
      'senza DELETE /richiesta non si annullano le pratiche',
    );
    await expect(missing.locator('[data-status="missing"]')).toHaveCount(1);

    // This counter's cap: its token is made anew with it.
    const spending = sandbox.getByTestId('spending-sandbox');
    await spending.getByLabel('Tetto di spesa di questo sportello (€)').fill('30');
    await spending.getByRole('button', { name: 'Applica il tetto' }).click();
    await expect(spending).toContainText('Tetto di spesa: 30,00 € per token.');
    expect(openapi.oauthTokens().map((t) => [t.name, t.limits])).toEqual([
      ['Sportello – Ufficio-1 (sandbox)', { walletAmount: 30 }],
    ]);
    await expect(spending.getByTestId('spending-line')).toContainText('0,00 € (0 addebiti) secondo Openapi');
    await screenshot(app, 'impostazioni-tetto-di-spesa');

    // A request sent from this counter: cancelling it would need DELETE, and the page says so.
    await app.getByLabel('Ambiente').getByText('Sandbox', { exact: true }).click();
    const sent = await sendDraft(harness.app, await congedoDraft(harness.app));
    await app.goto(`${app.url().split('#')[0]}#/pratiche/${sent.id}`);
    await expect(app.getByTestId('cancel-blocked')).toContainText('manca il permesso DELETE /richiesta');
    await expect(app.getByRole('button', { name: 'Annulla pratica' })).toHaveCount(0);

    // Spent with this counter's token outside its log: Home shows the two figures.
    const token = (await harness.app.internals.credentials.bearer('sandbox'))!;
    const outside = await fetch(`${openapi.url}/richiesta`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ hash_visura: CONGEDO_HASH, json_visura: congedoData() }),
    });
    expect(outside.status).toBe(200);
    await app.keyboard.press('Alt+1');
    const mismatch = app.getByTestId('spending-mismatch');
    await expect(mismatch).toContainText('Spesa di questo sportello da controllare');
    await expect(mismatch).toContainText('29,40 € (2 addebiti)');
    await expect(mismatch).toContainText('14,70 € + IVA');
    await screenshot(app, 'home-spesa-da-controllare');
  });
});

test('a request cancelled with a motive shows it on its page', async ({ app, harness }) => {
  harness.ports.dialogs.confirmEverything();
  const h = harness.app.handlers;
  await h['settings.setApiKey']('sandbox', EMAIL, KEY);
  await h['settings.update']({ environment: 'sandbox' });
  const sent = await sendDraft(harness.app, await congedoDraft(harness.app));
  await h['requests.cancel'](sent.id, 'Il cliente ha cambiato idea');
  await app.goto(`${app.url().split('#')[0]}#/pratiche/${sent.id}`);
  const motivo = app.getByTestId('cancel-motivo');
  await expect(motivo).toContainText('Motivo dell’annullamento');
  await expect(motivo).toContainText('Il cliente ha cambiato idea');
});

/** What another program would send for congedo parentale: the seed client, a tiny PDF per document. */
function congedoData(): Record<string, string> {
  const pdf = `documento.pdf|data:application/pdf;base64,${Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64')}`;
  return {
    $0: 'Mario',
    $1: 'Rossi',
    $2: 'mario.rossi@example.it',
    $3: '+393331234567',
    $4: 'RSSMRA85T10A562S',
    $5: pdf,
    $6: pdf,
  };
}
