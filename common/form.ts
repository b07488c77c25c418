import type { Field, ServiceDetail } from './catalog.ts';
import { effectiveKind, checkFieldFor } from './validators/field.ts';
import type { FieldIssue } from './validators/result.ts';
import {
  evaluateValidazione,
  missingForValidazione,
  parseValidazione,
  type ValidazioneExpr,
} from './validazione.ts';

export interface FormCheck {
  /** Normalised values of the filled non-file fields, ready to send. */
  values: Record<string, string>;
  /** Fields whose value is refused, by key. */
  issues: Record<string, FieldIssue>;
  /** True when `validazione` holds (files counted by presence). */
  satisfied: boolean;
  /** The smallest set of empty fields whose filling satisfies `validazione`, by key. */
  missing: string[];
}

/**
 * The one form check, run live in the renderer and again in main before money is spent: each
 * filled field by its kind, then the service's `validazione` over what is filled.
 */
export function checkForm(
  service: Pick<ServiceDetail, 'fields' | 'validazione'>,
  input: Record<string, string>,
  filesPresent: ReadonlySet<string>,
  options: { now?: Date } = {},
): FormCheck {
  const values: Record<string, string> = {};
  const issues: Record<string, FieldIssue> = {};
  for (const field of service.fields) {
    if (field.tipo === 'file') continue;
    const raw = input[field.key] ?? '';
    if (raw.trim() === '') continue;
    const check = checkFieldFor(field, raw, options);
    if (check.ok) values[field.key] = check.value;
    else issues[field.key] = check.issue;
  }
  const filled = (index: number) => {
    const key = `$${index}`;
    return filesPresent.has(key) || (values[key] !== undefined && !(key in issues));
  };
  const expr = expressionOf(service);
  const satisfied = evaluateValidazione(expr, filled);
  const missing = satisfied ? [] : (missingForValidazione(expr, filled) ?? []).map((i) => `$${i}`);
  return { values, issues, satisfied, missing };
}

/** The service's rule; a rule we cannot parse falls back to "every field marked not-null". */
export function expressionOf(service: Pick<ServiceDetail, 'fields' | 'validazione'>): ValidazioneExpr {
  try {
    return parseValidazione(service.validazione);
  } catch {
    const required = service.fields.filter((f) => !f.nullable);
    return required.length
      ? { kind: 'and', items: required.map((f) => ({ kind: 'field', index: f.index })) }
      : { kind: 'true' };
  }
}

export interface ClientData {
  nome: string | null;
  cognome: string | null;
  codiceFiscale: string | null;
  email: string | null;
  phone: string | null;
}

const NOME = /^\s*nome\s*$|^\s*nome (del )?(richiedente|dichiarante|assistito)/i;
const COGNOME = /^\s*cognome\b/i;
const DENOMINAZIONE = /denominazione|ragione sociale/i;

/** Which field of a form holds each piece of the client's identity (the first that fits). */
export function clientFields(fields: readonly Field[]): Record<keyof ClientData, Field[]> {
  const all = (test: (f: Field) => boolean) => fields.filter((f) => f.tipo !== 'file' && test(f));
  return {
    nome: all((f) => NOME.test(f.nome)),
    cognome: [...all((f) => COGNOME.test(f.nome)), ...all((f) => DENOMINAZIONE.test(f.nome))],
    codiceFiscale: all((f) => {
      const kind = effectiveKind(f);
      return kind === 'codiceFiscalePersona' || kind === 'codiceFiscale';
    }),
    email: all((f) => effectiveKind(f) === 'email'),
    phone: all((f) => {
      const kind = effectiveKind(f);
      return kind === 'mobile' || kind === 'phone';
    }),
  };
}

/** Who the request is for, picked from the form by field names and kinds. */
export function clientOf(fields: readonly Field[], values: Record<string, string>): ClientData {
  const slots = clientFields(fields);
  const first = (candidates: Field[]) => {
    const field = candidates.find((f) => (values[f.key] ?? '').trim() !== '');
    return field ? values[field.key]!.trim() : null;
  };
  return {
    nome: first(slots.nome),
    cognome: first(slots.cognome),
    codiceFiscale: first(slots.codiceFiscale),
    email: first(slots.email),
    phone: first(slots.phone),
  };
}

/**
 * The form's values for a known client: each piece of `client` in the first field that asks for
 * it. What a new request for a returning client starts from.
 */
export function valuesForClient(fields: readonly Field[], client: ClientData): Record<string, string> {
  const slots = clientFields(fields);
  const out: Record<string, string> = {};
  for (const key of ['nome', 'cognome', 'codiceFiscale', 'email', 'phone'] as const) {
    const value = client[key]?.trim();
    const field = slots[key][0];
    if (value && field && !(field.key in out)) out[field.key] = value;
  }
  return out;
}

/** What an identity document's machine-readable zone tells of its holder (common/reading.ts). */
export interface DocumentHolder {
  cognome: string;
  nome: string;
  /** yyyy-mm-dd */
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  documentNumber: string;
  /** yyyy-mm-dd */
  expiry: string | null;
}

const BIRTH_DATE = /data (di )?nascita|nato il|nata il/i;
const SEX = /^\s*sesso\b|\bgenere\b/i;
const DOCUMENT_NUMBER = /\b(numero|n\.|nr\.?)\s*(del )?(documento|carta d|passaporto)/i;
const DOCUMENT_EXPIRY = /scadenz/i;
const DOCUMENT = /document|identit|carta d|passaport/i;

/**
 * The fields of a form an identity document can fill, the first that fits each: the holder's
 * name and surname where the client's go (clientFields), and — when the service asks for them —
 * birth date, sex, the document's number and its expiry, found by their names.
 */
export function documentFields(fields: readonly Field[]): Record<keyof DocumentHolder, Field | undefined> {
  const inputs = fields.filter((f) => f.tipo !== 'file');
  const client = clientFields(fields);
  return {
    cognome: client.cognome.find((f) => COGNOME.test(f.nome)),
    nome: client.nome[0],
    birthDate: inputs.find((f) => BIRTH_DATE.test(f.nome)),
    sex: inputs.find((f) => SEX.test(f.nome)),
    documentNumber: inputs.find((f) => DOCUMENT_NUMBER.test(f.nome)),
    expiry: inputs.find((f) => DOCUMENT_EXPIRY.test(f.nome) && DOCUMENT.test(f.nome)),
  };
}

/** "ROSSI" → "Rossi", "DE LUCA" → "De Luca": how a clerk types a name. */
const capitalised = (name: string) =>
  name
    .toLowerCase()
    .replace(/(^|[\s'’-])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());

/** The values an identity document gives the form, by field key: only what the document says. */
export function valuesFromDocument(fields: readonly Field[], holder: DocumentHolder): Record<string, string> {
  const slots = documentFields(fields);
  const values: Partial<Record<keyof DocumentHolder, string | null>> = {
    cognome: holder.cognome ? capitalised(holder.cognome) : null,
    nome: holder.nome ? capitalised(holder.nome) : null,
    birthDate: holder.birthDate,
    sex: holder.sex,
    documentNumber: holder.documentNumber || null,
    expiry: holder.expiry,
  };
  const out: Record<string, string> = {};
  for (const [part, value] of Object.entries(values) as [keyof DocumentHolder, string | null][]) {
    const field = slots[part];
    if (value && field && !(field.key in out)) out[field.key] = value;
  }
  return out;
}
