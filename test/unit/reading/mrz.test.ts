import { describe, expect, it } from 'vitest';
import { fitted, identityFromMrz } from '../../../main/reading/mrz.ts';
import { GIULIA, MARIO, td1, td3 } from '../../support/documents.ts';

/* The zones are written by test/support/documents.ts with its own check digits (ICAO 9303). */

const NOW = new Date(2026, 0, 15);

describe('machine-readable zone', () => {
  it('gives the holder of a CIE (TD1): names, birth, sex, number, expiry', () => {
    expect(identityFromMrz(td1(MARIO), NOW)).toEqual({
      document: 'carta_identita',
      cognome: 'ROSSI',
      nome: 'MARIO',
      birthDate: '1985-12-10',
      sex: 'M',
      documentNumber: 'CA12345AB',
      expiry: '2031-12-10',
      issuingState: 'ITA',
    });
  });

  it('gives the holder of a passport (TD3)', () => {
    expect(identityFromMrz(td3(GIULIA), NOW)).toMatchObject({
      document: 'passaporto',
      cognome: 'BIANCHI',
      nome: 'GIULIA',
      birthDate: '1990-01-01',
      sex: 'F',
      documentNumber: 'YB7654321',
      expiry: '2029-01-01',
    });
  });

  it('finds the zone among other lines OCR read on the page', () => {
    const lines = ['CODICE FISCALE / FISCAL CODE', 'RSSMRA85T10A562S', ...td1(MARIO), 'x'];
    expect(identityFromMrz(lines, NOW)?.documentNumber).toBe('CA12345AB');
  });

  it('undoes OCR’s lookalikes where a check digit proves them (0 read as O, 8 read as B)', () => {
    const [line1, line2, line3] = td1(MARIO) as [string, string, string];
    const misread = [line1.replace('CA12345AB8', 'CA1234SABB'), line2.replace('8512109', '85121O9'), line3];
    expect(identityFromMrz(misread, NOW)).toMatchObject({
      documentNumber: 'CA12345AB',
      birthDate: '1985-12-10',
    });
  });

  it('puts back the fillers OCR dropped or doubled, and a stray character it added', () => {
    const [line1, line2] = td3(MARIO) as [string, string];
    const short = line1.replace(/<{6}$/, '');
    const stray = line2.replace('ITA', 'I1TA');
    expect(identityFromMrz([short, stray], NOW)).toMatchObject({
      documentNumber: 'YA1234567',
      cognome: 'ROSSI',
    });
  });

  it('never accepts a zone whose check digits do not hold', () => {
    const [line1, line2, line3] = td1(MARIO) as [string, string, string];
    // Another birth date with the old check digit: no lookalike explains it.
    expect(identityFromMrz([line1, line2.replace('851210', '841210'), line3], NOW)).toBeNull();
    expect(identityFromMrz(['CODICE FISCALE', 'VIA ROMA 1'], NOW)).toBeNull();
  });

  it('gives no names when the filler between surname and names was misread: the split cannot be told', () => {
    const [line1, line2, line3] = td1(MARIO) as [string, string, string];
    const identity = identityFromMrz([line1, line2, line3.replace('ROSSI<<MARIO', 'ROSSI<MARIOO')], NOW);
    expect(identity).toMatchObject({ cognome: '', nome: '', documentNumber: 'CA12345AB' });
  });

  it('dates a birth in the latest century that is not in the future, an expiry in the nearest one', () => {
    const old = { ...MARIO, birthDate: '1931-05-02', expiry: '2027-05-02' };
    expect(identityFromMrz(td1(old), NOW)).toMatchObject({ birthDate: '1931-05-02', expiry: '2027-05-02' });
  });
});

describe('a line brought to its length', () => {
  it('keeps a line of the right length first, and offers the fillers OCR may have dropped', () => {
    expect(fitted('AB<<CD', 6)[0]).toBe('AB<<CD');
    expect(fitted('AB<CD', 6)).toContain('AB<<CD');
    expect(fitted('ABCD<', 6)).toContain('ABCD<<');
  });

  it('offers nothing for a line far from the length', () => {
    expect(fitted('ABC', 30)).toEqual([]);
  });
});
