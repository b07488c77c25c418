import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCodiceFiscale,
  codiceFiscaleCheckLetter,
  OMOCODIA_LETTERS,
  OMOCODIA_POSITIONS,
} from '../../../common/validators/codiceFiscale.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MONTHS = 'ABCDEHLMPRST';
const letter = fc.constantFrom(...LETTERS);
const digit = fc.integer({ min: 0, max: 9 }).map(String);
const now = new Date(2026, 10, 23);

/** The first 15 characters of a real-looking persona CF: surname, name, year, month, day(+40), place. */
const first15Arb = fc
  .record({
    letters: fc.array(letter, { minLength: 6, maxLength: 6 }),
    year: fc.array(digit, { minLength: 2, maxLength: 2 }),
    month: fc.constantFrom(...MONTHS),
    day: fc.integer({ min: 1, max: 28 }),
    female: fc.boolean(),
    place: letter,
    placeDigits: fc.array(digit, { minLength: 3, maxLength: 3 }),
  })
  .map(
    (p) =>
      `${p.letters.join('')}${p.year.join('')}${p.month}${String(p.day + (p.female ? 40 : 0)).padStart(2, '0')}${p.place}${p.placeDigits.join('')}`,
  );

const withCheck = (first15: string) => first15 + codiceFiscaleCheckLetter(first15);

describe('codice fiscale validator under generated codes', () => {
  it('accepts every well-formed code with its check letter, in any case and spacing', () => {
    fc.assert(
      fc.property(first15Arb, fc.boolean(), (first15, lower) => {
        const cf = withCheck(first15);
        const typed = lower ? cf.toLowerCase().replace(/(.{4})/g, '$1 ') : cf;
        const result = checkCodiceFiscale(typed, { now });
        expect(result).toMatchObject({ ok: true, value: cf });
      }),
      { numRuns: 2000, seed: 4 },
    );
  });

  it('refuses any other check letter', () => {
    fc.assert(
      fc.property(first15Arb, letter, (first15, wrong) => {
        fc.pre(wrong !== codiceFiscaleCheckLetter(first15));
        const result = checkCodiceFiscale(first15 + wrong, { now });
        expect(result).toMatchObject({ ok: false, issue: { code: 'cf.check' } });
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('refuses a single changed character (a typo) in the first 15, whatever the position', () => {
    fc.assert(
      fc.property(
        first15Arb,
        fc.integer({ min: 0, max: 14 }),
        fc.constantFrom(...LETTERS, ...'0123456789'),
        (first15, at, ch) => {
          fc.pre(first15[at] !== ch);
          const cf = withCheck(first15);
          const typo = cf.slice(0, at) + ch + cf.slice(at + 1);
          // A typo that happens to be an omocodia substitution of the same digit is the same person.
          fc.pre(!(OMOCODIA_POSITIONS.includes(at) && OMOCODIA_LETTERS.indexOf(ch) === Number(first15[at])));
          expect(checkCodiceFiscale(typo, { now }).ok).toBe(false);
        },
      ),
      { numRuns: 2000, seed: 6 },
    );
  });

  it('accepts the omocodia variants (any subset of the digits replaced) as the same person', () => {
    fc.assert(
      fc.property(
        first15Arb,
        fc.subarray([...OMOCODIA_POSITIONS], { minLength: 1 }),
        (first15, positions) => {
          const plain = checkCodiceFiscale(withCheck(first15), { now });
          const chars = [...first15];
          for (const i of positions) chars[i] = OMOCODIA_LETTERS[Number(chars[i])]!;
          const variant = withCheck(chars.join(''));
          const result = checkCodiceFiscale(variant, { now });
          expect(result.ok).toBe(true);
          if (!result.ok || !plain.ok) return;
          expect(result.info).toMatchObject({ kind: 'persona', omocodico: true });
          const { omocodico: _a, ...samePerson } = result.info as Record<string, unknown>;
          const { omocodico: _b, ...original } = plain.info as Record<string, unknown>;
          expect(samePerson).toEqual(original);
        },
      ),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const result = checkCodiceFiscale(text, { now });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 3000, seed: 8 },
    );
  });
});
