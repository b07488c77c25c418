import { describe, expect, it } from 'vitest';
import { clientFileKindOf } from '../../../common/client-files.ts';
import { holdsCard, isTwoSided, paperOf } from '../../../common/papers.ts';

const named = (nome: string) => ({ nome });

describe('what paper a file field asks for (the API says only "file": its name decides)', () => {
  it('tells the identity document, the codice fiscale and the mandato by the names the catalog uses', () => {
    expect(paperOf(named('COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO'))).toBe('identita');
    expect(paperOf(named('COPIA CODICE FISCALE FRONTE RETRO'))).toBe('codice_fiscale');
    expect(paperOf(named('COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA'))).toBe('mandato');
  });

  it('reads the name whatever its case and accents', () => {
    expect(paperOf(named('Documento d’identita'))).toBe('identita');
    expect(paperOf(named('Tessera sanitaria'))).toBe('codice_fiscale');
    expect(paperOf(named('Carta CIE'))).toBe('identita');
    expect(paperOf(named('Passaporto o patente'))).toBe('identita');
  });

  it('tells a delega from the mandato, and never takes either for a card, even when it names one', () => {
    expect(paperOf(named('DELEGA FIRMATA'))).toBe('delega');
    expect(paperOf(named('Delega con copia del documento d’identità'))).toBe('delega');
    expect(paperOf(named('Mandato e delega'))).toBe('mandato');
  });

  it('leaves every other document unclassified', () => {
    for (const nome of [
      'ULTIME BUSTE PAGA',
      'ATTESTAZIONE ISEE',
      'CERTIFICAZIONE UNICA (CU)',
      'VERBALE LEGGE 104',
    ])
      expect(paperOf(named(nome)), nome).toBeNull();
  });

  it('keeps on file only the two cards a client may let the office keep', () => {
    expect(clientFileKindOf('COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO')).toBe('identita');
    expect(clientFileKindOf('COPIA CODICE FISCALE FRONTE RETRO')).toBe('codice_fiscale');
    expect(clientFileKindOf('COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA')).toBeNull();
    expect(clientFileKindOf('ULTIME BUSTE PAGA')).toBeNull();
  });
});

describe('fronte and retro', () => {
  it('is what a field whose name says fronte or retro takes', () => {
    expect(isTwoSided(named('COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO'))).toBe(true);
    expect(isTwoSided(named('Tessera sanitaria (retro)'))).toBe(true);
    expect(isTwoSided(named('COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA'))).toBe(false);
  });
});

describe('fields that hold a card with the codice fiscale barcode', () => {
  it('are the identity document and the codice fiscale, not the mandato nor other papers', () => {
    expect(holdsCard(named('COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO'))).toBe(true);
    expect(holdsCard(named('COPIA CODICE FISCALE FRONTE RETRO'))).toBe(true);
    expect(holdsCard(named('COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA'))).toBe(false);
    expect(holdsCard(named('DELEGA FIRMATA'))).toBe(false);
    expect(holdsCard(named('ULTIME BUSTE PAGA'))).toBe(false);
  });
});
