import { describe, expect, it } from 'vitest';
import { cfMismatches } from '../../../../common/validators/cfCoherence.ts';
import { codiceFiscaleCheckLetter } from '../../../../common/validators/codiceFiscale.ts';

/** Completes 15 characters with the check letter the rule gives. */
const withCheck = (first15: string) => first15 + codiceFiscaleCheckLetter(first15);

describe('codice fiscale against the holder’s data', () => {
  it('finds nothing wrong when surname, name, birth date and sex agree', () => {
    expect(
      cfMismatches('RSSMRA85T10A562S', {
        cognome: 'Rossi',
        nome: 'Mario',
        birthDate: '1985-12-10',
        sex: 'M',
      }),
    ).toEqual([]);
  });

  it('tells Luigi Bianchi that Mario Rossi’s code is not his', () => {
    expect(cfMismatches('RSSMRA85T10A562S', { cognome: 'Bianchi', nome: 'Luigi' })).toEqual([
      'cognome',
      'nome',
    ]);
  });

  it('reads an omocodic code’s birth date', () => {
    expect(cfMismatches('RSSMRA85T10A56NH', { birthDate: '1985-12-10', sex: 'M' })).toEqual([]);
    expect(cfMismatches('RSSMRA85T10A56NH', { birthDate: '1985-12-11', sex: 'F' })).toEqual([
      'birthDate',
      'sex',
    ]);
  });

  it('folds accents, apostrophes and spaces as the rule does', () => {
    const cf = withCheck('DNGNCL80A01H501');
    expect(cfMismatches(cf, { cognome: "D'Angelo", nome: 'Nicolò' })).toEqual([]);
    expect(cfMismatches(cf, { cognome: 'De Angelis', nome: 'Niccolò' })).toEqual([]);
    expect(cfMismatches(cf, { cognome: 'Donati', nome: 'Nicolò' })).toEqual(['cognome']);
  });

  it('uses the first, third and fourth consonant of a name with four or more', () => {
    // Gianfranco: G N F R N C → G F R.
    const cf = withCheck('RSSGFR70A01H501');
    expect(cfMismatches(cf, { cognome: 'Rossi', nome: 'Gianfranco' })).toEqual([]);
  });

  it('leaves out what is not given, and judges no code that is not a valid persona CF', () => {
    expect(cfMismatches('RSSMRA85T10A562S', {})).toEqual([]);
    expect(cfMismatches('RSSMRA85T10A562X', { cognome: 'Rossi' })).toBeNull();
    expect(cfMismatches('12345678903', { cognome: 'Rossi' })).toBeNull();
  });

  it('does not compare the century, which the code does not carry', () => {
    expect(cfMismatches('RSSMRA85T10A562S', { birthDate: '2085-12-10' })).toEqual([]);
  });
});
