import { describe, expect, it } from 'vitest';
import { checkField, checkFieldFor, effectiveKind, kindOfTipo } from '../../../../common/validators/field.ts';

const PDF = `documento.pdf|data:application/pdf;base64,${Buffer.from('%PDF-1.7').toString('base64')}`;
const NOW = new Date(2026, 10, 23);

describe('form fields', () => {
  describe('the check used for each Visengine tipo', () => {
    it.each([
      ['testo', 'text'],
      ['denominazione', 'text'],
      ['email', 'email'],
      ['codice_fiscale_persona_fisica', 'codiceFiscalePersona'],
      ['codice_fiscale', 'codiceFiscale'],
      ['partita_iva', 'partitaIva'],
      ['cod_comune', 'comune'],
      ['cod_provincia', 'provincia'],
      ['data_iso8601', 'date'],
      ['file', 'file'],
      ['urgenza', 'text'],
      ['', 'text'],
      ['toString', 'text'],
      ['__proto__', 'text'],
    ])('checks %j as %s', (tipo, kind) => {
      expect(kindOfTipo(tipo)).toBe(kind);
    });
  });

  describe('values by tipo', () => {
    it.each([
      ['testo', '  Mario   Rossi ', 'Mario Rossi'],
      ['denominazione', 'Patronato  ACME', 'Patronato ACME'],
      ['email', 'Mario@Example.IT', 'Mario@example.it'],
      ['codice_fiscale_persona_fisica', 'rssmra85t10a562s', 'RSSMRA85T10A562S'],
      ['codice_fiscale_persona_fisica', '12345678903', '12345678903'],
      ['codice_fiscale', 'RSSMRA85T10A56NH', 'RSSMRA85T10A56NH'],
      ['codice_fiscale', '00743110157', '00743110157'],
      ['partita_iva', 'IT00743110157', '00743110157'],
      ['cod_comune', 'h501', 'H501'],
      ['cod_provincia', 'rm', 'RM'],
      ['data_iso8601', '5/3/2024', '05-03-2024'],
      ['file', PDF, PDF],
      ['tipo_nuovo', ' qualcosa ', 'qualcosa'],
    ])('%s accepts %j as %j', (tipo, input, value) => {
      expect(checkField(tipo, input, { now: NOW })).toMatchObject({ ok: true, value });
    });

    it.each([
      ['email', 'mario', 'email.format'],
      ['codice_fiscale_persona_fisica', 'RSSMRA85T10A562T', 'cf.check'],
      ['partita_iva', '00743110158', 'piva.check'],
      ['cod_comune', 'Roma', 'comune.format'],
      ['cod_provincia', 'XX', 'provincia.unknown'],
      ['data_iso8601', '31/02/2024', 'date.invalid'],
      ['file', 'documento.pdf', 'file.format'],
    ])('%s refuses %j with %s', (tipo, input, code) => {
      expect(checkField(tipo, input)).toMatchObject({ ok: false, issue: { code } });
    });

    it('passes the birth data of a codice fiscale on', () => {
      expect(checkField('codice_fiscale_persona_fisica', 'RSSMRA85T10A562S', { now: NOW })).toMatchObject({
        ok: true,
        info: { kind: 'persona', birthDate: '1985-12-10', sex: 'M' },
      });
    });

    it.each(['testo', 'email', 'codice_fiscale', 'file', 'sconosciuto'])(
      'refuses an empty %s value as field.empty',
      (tipo) => {
        expect(checkField(tipo, '')).toMatchObject({ ok: false, issue: { code: 'field.empty' } });
        expect(checkField(tipo, ' \n ')).toMatchObject({ ok: false, issue: { code: 'field.empty' } });
      },
    );
  });

  describe('refinement by field name', () => {
    it.each([
      [{ tipo: 'testo', nome: 'CELLULARE' }, 'mobile'],
      [{ tipo: 'testo', nome: 'Numero di telefono' }, 'mobile'],
      [{ tipo: 'testo', nome: 'Recapito telefonico' }, 'mobile'],
      [{ tipo: 'testo', nome: 'Tel.' }, 'mobile'],
      [{ tipo: 'testo', nome: 'Mobile' }, 'mobile'],
      [{ tipo: 'testo', nome: 'Mobile phone' }, 'mobile'],
      [{ tipo: 'tipo_nuovo', nome: 'Cellulare' }, 'mobile'],
      [{ tipo: 'testo', nome: 'Telefono fisso' }, 'phone'],
      [{ tipo: 'testo', nome: 'Email' }, 'email'],
      [{ tipo: 'testo', nome: 'Indirizzo PEC' }, 'email'],
      [{ tipo: 'testo', nome: 'Nome' }, 'text'],
      [{ tipo: 'testo', nome: 'Dati immobile' }, 'text'],
      [{ tipo: 'testo', nome: 'Targa automobile' }, 'text'],
      [{ tipo: 'testo', nome: 'Bene mobile registrato' }, 'text'],
      [{ tipo: 'testo', nome: 'Hotel' }, 'text'],
      [{ tipo: 'testo', nome: 'Specifiche' }, 'text'],
      [{ tipo: 'email', nome: 'CELLULARE' }, 'email'],
      [{ tipo: 'file', nome: 'Copia email' }, 'file'],
    ])('checks %j as %s', (field, kind) => {
      expect(effectiveKind(field)).toBe(kind);
    });

    it('checks the seed CELLULARE field, typed as testo, as a mobile number', () => {
      const field = { tipo: 'testo', nome: 'CELLULARE' };
      expect(checkFieldFor(field, '333 1234567')).toMatchObject({ ok: true, value: '+393331234567' });
      expect(checkFieldFor(field, '06 1234 5678')).toMatchObject({
        ok: false,
        issue: { code: 'phone.notMobile' },
      });
      expect(checkFieldFor(field, '')).toMatchObject({ ok: false, issue: { code: 'field.empty' } });
    });

    it('leaves plain text fields alone', () => {
      expect(checkFieldFor({ tipo: 'testo', nome: 'COGNOME' }, ' De  Rossi ')).toEqual({
        ok: true,
        value: 'De Rossi',
      });
    });
  });
});
