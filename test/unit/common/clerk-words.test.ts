import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMandato } from '../../../main/mandato/mandato.ts';
import { generateReceipt } from '../../../main/receipt/receipt.ts';
import { en } from '../../../renderer/i18n/en.ts';
import { it as italian } from '../../../renderer/i18n/it.ts';
import { pdfText } from '../../support/pdf.ts';

/*
 * "Visengine" is the name of Openapi's API, not a word of the counter: the clerk and the client
 * read "Openapi", or the office's own words. Every text of the screens, of the PDFs the client
 * takes home and of what main says in its dialogs and notifications is checked here.
 */
const FORBIDDEN = /visengine/i;

/** Every string of a messages object, with its key. */
function strings(messages: object, path = ''): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${path}${key}`, value] as [string, string]]
      : value && typeof value === 'object'
        ? strings(value as object, `${path}${key}.`)
        : [],
  );
}

/** The string literals of a source file, its comments left out (they are for developers). */
function literals(file: string): string[] {
  const source = readFileSync(join(import.meta.dirname, '..', '..', '..', file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...source.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2]!);
}

describe('the clerk’s and the client’s words', () => {
  it('never name Visengine on a screen, in Italian or in English', () => {
    for (const [key, text] of [...strings(italian), ...strings(en)]) expect(text, key).not.toMatch(FORBIDDEN);
  });

  it('never name Visengine in main’s dialogs, notifications, receipt or mandato', () => {
    for (const file of [
      'main/settings/changes.ts',
      'main/requests/services.ts',
      'main/receipt/receipt.ts',
      'main/receipt/receipts.ts',
      'main/mandato/mandato.ts',
      'main/mandato/service.ts',
    ])
      for (const text of literals(file)) expect(text, file).not.toMatch(FORBIDDEN);
    // The scan reads the texts themselves, or it would pass on nothing.
    expect(literals('main/settings/changes.ts')).toContain('Passare a Produzione?');
  });

  it('never name Visengine on the PDFs the client takes home', async () => {
    const [receipt] = await pdfText(
      await generateReceipt({
        office: { name: 'Patronato Centro', address: 'Via Roma 1', operator: 'Laura' },
        client: { name: 'Rossi Mario', codiceFiscale: 'RSSMRA85T10A562S' },
        service: 'Indennità per congedo parentale',
        sentAt: new Date(2026, 10, 23),
        number: 'RM1-2026-000001',
        state: 'in_lavorazione',
        refusal: null,
        attachments: [{ label: 'Documento', files: ['ci.pdf'] }],
        clientPrice: 0,
        cost: 14.7,
        emailTarget: 'mario@example.it',
        phone: '3331234567',
        test: true,
      }),
    );
    expect(receipt).not.toMatch(FORBIDDEN);
    expect(receipt).toContain('Openapi');
    const [mandato] = await pdfText(
      await generateMandato({
        office: { name: 'Patronato Centro', operator: 'Laura' },
        client: { nome: 'Mario', cognome: 'Rossi', codiceFiscale: 'RSSMRA85T10A562S' },
        service: { name: 'Indennità per congedo parentale' },
        date: new Date(2026, 10, 23),
      }),
    );
    expect(mandato).not.toMatch(FORBIDDEN);
  });

  it('in Prova, say what Prova is: a simulated service with demo documents and a credit that goes down', () => {
    const banner = italian.layout.provaBanner;
    expect(banner).not.toMatch(/non costano nulla|nessun costo|gratis/i);
    expect(banner).toMatch(/simulato/);
    expect(banner).toMatch(/dimostrativi/);
    expect(banner).toMatch(/credito/);
    expect(italian.settings.envHelp.prova).not.toMatch(/nessun costo/);
    // The short one, for a narrow window, says the same three things.
    expect(italian.layout.provaBannerShort).toMatch(/simulato.*dimostrativi.*credito di prova/);
  });
});
