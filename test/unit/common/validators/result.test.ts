import { describe, expect, it } from 'vitest';
import { accept, refuse } from '../../../../common/validators/result.ts';

describe('check results', () => {
  it('carries the value to send, and info only when there is some', () => {
    expect(accept('X')).toEqual({ ok: true, value: 'X' });
    expect('info' in accept('X')).toBe(false);
    expect(accept('X', { kind: 'k' })).toEqual({ ok: true, value: 'X', info: { kind: 'k' } });
  });

  it('carries a translatable code, a log message and, only when given, params', () => {
    expect(refuse('cf.empty', 'Codice fiscale mancante')).toEqual({
      ok: false,
      issue: { code: 'cf.empty', message: 'Codice fiscale mancante' },
    });
    expect(refuse('cf.check', 'm', { expected: 'S' }).issue.params).toEqual({ expected: 'S' });
  });
});
