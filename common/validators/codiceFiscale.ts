import { isCalendarDate } from './date.ts';
import { partitaIvaCheckDigit } from './partitaIva.ts';
import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

/*
 * Written out from DOMAIN.md rather than taken from @marketto/codice-fiscale-utils: the check is
 * a few lines, must be synchronous and renderer-sized, and the library dates a two-digit year
 * against the system clock by year only (a CF for December of the current year reads as a
 * future birth). The library serves as an independent oracle in the tests instead.
 */

export type CodiceFiscalePersonaInfo = {
  kind: 'persona';
  /** Some birth-data digits were replaced by letters to tell apart two people with the same code. */
  omocodico: boolean;
  /** `yyyy-mm-dd`; the century is the most recent one that does not put the birth in the future. */
  birthDate: string;
  sex: 'M' | 'F';
  /** Belfiore code of the birthplace, de-omocoded. */
  placeCode: string;
  /** Always null here: the place table is large and async, see `belfiore.ts` `lookupPlace`. */
  placeName: string | null;
  /** Born abroad (Belfiore `Z…`). */
  foreign: boolean;
};

/** The 11-digit numeric code: a person's temporary CF, or the CF of a company or body. */
export type CodiceFiscaleTemporaneoInfo = { kind: 'temporaneo' };

export type CodiceFiscaleInfo = CodiceFiscalePersonaInfo | CodiceFiscaleTemporaneoInfo;

const ODD_DIGITS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
const ODD_LETTERS = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
const MONTHS = 'ABCDEHLMPRST';
/** Replacement letters for the digits 0–9 in an omocodic code. */
export const OMOCODIA_LETTERS = 'LMNPQRSTUV';
/** 0-based positions of the digits omocodia may replace (1-based 7, 8, 10, 11, 13, 14, 15). */
export const OMOCODIA_POSITIONS: readonly number[] = [6, 7, 9, 10, 12, 13, 14];

/*
 * The Agenzia replaces omocodic digits rightmost first, but any subset is accepted here: the check
 * letter already catches typos, and the server, not the counter, is the authority on issuance.
 */
const PERSONA_SHAPE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** The check letter for the first 15 characters of a persona CF (upper case, omocodic or not). */
export function codiceFiscaleCheckLetter(first15: string): string {
  if (!/^[0-9A-Z]{15}$/.test(first15))
    throw new RangeError('codiceFiscaleCheckLetter needs 15 characters 0-9 A-Z');
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const code = first15.charCodeAt(i);
    const isDigit = code <= 57;
    const value = isDigit ? code - 48 : code - 65;
    // Positions are 1-based in the rule: index 0 is "odd".
    sum += i % 2 === 0 ? (isDigit ? ODD_DIGITS[value]! : ODD_LETTERS[value]!) : value;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Maps omocodia letters back to digits; other characters are left alone. */
export function deomocode(cf: string): string {
  const chars = [...cf];
  for (const i of OMOCODIA_POSITIONS) {
    const index = OMOCODIA_LETTERS.indexOf(chars[i] ?? '');
    if (index >= 0) chars[i] = String(index);
  }
  return chars.join('');
}

/**
 * A codice fiscale as people write it — grouped ("RSS MRA 85T10 A562S", as the app shows it), in
 * lower case, with blanks around — as the code itself: the form, the search and main all keep this.
 */
export function normalizeCodiceFiscale(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export function checkCodiceFiscale(input: string, options: { now?: Date } = {}): Check<CodiceFiscaleInfo> {
  const cf = normalizeCodiceFiscale(input);
  if (cf === '') return refuse('cf.empty', 'Codice fiscale mancante');
  if (/^\d+$/.test(cf)) {
    if (cf.length !== 11) return lengthIssue(cf.length);
    const expected = partitaIvaCheckDigit(cf.slice(0, 10));
    if (Number(cf[10]) !== expected) {
      const message = `Codice fiscale numerico non valido: l’ultima cifra dovrebbe essere ${expected}`;
      return refuse('cf.check', message, { expected: String(expected) });
    }
    return accept<CodiceFiscaleInfo>(cf, { kind: 'temporaneo' });
  }
  if (cf.length !== 16) return lengthIssue(cf.length);
  if (!PERSONA_SHAPE.test(cf)) {
    return refuse('cf.format', 'Codice fiscale non valido: lettere e cifre non sono nelle posizioni attese');
  }
  const expected = codiceFiscaleCheckLetter(cf.slice(0, 15));
  if (cf[15] !== expected) {
    const message = `Codice fiscale non valido: il carattere di controllo dovrebbe essere ${expected}`;
    return refuse('cf.check', message, { expected });
  }

  const plain = deomocode(cf);
  const month = MONTHS.indexOf(cf[8]!) + 1;
  const dayCode = Number(plain.slice(9, 11));
  const sex = dayCode > 40 ? 'F' : 'M';
  const day = sex === 'F' ? dayCode - 40 : dayCode;
  const year = birthYear(Number(plain.slice(6, 8)), month, day, options.now ?? new Date());
  if (dayCode > 71 || (dayCode > 31 && dayCode < 41) || !isCalendarDate(year, month, day)) {
    return refuse('cf.date', 'Codice fiscale non valido: la data di nascita non esiste');
  }
  const placeCode = plain.slice(11, 15);
  return accept<CodiceFiscaleInfo>(cf, {
    kind: 'persona',
    omocodico: plain !== cf,
    birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    sex,
    placeCode,
    placeName: null,
    foreign: placeCode.startsWith('Z'),
  });
}

function lengthIssue(length: number): Check<CodiceFiscaleInfo> {
  return refuse('cf.length', `Il codice fiscale ha 16 caratteri (o 11 cifre se provvisorio), non ${length}`, {
    length,
  });
}

/**
 * The code only keeps two digits of the year: take the latest century that does not put the
 * birth after `now` (local calendar day — that is the counter's "today").
 */
function birthYear(twoDigits: number, month: number, day: number, now: Date): number {
  const today = now.getFullYear() * 10_000 + (now.getMonth() + 1) * 100 + now.getDate();
  const year = Math.floor(now.getFullYear() / 100) * 100 + twoDigits;
  return year * 10_000 + month * 100 + day > today ? year - 100 : year;
}
