import { describe, expect, it } from 'vitest';
import { PROVINCE_SIGLE, checkCodProvincia } from '../../../../common/validators/provincia.ts';

describe('sigla provincia', () => {
  it.each([
    ['RM', 'RM'],
    [' mi ', 'MI'],
    ['SU', 'SU'],
    ['BT', 'BT'],
    ['EE', 'EE'],
  ])('accepts %j as %j', (input, value) => {
    expect(checkCodProvincia(input)).toEqual({ ok: true, value });
  });

  it('knows the 107 current provinces, abroad, and the Sardinian sigle still on documents', () => {
    expect(PROVINCE_SIGLE.size).toBe(107 + 1 + 4);
    for (const sigla of ['CI', 'VS', 'OG', 'OT']) expect(checkCodProvincia(sigla).ok).toBe(true);
  });

  it('calls a blank sigla empty', () => {
    expect(checkCodProvincia(' ')).toMatchObject({ ok: false, issue: { code: 'provincia.empty' } });
  });

  it.each(['R', 'ROM', 'R1', '00', 'Roma'])('refuses %j, which is not two letters', (input) => {
    expect(checkCodProvincia(input)).toMatchObject({ ok: false, issue: { code: 'provincia.format' } });
  });

  it.each(['XX', 'ZZ', 'QQ', 'JJ'])('refuses %j, which is no province', (input) => {
    expect(checkCodProvincia(input)).toMatchObject({
      ok: false,
      issue: { code: 'provincia.unknown', params: { sigla: input } },
    });
  });
});
