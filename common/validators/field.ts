import { checkCodComune } from './comune.ts';
import { checkCodiceFiscale } from './codiceFiscale.ts';
import type { CodiceFiscaleInfo } from './codiceFiscale.ts';
import { checkDate } from './date.ts';
import type { DateInfo } from './date.ts';
import { checkEmail } from './email.ts';
import { checkFileString } from './fileString.ts';
import type { FileInfo } from './fileString.ts';
import { checkPartitaIva } from './partitaIva.ts';
import { checkMobile, checkPhone } from './phone.ts';
import type { PhoneInfo } from './phone.ts';
import { checkCodProvincia } from './provincia.ts';
import { refuse } from './result.ts';
import type { Check } from './result.ts';
import { checkText } from './text.ts';

/** How a field is checked and, in the renderer, which input it gets. */
export type FieldKind =
  | 'text'
  | 'email'
  | 'mobile'
  | 'phone'
  | 'codiceFiscalePersona'
  | 'codiceFiscale'
  | 'partitaIva'
  | 'comune'
  | 'provincia'
  | 'date'
  | 'file';

export type FieldInfo = CodiceFiscaleInfo | DateInfo | FileInfo | PhoneInfo;

const KIND_OF_TIPO: Readonly<Record<string, FieldKind>> = {
  testo: 'text',
  denominazione: 'text',
  email: 'email',
  codice_fiscale_persona_fisica: 'codiceFiscalePersona',
  codice_fiscale: 'codiceFiscale',
  partita_iva: 'partitaIva',
  cod_comune: 'comune',
  cod_provincia: 'provincia',
  data_iso8601: 'date',
  file: 'file',
};

/** Visengine's `tipo` → kind; the catalog changes without notice, so unknown types are text. */
export function kindOfTipo(tipo: string): FieldKind {
  return Object.hasOwn(KIND_OF_TIPO, tipo) ? KIND_OF_TIPO[tipo]! : 'text';
}

/**
 * Whole words only, and "mobile" only where it means a phone: Patronato and CAF forms are full of
 * "immobile", "automobile" and "bene mobile".
 */
const PHONE_NAME = /\b(?:cellulare|cell|telefono|telefonico|tel|phone|numero mobile)\b|^\s*mobile\s*$/i;
const EMAIL_NAME = /\b(?:e-?mail|pec)\b/i;

/**
 * The kind actually used for a field: the catalog types some fields only as text (the seeds have
 * CELLULARE as `testo`), so a text field is refined by its name. Only text is refined: an
 * explicit `tipo` always wins over a name.
 */
export function effectiveKind(field: { tipo: string; nome: string }): FieldKind {
  const kind = kindOfTipo(field.tipo);
  if (kind !== 'text') return kind;
  const nome = field.nome;
  if (PHONE_NAME.test(nome)) return /\bfisso\b/i.test(nome) ? 'phone' : 'mobile';
  if (EMAIL_NAME.test(nome)) return 'email';
  return 'text';
}

/** Checks a value for a Visengine `tipo`. Empty is refused: whether it may be empty is `validazione`'s call. */
export function checkField(tipo: string, value: string, options: { now?: Date } = {}): Check<FieldInfo> {
  return checkKind(kindOfTipo(tipo), value, options);
}

/** Like `checkField`, with the name-based refinement of `effectiveKind`. */
export function checkFieldFor(
  field: { tipo: string; nome: string },
  value: string,
  options: { now?: Date } = {},
): Check<FieldInfo> {
  return checkKind(effectiveKind(field), value, options);
}

export function checkKind(kind: FieldKind, value: string, options: { now?: Date } = {}): Check<FieldInfo> {
  if (value.trim() === '') return refuse('field.empty', 'Campo vuoto');
  switch (kind) {
    case 'text':
      return checkText(value);
    case 'email':
      return checkEmail(value);
    case 'mobile':
      return checkMobile(value);
    case 'phone':
      return checkPhone(value);
    // Both accept the 11-digit numeric code too: persons get one as a temporary CF (e.g. while
    // awaiting the definitive one), and refusing it would turn away a client the API accepts.
    case 'codiceFiscalePersona':
    case 'codiceFiscale':
      return checkCodiceFiscale(value, options);
    case 'partitaIva':
      return checkPartitaIva(value);
    case 'comune':
      return checkCodComune(value);
    case 'provincia':
      return checkCodProvincia(value);
    case 'date':
      return checkDate(value);
    case 'file':
      return checkFileString(value);
  }
}
