import { evaluateValidazione, missingForValidazione, parseValidazione } from '../../common/validazione.ts';
import type { SimService } from './catalog.ts';

/*
 * The checks the real service does when a request is validated (POST state 1, test:true, or the
 * closing PUT). Kept independent of the client's validators on purpose: the simulator stands in
 * for a server that does not share our code, so a client-side bug must not be mirrored here.
 */

export type CheckFailure =
  | { kind: 'insufficient'; missing: string[] }
  | { kind: 'invalid'; fields: Record<string, string> }
  | { kind: 'email' };

const ODD: Record<string, number> = {};
const EVEN: Record<string, number> = {};
{
  const oddDigits = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
  const oddLetters = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
  ];
  for (let i = 0; i < 10; i++) {
    ODD[String(i)] = oddDigits[i]!;
    EVEN[String(i)] = i;
  }
  for (let i = 0; i < 26; i++) {
    const letter = String.fromCharCode(65 + i);
    ODD[letter] = oddLetters[i]!;
    EVEN[letter] = i;
  }
}

const OMOCODIA = 'LMNPQRSTUV';

export function isValidCodiceFiscale(raw: string): boolean {
  const cf = raw.trim().toUpperCase();
  if (/^\d{11}$/.test(cf)) return luhnPiva(cf);
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(cf))
    return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += (i % 2 === 0 ? ODD : EVEN)[cf[i]!]!;
  if (String.fromCharCode(65 + (sum % 26)) !== cf[15]) return false;
  const day = Number(
    cf
      .slice(9, 11)
      .split('')
      .map((c) => (OMOCODIA.includes(c) ? OMOCODIA.indexOf(c) : c))
      .join(''),
  );
  return (day >= 1 && day <= 31) || (day >= 41 && day <= 71);
}

export function luhnPiva(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let n = Number(digits[i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[10]);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FILE = /^[^|]+\|data:[\w.+-]+\/[\w.+-]+;base64,[A-Za-z0-9+/]+={0,2}$/;

/**
 * A value the service refuses although it looks well formed (a phone number not in service, a
 * codice fiscale the registry does not know): set by tests and the admin API, so that a refusal
 * only the server can make is played.
 */
export interface DataRule {
  /** The field's key ("$4"). */
  field: string;
  /** A regular expression the value is tested against. */
  pattern: string;
  /** The service's message for the field. */
  message: string;
}

/** Validates the data of a request the way the real service does before accepting it. */
export function checkRequestData(
  service: SimService,
  json: Record<string, string>,
  emailTarget: string | null,
  rules: readonly DataRule[] = [],
): CheckFailure | null {
  if (emailTarget && !EMAIL.test(emailTarget)) return { kind: 'email' };
  const filled = (i: number) => (json[`$${i}`] ?? '').trim() !== '';
  const expr = parseValidazione(service.json_struttura.validazione);
  if (!evaluateValidazione(expr, filled)) {
    const missing = missingForValidazione(expr, filled) ?? [];
    return { kind: 'insufficient', missing: missing.map((i) => `$${i}`) };
  }
  const invalid: Record<string, string> = {};
  for (const [key, campo] of Object.entries(service.json_struttura.campi)) {
    const value = (json[key] ?? '').trim();
    if (!value) continue;
    switch (campo.tipo) {
      case 'email':
        if (!EMAIL.test(value)) return { kind: 'email' };
        break;
      case 'codice_fiscale_persona_fisica':
      case 'codice_fiscale':
        if (!isValidCodiceFiscale(value)) invalid[key] = `${campo.nome}: codice fiscale non valido`;
        break;
      case 'partita_iva':
        if (!luhnPiva(value) && !isValidCodiceFiscale(value))
          invalid[key] = `${campo.nome}: partita IVA non valida`;
        break;
      case 'cod_comune':
        if (!/^[A-Za-z][0-9]{3}$/.test(value)) invalid[key] = `${campo.nome}: codice comune non valido`;
        break;
      case 'cod_provincia':
        if (!/^[A-Za-z]{2}$/.test(value)) invalid[key] = `${campo.nome}: sigla provincia non valida`;
        break;
      case 'data_iso8601':
        if (!/^\d{2}-\d{2}-\d{4}$/.test(value)) invalid[key] = `${campo.nome}: data non valida (gg-mm-aaaa)`;
        break;
      case 'file':
        if (!FILE.test(value)) invalid[key] = `${campo.nome}: formato file non valido`;
        break;
      default:
        break;
    }
  }
  for (const rule of rules) {
    const value = (json[rule.field] ?? '').trim();
    if (value && new RegExp(rule.pattern).test(value)) invalid[rule.field] = rule.message;
  }
  return Object.keys(invalid).length ? { kind: 'invalid', fields: invalid } : null;
}
