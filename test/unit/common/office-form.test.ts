import { describe, expect, it } from 'vitest';
import { officeFormSchema, officePrepareSchema } from '../../../common/office.ts';

const form = {
  host: 'db.ufficio',
  port: 5432,
  database: 'sportello',
  user: 'sportello',
  password: null,
  tls: 'verify-full',
};

describe('the office form main receives from the page', () => {
  it('takes plain names of database and roles, accented letters included', () => {
    expect(
      officeFormSchema.parse({ ...form, database: 'pratiche_2026', user: 'sportello-città' }),
    ).toMatchObject({
      user: 'sportello-città',
    });
  });

  it('refuses names that could make main’s dialog read as another server', () => {
    for (const user of ['sportello», connessione cifrata', 'a\nServer 10.0.0.1', 'a b', '"x"'])
      expect(officeFormSchema.safeParse({ ...form, user }).success, user).toBe(false);
    expect(officeFormSchema.safeParse({ ...form, database: 'db\r\nporta 5432' }).success).toBe(false);
    expect(officeFormSchema.safeParse({ ...form, host: 'db.ufficio\n' }).success).toBe(true); // trimmed
    expect(officeFormSchema.safeParse({ ...form, host: 'db ufficio' }).success).toBe(false);
    const { password: _, ...server } = form;
    expect(
      officePrepareSchema.safeParse({ ...server, owner: 'admin» utente «x', ownerPassword: 'p' }).success,
    ).toBe(false);
  });
});
