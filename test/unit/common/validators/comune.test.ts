import { describe, expect, it } from 'vitest';
import { checkCodComune } from '../../../../common/validators/comune.ts';

describe('codice comune (Belfiore)', () => {
  it.each([
    ['H501', 'H501'],
    [' h501 ', 'H501'],
    ['z129', 'Z129'],
  ])('accepts %j as %j', (input, value) => {
    expect(checkCodComune(input)).toEqual({ ok: true, value });
  });

  it('calls a blank code empty', () => {
    expect(checkCodComune('')).toMatchObject({ ok: false, issue: { code: 'comune.empty' } });
  });

  it.each(['H50', 'H5011', '1501', 'HH01', 'H 501', 'Roma', 'H50O'])('refuses %j', (input) => {
    expect(checkCodComune(input)).toMatchObject({ ok: false, issue: { code: 'comune.format' } });
  });
});
