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

/** Who the request is for, picked from the form by field names and kinds. */
export function clientOf(fields: readonly Field[], values: Record<string, string>): ClientData {
  const first = (test: (f: Field) => boolean) => {
    const field = fields.find((f) => test(f) && (values[f.key] ?? '').trim() !== '');
    return field ? values[field.key]!.trim() : null;
  };
  const cognome = first((f) => COGNOME.test(f.nome)) ?? first((f) => DENOMINAZIONE.test(f.nome));
  return {
    nome: first((f) => NOME.test(f.nome)),
    cognome,
    codiceFiscale: first((f) => {
      const kind = effectiveKind(f);
      return kind === 'codiceFiscalePersona' || kind === 'codiceFiscale';
    }),
    email: first((f) => effectiveKind(f) === 'email'),
    phone: first((f) => {
      const kind = effectiveKind(f);
      return kind === 'mobile' || kind === 'phone';
    }),
  };
}
