import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFolderName, requestFolderName } from '../../../main/documents/folders.ts';
import { safeName } from '../../../main/documents/safeName.ts';
import { AppError } from '../../../main/errors.ts';

const id = '5f2829ce065afc21cc60ad0e';

describe('archive folder names', () => {
  describe('client folder', () => {
    it('reads "Cognome Nome – CF", title-cased, with an en dash', () => {
      expect(clientFolderName({ cognome: 'ROSSI', nome: 'mario', codiceFiscale: 'rssmra85t10a562s' })).toBe(
        'Rossi Mario – RSSMRA85T10A562S',
      );
    });

    it.each([
      [{ cognome: 'DE LUCA', nome: 'maria grazia' }, 'De Luca Maria Grazia'],
      [{ cognome: "D'ANGELO", nome: 'Anna-Lisa' }, "D'Angelo Anna-Lisa"],
      [{ cognome: 'dell’orto', nome: 'NICCOLÒ' }, 'Dell’Orto Niccolò'],
      [{ cognome: '  Rossi  ', nome: '  ' }, 'Rossi'],
    ])('title-cases compound Italian names: %j', (names, expected) => {
      expect(clientFolderName({ ...names, codiceFiscale: 'RSSMRA85T10A562S' })).toBe(
        `${expected} – RSSMRA85T10A562S`,
      );
    });

    it('tidies a CF typed with spaces or dots', () => {
      expect(
        clientFolderName({ cognome: 'Rossi', nome: 'Mario', codiceFiscale: ' rss mra 85t10.a562s ' }),
      ).toBe('Rossi Mario – RSSMRA85T10A562S');
    });

    it('files a company (no names) under its CF or partita IVA', () => {
      expect(clientFolderName({ cognome: null, nome: null, codiceFiscale: '01234567890' })).toBe(
        '01234567890',
      );
      expect(clientFolderName({ codiceFiscale: 'RSSMRA85T10A562S' })).toBe('RSSMRA85T10A562S');
    });

    it('keeps the names when the CF is missing, and says "Senza nome" when everything is', () => {
      expect(clientFolderName({ cognome: 'Rossi', nome: 'Mario', codiceFiscale: null })).toBe('Rossi Mario');
      expect(clientFolderName({ cognome: null, nome: null, codiceFiscale: null })).toBe('Senza nome');
      expect(clientFolderName({ cognome: ' ', nome: '', codiceFiscale: '---' })).toBe('Senza nome');
    });

    it('makes hostile names safe and keeps the CF whole after a very long name', () => {
      expect(
        clientFolderName({ cognome: '../..', nome: 'C:\\Windows', codiceFiscale: 'RSSMRA85T10A562S' }),
      ).toBe('_.. C__windows – RSSMRA85T10A562S');
      expect(clientFolderName({ cognome: 'con', nome: null, codiceFiscale: null })).toBe('_Con');
      const long = clientFolderName({
        cognome: 'Rossi'.repeat(40),
        nome: 'Mario',
        codiceFiscale: 'RSSMRA85T10A562S',
      });
      expect(long.endsWith(' – RSSMRA85T10A562S')).toBe(true);
      expect(long.length).toBeLessThanOrEqual(120);
    });

    it('is always a safe name, whatever the input', () => {
      const part = fc.option(fc.string({ unit: 'binary', maxLength: 200 }));
      fc.assert(
        fc.property(part, part, part, (cognome, nome, codiceFiscale) => {
          const name = clientFolderName({ cognome, nome, codiceFiscale });
          expect(name).not.toBe('');
          expect(safeName(name, { keepExtension: false })).toBe(name);
        }),
      );
    });
  });

  describe('request folder', () => {
    it('reads "aaaa-mm-gg servizio – id"', () => {
      expect(
        requestFolderName({
          date: new Date('2026-11-23T10:00:00Z'),
          serviceName: 'Indennità per congedo parentale',
          remoteId: id,
        }),
      ).toBe(`2026-11-23 Indennità per congedo parentale – ${id}`);
    });

    it('dates the folder in Italy, winter and summer time alike', () => {
      const at = (iso: string) =>
        requestFolderName({ date: new Date(iso), serviceName: 'ISEE', remoteId: id });
      expect(at('2026-11-22T23:30:00Z')).toBe(`2026-11-23 ISEE – ${id}`); // 00:30 CET
      expect(at('2026-07-14T22:30:00Z')).toBe(`2026-07-15 ISEE – ${id}`); // 00:30 CEST
      expect(at('2026-07-14T21:30:00Z')).toBe(`2026-07-14 ISEE – ${id}`); // 23:30 CEST
    });

    it('shortens a long service name at a word boundary, with an ellipsis', () => {
      const name = requestFolderName({
        date: new Date('2026-03-02T09:00:00Z'),
        serviceName:
          'Riscatto (accredito figurativo) del servizio militare obbligatorio per lavoratori, pensionati e superstiti',
        remoteId: id,
      });
      expect(name).toBe(`2026-03-02 Riscatto (accredito figurativo) del servizio militare… – ${id}`);
    });

    it('cuts a single overlong word when there is no boundary to use', () => {
      const name = requestFolderName({
        date: new Date('2026-03-02T09:00:00Z'),
        serviceName: 'X'.repeat(100),
        remoteId: id,
      });
      expect(name).toBe(`2026-03-02 ${'X'.repeat(59)}… – ${id}`);
    });

    it('makes a hostile service name and id safe', () => {
      expect(
        requestFolderName({
          date: new Date('2026-03-02T09:00:00Z'),
          serviceName: 'ISEE: 2026/2027?',
          remoteId: '../x',
        }),
      ).toBe('2026-03-02 ISEE_ 2026_2027_ – _x');
      expect(
        requestFolderName({ date: new Date('2026-03-02T09:00:00Z'), serviceName: '', remoteId: '' }),
      ).toBe('2026-03-02 Servizio');
    });

    it('refuses an invalid date rather than inventing one', () => {
      expect(() =>
        requestFolderName({ date: new Date(Number.NaN), serviceName: 'ISEE', remoteId: id }),
      ).toThrow(AppError);
    });
  });
});
