import { describe, expect, it } from 'vitest';
import type { Field } from '../../../common/catalog.ts';
import { valuesFromDocument, type DocumentHolder } from '../../../common/form.ts';

const field = (index: number, nome: string, tipo = 'testo'): Field => ({
  key: `$${index}`,
  index,
  nome,
  tipo,
  nullable: false,
  ordine: index,
  istruzioni: '',
  opzioni: null,
});

const HOLDER: DocumentHolder = {
  cognome: 'DE LUCA',
  nome: 'MARIA GRAZIA',
  birthDate: '1985-12-10',
  sex: 'F',
  documentNumber: 'CA12345AB',
  expiry: '2031-12-10',
};

describe('what an identity document fills in the form', () => {
  it('fills name and surname where the seed services ask for them, written as a clerk writes them', () => {
    const congedo = [
      field(0, 'Nome'),
      field(1, 'COGNOME'),
      field(2, 'Email', 'email'),
      field(3, 'CELLULARE'),
      field(4, 'CODICE FISCALE', 'codice_fiscale_persona_fisica'),
      field(5, 'COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO', 'file'),
    ];
    expect(valuesFromDocument(congedo, HOLDER)).toEqual({ $0: 'Maria Grazia', $1: 'De Luca' });
  });

  it('fills birth date, sex, the document’s number and expiry where a service asks for them', () => {
    const form = [
      field(0, 'NOME'),
      field(1, 'COGNOME'),
      field(2, 'DATA CESSAZIONE RAPPORTO DI LAVORO', 'data_iso8601'),
      field(3, 'DATA DI NASCITA', 'data_iso8601'),
      field(4, 'SESSO'),
      field(5, 'NUMERO DOCUMENTO D`IDENTITÀ'),
      field(6, 'SCADENZA DOCUMENTO'),
    ];
    expect(valuesFromDocument(form, HOLDER)).toEqual({
      $0: 'Maria Grazia',
      $1: 'De Luca',
      $3: '1985-12-10',
      $4: 'F',
      $5: 'CA12345AB',
      $6: '2031-12-10',
    });
  });

  it('fills nothing the document does not say (names a misread zone could not split)', () => {
    const form = [field(0, 'Nome'), field(1, 'COGNOME'), field(2, 'DATA DI NASCITA', 'data_iso8601')];
    expect(valuesFromDocument(form, { ...HOLDER, cognome: '', nome: '', birthDate: null })).toEqual({});
  });
});
