import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPartitaIva, partitaIvaCheckDigit } from '../../../../common/validators/partitaIva.ts';

describe('partita IVA', () => {
  it.each([
    ['00743110157', '00743110157'],
    ['12345678903', '12345678903'],
    [' 0074 3110 157 ', '00743110157'],
    ['IT00743110157', '00743110157'],
    ['it 00743110157', '00743110157'],
  ])('accepts %j as %j', (input, value) => {
    expect(checkPartitaIva(input)).toEqual({ ok: true, value });
  });

  it('calls a blank value empty', () => {
    expect(checkPartitaIva('  ')).toMatchObject({ ok: false, issue: { code: 'piva.empty' } });
  });

  it.each(['0074311015', '007431101577', '0074311015A', 'IT', 'ABCDEFGHIJK', '+0743110157'])(
    'refuses %j, which is not 11 digits',
    (input) => {
      expect(checkPartitaIva(input)).toMatchObject({ ok: false, issue: { code: 'piva.format' } });
    },
  );

  it('refuses a wrong check digit and says which one was expected', () => {
    expect(checkPartitaIva('00743110158')).toMatchObject({
      ok: false,
      issue: { code: 'piva.check', params: { expected: 7 } },
    });
  });

  it('catches every single-digit typo', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{10}$/),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (first10, at, delta) => {
          const valid = first10 + partitaIvaCheckDigit(first10);
          expect(checkPartitaIva(valid).ok).toBe(true);
          const typo = valid.slice(0, at) + ((Number(valid[at]) + delta) % 10) + valid.slice(at + 1);
          expect(checkPartitaIva(typo)).toMatchObject({ ok: false, issue: { code: 'piva.check' } });
        },
      ),
    );
  });

  it('refuses to compute a check digit for anything but 10 digits', () => {
    expect(() => partitaIvaCheckDigit('123')).toThrow(RangeError);
  });
});
