import type { BridgeApi } from '../../common/api.ts';
import type { Outcome } from '../../common/errors.ts';
import { expect, screenshot, test } from './fixtures.ts';

/** Certificato di residenza anagrafica: the simulator gives it as a signed PDF, an XML, a text and a .docm. */
const RESIDENZA = '69663cda34a03ef7efc253262baea547';

test.describe('outputs as they come', () => {
  test('the request page shows each kept file, the signed original beside its PDF, and why the .docm was left out', async ({
    app,
    harness,
  }) => {
    // Sent through the page's window.api, as the form would: the log scan knows what was typed.
    const id = await app.evaluate(async (hash) => {
      const { api } = window as unknown as { api: BridgeApi };
      const value = async <T>(outcome: Promise<Outcome<T>>): Promise<T> => {
        const answer = await outcome;
        if (!answer.ok) throw new Error(answer.error.message);
        return answer.value;
      };
      const draft = await value(api.drafts.create(hash));
      await value(
        api.drafts.update(draft.id, {
          fields: { $0: 'Mario', $1: 'Rossi', $2: 'RSSMRA85T10A562S', $3: 'F205' },
        }),
      );
      const quote = await value(api.requests.quote(draft.id));
      await value(api.requests.submit(draft.id, quote.total));
      return draft.id;
    }, RESIDENZA);

    await app.goto(`${harness.url}/#/pratiche/${id}`);
    const outputs = app.getByTestId('outputs');
    await expect(outputs.getByRole('button', { name: 'Apri' })).toHaveCount(4, { timeout: 30_000 });

    const row = (name: string) =>
      outputs
        .getByRole('button', { name: 'Apri' })
        .locator('xpath=ancestor::div[contains(@class, "mantine-Paper-root")][1]')
        .filter({ has: app.getByText(name, { exact: true }) });
    for (const name of [
      'certificato_residenza.pdf.p7m',
      'certificato_residenza.pdf',
      'esito.xml',
      'note.txt',
    ])
      await expect(row(name)).toHaveCount(1);

    // The signed original says what it holds; the PDF taken out of it says where it comes from and prints.
    await expect(row('certificato_residenza.pdf.p7m').getByTestId('signed-note')).toHaveText(
      /firma digitale \(CAdES\).*«certificato_residenza\.pdf»/,
    );
    await expect(row('certificato_residenza.pdf').getByTestId('signed-note')).toHaveText(
      /Estratto dal file firmato «certificato_residenza\.pdf\.p7m»/,
    );
    await expect(row('certificato_residenza.pdf').getByRole('button', { name: 'Stampa' })).toBeEnabled();
    await expect(row('certificato_residenza.pdf.p7m').getByRole('button', { name: 'Stampa' })).toHaveCount(0);

    // The file left out, with its reason in Italian and what to do.
    const leftOut = app.getByTestId('left-out');
    await expect(leftOut).toContainText('File non salvati');
    await expect(leftOut).toContainText('modulo_autocertificazione.docm');
    await expect(leftOut).toContainText('tipo di file non ammesso');
    await expect(leftOut).toContainText('chiedetene una copia');
    await screenshot(app, 'dettaglio-documenti-firmati');

    // The PDF taken out of the signed file opens like any output.
    await row('certificato_residenza.pdf').getByRole('button', { name: 'Apri' }).click();
    await expect.poll(() => harness.ports.opener.opened.length).toBe(1);
    expect(harness.ports.opener.opened[0]).toMatch(/certificato_residenza\.pdf$/);
  });
});
