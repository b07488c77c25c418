import { describe, expect, it } from 'vitest';
import { DEFAULT_TEXT_MAX_LENGTH, checkText } from '../../../../common/validators/text.ts';

describe('free text', () => {
  it('trims and collapses whitespace, pasted newlines and tabs included', () => {
    expect(checkText('  Mario \t\n  De\u00a0 Rossi  ')).toEqual({ ok: true, value: 'Mario De Rossi' });
  });

  it('drops control characters', () => {
    expect(checkText('Ma\u0000rio\u0007')).toEqual({ ok: true, value: 'Ma rio' });
  });

  it('puts accented letters in composed form', () => {
    expect(checkText('Nicco\u006c\u006f\u0300')).toEqual({ ok: true, value: 'Niccol\u00f2' });
  });

  it('calls blank text empty', () => {
    expect(checkText(' \n\t ')).toMatchObject({ ok: false, issue: { code: 'text.empty' } });
  });

  it(`accepts ${DEFAULT_TEXT_MAX_LENGTH} characters and refuses more`, () => {
    expect(checkText('a'.repeat(DEFAULT_TEXT_MAX_LENGTH)).ok).toBe(true);
    expect(checkText('a'.repeat(DEFAULT_TEXT_MAX_LENGTH + 1))).toMatchObject({
      ok: false,
      issue: {
        code: 'text.tooLong',
        params: { max: DEFAULT_TEXT_MAX_LENGTH, length: DEFAULT_TEXT_MAX_LENGTH + 1 },
      },
    });
  });

  it('counts characters as the clerk sees them, not UTF-16 units', () => {
    expect(checkText('😀'.repeat(10), { maxLength: 10 }).ok).toBe(true);
  });

  it('takes a different limit when asked', () => {
    expect(checkText('abcd', { maxLength: 3 })).toMatchObject({ ok: false, issue: { code: 'text.tooLong' } });
  });
});
