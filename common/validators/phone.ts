import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { NumberType } from 'libphonenumber-js/min';
import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

export type PhoneInfo = {
  kind: 'phone';
  /** ISO 3166 country of the number, when the metadata can tell. */
  country: string | null;
  type: NumberType | null;
};

/** What people type around the digits: anything else (letters, "ext") is refused, not guessed. */
const PHONE_CHARACTERS = /^[+\d\s()./-]+$/;

/** Any valid number, Italian by default, sent in E.164 (`+39…`). */
export function checkPhone(input: string): Check<PhoneInfo> {
  const text = input.trim();
  if (text === '') return refuse('phone.empty', 'Numero di telefono mancante');
  const number = PHONE_CHARACTERS.test(text) ? parsePhoneNumberFromString(text, 'IT') : undefined;
  if (!number?.isValid()) return refuse('phone.format', 'Numero di telefono non valido');
  return accept(number.number, {
    kind: 'phone',
    country: number.country ?? null,
    type: number.getType() ?? null,
  });
}

/**
 * A mobile number: the CELLULARE field is where the service sends its SMS. The `min` metadata
 * knows the number types for Italy; for most other countries it does not (type null), and a
 * valid foreign number is then accepted rather than refused on a guess.
 */
export function checkMobile(input: string): Check<PhoneInfo> {
  const result = checkPhone(input);
  if (!result.ok) return result;
  const type = result.info?.type ?? null;
  if (type !== null && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    return refuse('phone.notMobile', `Il numero non è un cellulare (${type})`, { type });
  }
  return result;
}
