import { describe, expect, it } from 'vitest';
import { checkEmail } from '../../../../common/validators/email.ts';

describe('email', () => {
  it.each([
    ['mario.rossi@example.it', 'mario.rossi@example.it'],
    ['  Mario.Rossi@Example.IT ', 'Mario.Rossi@example.it'],
    ['m+patronato@posta.example.co.uk', 'm+patronato@posta.example.co.uk'],
    ['nicolò@città.it', 'nicolò@città.it'],
    ['info@pec.studio-bianchi.it', 'info@pec.studio-bianchi.it'],
  ])('accepts %j and sends %j (domain in lower case)', (input, value) => {
    expect(checkEmail(input)).toEqual({ ok: true, value });
  });

  it('calls a blank address empty', () => {
    expect(checkEmail('  ')).toMatchObject({ ok: false, issue: { code: 'email.empty' } });
  });

  it.each([
    'mario.rossi',
    'mario@rossi',
    '@example.it',
    'mario@',
    'mario@@example.it',
    'mario@a@example.it',
    'mario rossi@example.it',
    'mario@exa mple.it',
    'mario@example..it',
    'mario@.example.it',
    'mario@example.it.',
    'mario@-example.it',
    'mario@example.c',
    '.mario@example.it',
    'mario.@example.it',
    'ma..rio@example.it',
    'a@example.it, b@example.it',
    'a@example.it;b@example.it',
    '<mario@example.it>',
    `${'a'.repeat(65)}@example.it`,
    `mario@${'a'.repeat(250)}.it`,
  ])('refuses %j', (input) => {
    expect(checkEmail(input)).toMatchObject({ ok: false, issue: { code: 'email.format' } });
  });

  it('never quotes the address in its message', () => {
    const result = checkEmail('mario.rossi@example');
    expect(!result.ok && result.issue.message).not.toContain('mario');
  });
});
