import { describe, expect, it } from 'vitest';
import catalog from '../../../main/simulator/catalog.json' with { type: 'json' };
import { apostrophes, helpText } from '../../../renderer/lib/help-text.ts';

describe('the catalog’s help texts in the app’s voice', () => {
  it.each([
    ['Inserisci il nome del richiedente', 'Inserire il nome del richiedente'],
    ['Inserire il codice fiscale del richiedente', 'Inserire il codice fiscale del richiedente'],
    [
      'Caricare una copia fronte retro del documento d`identità del richiedente.',
      'Caricare una copia fronte retro del documento d’identità del richiedente.',
    ],
    ['Indica la data. Carica poi il modulo', 'Indicare la data. Caricare poi il modulo'],
    ['In bollo o in esenzione (indicare la norma)', 'In bollo o in esenzione (indicare la norma)'],
    [
      'Estratto conto contributivo aggiornato, se disponibile',
      'Estratto conto contributivo aggiornato, se disponibile',
    ],
  ])('%j reads %j', (input, shown) => {
    expect(helpText(input)).toBe(shown);
  });

  it('changes only a leading verb, never the same word inside a sentence', () => {
    expect(helpText('Codice fiscale: inserisci solo lettere e cifre')).toBe(
      'Codice fiscale: inserisci solo lettere e cifre',
    );
  });

  it('leaves a backquote that is no apostrophe alone', () => {
    expect(apostrophes('il codice `ABC` del modulo')).toBe('il codice `ABC` del modulo');
    expect(apostrophes('dell´INPS, d`imposta')).toBe('dell’INPS, d’imposta');
  });

  it('leaves no field of the catalog in the informal voice, nor with a backquote for an apostrophe', () => {
    const shown = Object.values(catalog.services).flatMap((s) =>
      Object.values(s.detail.json_struttura.campi).map((c) => helpText(c.istruzioni)),
    );
    expect(shown.length).toBeGreaterThan(100);
    expect(shown.filter((t) => /^(Inserisci|Carica|Indica|Seleziona|Scegli)\b/.test(t))).toEqual([]);
    expect(shown.filter((t) => /\p{L}`\p{L}/u.test(t))).toEqual([]);
  });
});
