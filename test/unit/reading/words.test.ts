import { describe, expect, it } from 'vitest';
import { paperFromWords } from '../../../main/reading/words.ts';

describe('the paper the words on a page name', () => {
  it('knows an identity card’s front by its title and fields, even with OCR’s slips', () => {
    const text =
      "REPUBBLICA ITALIANA\nCARTA D'IDENTITÀ 1 IDENTITY CARD\nCOGNOME / SURNAME\nROSSI\nLUOGO E DATA DI NASCTTA";
    expect(paperFromWords(text)).toMatchObject({ paper: 'identita', confidence: 'high' });
  });

  it('knows a passport page', () => {
    expect(
      paperFromWords('REPUBBLICA ITALIANA PASSAPORTO / PASSPORT Cognome / Surname ROSSI Given Names'),
    ).toMatchObject({ paper: 'identita', confidence: 'high' });
  });

  it('knows the mandato, although it speaks of the identity document and the codice fiscale card', () => {
    const text =
      'PATRONATO SPORTELLO MANDATO DI ASSISTENZA E RAPPRESENTANZA Cognome e nome ROSSI MARIO Codice fiscale ' +
      "CONFERISCE MANDATO le copie del mio documento d'identità e della tessera del codice fiscale";
    expect(paperFromWords(text)).toMatchObject({ paper: 'mandato', confidence: 'high' });
  });

  it('knows a tessera sanitaria by its words', () => {
    expect(paperFromWords('TESSERA SANITARIA - CARTA NAZIONALE DEI SERVIZI')).toMatchObject({
      paper: 'codice_fiscale',
      confidence: 'high',
    });
  });

  it('leans, unsure, on a single telling phrase', () => {
    expect(paperFromWords('Luogo e data di nascita, statura')).toMatchObject({
      paper: 'identita',
      confidence: 'medium',
    });
  });

  it('names nothing from words every paper may carry, or from two papers’ titles at once', () => {
    expect(paperFromWords('COGNOME ROSSI NOME MARIO')).toBeNull();
    expect(paperFromWords('Busta paga gennaio 2025 netto in busta')).toBeNull();
    expect(paperFromWords("CARTA D'IDENTITÀ TESSERA SANITARIA")).toBeNull();
  });
});
