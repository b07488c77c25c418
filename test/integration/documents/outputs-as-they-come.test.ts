import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signedContent } from '../../../main/documents/signed.ts';
import { startApp, type TestApp } from '../../support/app.ts';

/*
 * A service whose outputs come as administrations send them (the simulator's "Certificato di
 * residenza anagrafica"): a certificate signed as CAdES (.pdf.p7m), an XML, a text and a Word
 * document with macros. Fetched from the simulator over HTTP, unzipped, written into the archive
 * and shown on the request's page: every file kept but the one with macros, which is said.
 */
const RESIDENZA = '69663cda34a03ef7efc253262baea547';
const SIM_STEP = 60_000;

async function residenzaDone(t: TestApp): Promise<string> {
  const h = t.app.handlers;
  const draft = await h['drafts.create'](RESIDENZA);
  await h['drafts.update'](draft.id, {
    fields: { $0: 'Mario', $1: 'Rossi', $2: 'RSSMRA85T10A562S', $3: 'F205' },
  });
  const quote = await h['requests.quote'](draft.id);
  await h['requests.submit'](draft.id, quote.total);
  for (let i = 0; i < 2; i++) {
    t.clock.advance(SIM_STEP);
    await t.app.internals.tracker.cycle();
  }
  await t.app.internals.idle();
  return draft.id;
}

describe('outputs as they come', () => {
  it('keeps the signed certificate, its PDF, the XML and the text, and says why the .docm was left out', async () => {
    const t = await startApp();
    const id = await residenzaDone(t);
    const detail = await t.app.handlers['requests.get'](id);

    expect(detail.status).toBe('done');
    expect(detail.documentsState).toBe('ready');
    expect(detail.documents.map((d) => [d.fileName, d.kind]).sort()).toEqual([
      ['certificato_residenza.pdf', 'pdf'],
      ['certificato_residenza.pdf.p7m', 'p7m'],
      ['esito.xml', 'xml'],
      ['note.txt', 'text'],
    ]);
    expect(detail.outputs).toEqual({
      leftOut: [{ fileName: 'modulo_autocertificazione.docm', reason: 'disallowed_type' }],
      signed: [{ fileName: 'certificato_residenza.pdf.p7m', content: 'certificato_residenza.pdf' }],
    });

    // On disk: exactly the kept files; the PDF is the signed file's content, watermarked.
    const path = (name: string) => detail.documents.find((d) => d.fileName === name)!.path;
    const folder = dirname(path('esito.xml'));
    expect(readdirSync(folder).sort()).toEqual([
      'certificato_residenza.pdf',
      'certificato_residenza.pdf.p7m',
      'esito.xml',
      'note.txt',
    ]);
    const signed = signedContent(readFileSync(path('certificato_residenza.pdf.p7m')));
    const pdf = readFileSync(path('certificato_residenza.pdf'));
    expect(signed.kind === 'content' && Buffer.from(signed.bytes).equals(pdf)).toBe(true);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readFileSync(path('esito.xml'), 'utf8')).toContain('<richiesta>');
    expect(readFileSync(path('note.txt'), 'utf8')).toContain('DOCUMENTO DI PROVA');

    // The extracted PDF is printed like any PDF: read as application/pdf.
    const printable = detail.documents.find((d) => d.fileName === 'certificato_residenza.pdf')!;
    expect((await t.app.handlers['documents.read'](printable.id)).mime).toBe('application/pdf');

    // The log says what was left out and why, never the file's name.
    const log = readdirSync(`${t.root}/userData/logs`)
      .map((f) => readFileSync(`${t.root}/userData/logs/${f}`, 'utf8'))
      .join('');
    expect(log).toContain('output left out');
    expect(log).toContain('"reason":"disallowed_type"');
    expect(log).not.toContain('modulo_autocertificazione');
  });
});
