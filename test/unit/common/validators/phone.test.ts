import { describe, expect, it } from 'vitest';
import { checkMobile, checkPhone } from '../../../../common/validators/phone.ts';

describe('mobile numbers (CELLULARE)', () => {
  it.each([
    '+39 333 1234567',
    '3331234567',
    '333 123 4567',
    '333-123.4567',
    '0039 333 1234567',
    '+39 (333) 1234567',
    '+393331234567',
  ])('accepts the Italian mobile %j and sends it in E.164', (input) => {
    expect(checkMobile(input)).toMatchObject({
      ok: true,
      value: '+393331234567',
      info: { country: 'IT', type: 'MOBILE' },
    });
  });

  it.each([
    ['+40 721 234 567', '+40721234567', 'RO'],
    ['+44 7400 123456', '+447400123456', 'GB'],
    ['0044 7400 123456', '+447400123456', 'GB'],
    ['+212 612 345678', '+212612345678', 'MA'],
    ['+49 1512 3456789', '+4915123456789', 'DE'],
  ])('accepts the foreign mobile %j', (input, value, country) => {
    expect(checkMobile(input)).toMatchObject({ ok: true, value, info: { country } });
  });

  it('accepts a valid foreign number whose type the metadata cannot tell', () => {
    expect(checkMobile('+49 30 123456')).toMatchObject({
      ok: true,
      value: '+4930123456',
      info: { type: null },
    });
  });

  it('refuses an Italian landline, which cannot receive the SMS', () => {
    expect(checkMobile('06 1234 5678')).toMatchObject({
      ok: false,
      issue: { code: 'phone.notMobile', params: { type: 'FIXED_LINE' } },
    });
  });

  it('refuses other Italian numbers that are not mobiles', () => {
    expect(checkMobile('800 123456')).toMatchObject({ ok: false, issue: { code: 'phone.notMobile' } });
  });

  it('calls a blank number empty', () => {
    expect(checkMobile(' ')).toMatchObject({ ok: false, issue: { code: 'phone.empty' } });
  });

  it.each(['333 123', '33312345678901', '+39', 'abc', '333 CALL ME', '3331234567 int. 12', '+999 1234567'])(
    'refuses %j',
    (input) => {
      expect(checkMobile(input)).toMatchObject({ ok: false, issue: { code: 'phone.format' } });
    },
  );

  it('never quotes the number in its message', () => {
    const result = checkMobile('06 1234 5678');
    expect(!result.ok && result.issue.message).not.toContain('1234');
  });
});

describe('phone numbers of any kind', () => {
  it('accepts a landline as well as a mobile', () => {
    expect(checkPhone('06 1234 5678')).toMatchObject({
      ok: true,
      value: '+390612345678',
      info: { type: 'FIXED_LINE' },
    });
    expect(checkPhone('3331234567')).toMatchObject({ ok: true, value: '+393331234567' });
  });
});
