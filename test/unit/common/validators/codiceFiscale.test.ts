import { CheckDigitizer, Parser } from '@marketto/codice-fiscale-utils';
import { belfioreConnector } from '@marketto/belfiore-connector-embedded';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OMOCODIA_LETTERS,
  OMOCODIA_POSITIONS,
  checkCodiceFiscale,
  codiceFiscaleCheckLetter,
  deomocode,
  normalizeCodiceFiscale,
} from '../../../../common/validators/codiceFiscale.ts';
import type { CodiceFiscaleInfo } from '../../../../common/validators/codiceFiscale.ts';
import type { Check } from '../../../../common/validators/result.ts';

const NOW = new Date(2026, 10, 23, 12, 0, 0);
const check = (input: string, now = NOW) => checkCodiceFiscale(input, { now });

function persona(result: Check<CodiceFiscaleInfo>) {
  if (!result.ok) throw new Error(`refused: ${result.issue.code}`);
  if (result.info?.kind !== 'persona') throw new Error('not a persona CF');
  return result.info;
}

function issue(result: Check<CodiceFiscaleInfo>) {
  if (result.ok) throw new Error(`accepted ${result.value}`);
  return result.issue;
}

/** Completes 15 characters with the check letter the rule gives. */
const withCheck = (first15: string) => first15 + codiceFiscaleCheckLetter(first15);

describe('codice fiscale: the check letter', () => {
  it.each(['RSSMRA85T10A562S', 'RSSMRA85T10A56NH', 'RCCMNL83S18D969H'])(
    'accepts the DOMAIN.md example %s',
    (cf) => {
      const result = check(cf);
      expect(result.ok).toBe(true);
      expect(result.ok && result.value).toBe(cf);
    },
  );

  it('refuses a wrong check letter and says which one was expected', () => {
    const found = issue(check('RSSMRA85T10A562T'));
    expect(found.code).toBe('cf.check');
    expect(found.params).toEqual({ expected: 'S' });
    expect(found.message).toContain('S');
  });

  it('never quotes the code in its message, which may reach a log', () => {
    expect(issue(check('RSSMRA85T10A562T')).message).not.toContain('RSSMRA');
  });

  it('agrees with @marketto/codice-fiscale-utils on random codes', () => {
    const char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
    fc.assert(
      fc.property(fc.array(char, { minLength: 15, maxLength: 15 }), (chars) => {
        const first15 = chars.join('');
        expect(codiceFiscaleCheckLetter(first15)).toBe(CheckDigitizer.checkDigit(first15));
      }),
      { numRuns: 500 },
    );
  });
});

describe('codice fiscale: normalisation and shape', () => {
  it('accepts lower case and spaces, and sends the compact upper-case form', () => {
    const result = check('  rssmra 85t10 a562s ');
    expect(result).toMatchObject({ ok: true, value: 'RSSMRA85T10A562S' });
  });

  it.each([
    ['grouped as the app shows it', 'RSS MRA 85T10 A562S'],
    ['grouped in lower case', 'rss mra 85t10 a562s'],
    ['with blanks around', ' RSSMRA85T10A562S '],
    ['with a tab and a non-breaking space from a pasted PDF', 'RSSMRA\t85T10\u00a0A562S'],
  ])('reads the code %s as the code itself', (_, input) => {
    expect(normalizeCodiceFiscale(input)).toBe('RSSMRA85T10A562S');
    expect(check(input)).toMatchObject({ ok: true, value: 'RSSMRA85T10A562S' });
  });

  it('normalises a temporary numeric code the same way', () => {
    expect(normalizeCodiceFiscale(' 123 456 789 01 ')).toBe('12345678901');
  });

  it.each([
    ['', 'cf.empty'],
    ['   ', 'cf.empty'],
    ['RSSMRA85T10A562', 'cf.length'],
    ['RSSMRA85T10A562SS', 'cf.length'],
    ['1234567890', 'cf.length'],
    ['RSSMRA85Z10A562S', 'cf.format'],
    ['RSSMRA8XT10A562S', 'cf.format'],
    ['RSSMR485T10A562S', 'cf.format'],
    ['RSSMRA85T10156 2S', 'cf.format'],
    ['RSSMRA85T10A562-', 'cf.format'],
  ])('refuses %j with %s', (input, code) => {
    expect(issue(check(input)).code).toBe(code);
  });

  it('reports the length it found', () => {
    expect(issue(check('RSSMRA85T10A56')).params).toEqual({ length: 14 });
  });
});

describe('codice fiscale: birth data', () => {
  it('decodes birth date, sex and birthplace', () => {
    expect(persona(check('RSSMRA85T10A562S'))).toEqual({
      kind: 'persona',
      omocodico: false,
      birthDate: '1985-12-10',
      sex: 'M',
      placeCode: 'A562',
      placeName: null,
      foreign: false,
    });
    expect(persona(check('RCCMNL83S18D969H'))).toMatchObject({
      birthDate: '1983-11-18',
      sex: 'M',
      placeCode: 'D969',
    });
  });

  it('accepts an omocodic code and decodes the same birth data as the plain one', () => {
    const plain = persona(check('RSSMRA85T10A562S'));
    const omocodic = persona(check('RSSMRA85T10A56NH'));
    expect(omocodic).toEqual({ ...plain, omocodico: true });
  });

  it('reads a day above 40 as a woman born on day − 40', () => {
    expect(persona(check(withCheck('BNCLRA92A41H501')))).toMatchObject({ birthDate: '1992-01-01', sex: 'F' });
    expect(persona(check(withCheck('BNCLRA92A71H501')))).toMatchObject({ birthDate: '1992-01-31', sex: 'F' });
  });

  it('marks people born abroad by their Z code', () => {
    expect(persona(check(withCheck('PPSGRG80C15Z129')))).toMatchObject({ placeCode: 'Z129', foreign: true });
  });

  it.each([
    ['day 00', 'RSSMRA85T00A562'],
    ['day 32', 'RSSMRA85T32A562'],
    ['day 40', 'RSSMRA85T40A562'],
    ['day 72', 'RSSMRA85T72A562'],
    ['30 February', 'RSSMRA85B30A562'],
    ['31 April', 'RSSMRA85D31A562'],
    ['29 February of a common year', 'RSSMRA01B29A562'],
    ['a woman born 31 June', 'RSSMRA85H71A562'],
  ])('refuses a birth date that does not exist: %s', (_, first15) => {
    expect(issue(check(withCheck(first15))).code).toBe('cf.date');
  });

  it('accepts 29 February of a leap year, 2000 included', () => {
    expect(persona(check(withCheck('RSSMRA00B29A562'))).birthDate).toBe('2000-02-29');
    expect(persona(check(withCheck('RSSMRA84B69A562'))).birthDate).toBe('1984-02-29');
  });

  describe('century of the two-digit year', () => {
    it('takes this century when the birth is not in the future', () => {
      expect(persona(check(withCheck('RSSMRA25T10A562'))).birthDate).toBe('2025-12-10');
      expect(persona(check(withCheck('RSSMRA26A10A562'))).birthDate).toBe('2026-01-10');
    });

    it('takes the previous century when this one would put the birth in the future', () => {
      expect(persona(check(withCheck('RSSMRA26T10A562'))).birthDate).toBe('1926-12-10');
      expect(persona(check(withCheck('RSSMRA85T10A562'))).birthDate).toBe('1985-12-10');
    });

    it('counts a baby born today as born this year', () => {
      expect(persona(check(withCheck('RSSMRA26S23A562'))).birthDate).toBe('2026-11-23');
      expect(persona(check(withCheck('RSSMRA26S24A562'))).birthDate).toBe('1926-11-24');
    });

    it('follows the clock it is given', () => {
      const in1999 = new Date(1999, 5, 1);
      expect(persona(check('RSSMRA85T10A562S', in1999)).birthDate).toBe('1985-12-10');
      expect(persona(check(withCheck('RSSMRA05T10A562'), in1999)).birthDate).toBe('1905-12-10');
    });
  });
});

describe('codice fiscale: the temporary, numeric code', () => {
  it('accepts 11 digits with a valid check digit', () => {
    expect(check('00743110157')).toEqual({ ok: true, value: '00743110157', info: { kind: 'temporaneo' } });
    expect(check(' 1234567890 3 ')).toMatchObject({ ok: true, value: '12345678903' });
  });

  it('refuses a wrong check digit and says which one was expected', () => {
    expect(issue(check('00743110158'))).toMatchObject({ code: 'cf.check', params: { expected: '7' } });
  });
});

/* Generated persona codes, checked against the library as an independent oracle. */

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digit = fc.constantFrom(...'0123456789');
const personaArb = fc
  .record({
    names: fc.array(letter, { minLength: 6, maxLength: 6 }),
    year: fc.integer({ min: 0, max: 99 }),
    month: fc.integer({ min: 0, max: 11 }),
    day: fc.integer({ min: 1, max: 28 }),
    female: fc.boolean(),
    placeLetter: letter,
    placeDigits: fc.array(digit, { minLength: 3, maxLength: 3 }),
  })
  .map((p) => {
    const first15 =
      p.names.join('') +
      String(p.year).padStart(2, '0') +
      'ABCDEHLMPRST'[p.month] +
      String(p.day + (p.female ? 40 : 0)).padStart(2, '0') +
      p.placeLetter +
      p.placeDigits.join('');
    return { ...p, cf: first15 + CheckDigitizer.checkDigit(first15)! };
  });

describe('codice fiscale: properties', () => {
  it('accepts every well-formed code and refuses any other check letter', () => {
    fc.assert(
      fc.property(personaArb, letter, ({ cf, month, day, female, placeLetter, placeDigits }, other) => {
        const info = persona(check(cf));
        expect(info.birthDate.slice(5)).toBe(
          `${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        );
        expect(info.sex).toBe(female ? 'F' : 'M');
        expect(info.placeCode).toBe(placeLetter + placeDigits.join(''));
        expect(info.omocodico).toBe(false);

        fc.pre(other !== cf[15]);
        const wrong = issue(check(cf.slice(0, 15) + other));
        expect(wrong).toMatchObject({ code: 'cf.check', params: { expected: cf[15] } });
      }),
      { numRuns: 500 },
    );
  });

  it('accepts any omocodic substitution and decodes the same birth data', () => {
    const parser = new Parser(belfioreConnector);
    fc.assert(
      fc.property(personaArb, fc.subarray([...OMOCODIA_POSITIONS]), ({ cf }, positions) => {
        const chars = [...cf.slice(0, 15)];
        for (const i of positions) chars[i] = OMOCODIA_LETTERS[Number(chars[i])]!;
        const first15 = chars.join('');
        const omocodic = first15 + CheckDigitizer.checkDigit(first15)!;

        const plain = persona(check(cf));
        expect(persona(check(omocodic))).toEqual({ ...plain, omocodico: positions.length > 0 });
        expect(deomocode(omocodic).slice(0, 15)).toBe(parser.cfDeomocode(omocodic).slice(0, 15));
      }),
      { numRuns: 500 },
    );
  });
});
