import { z } from 'zod';

/*
 * The pratica's number the client is given, read over the phone: the office's prefix, the year and
 * a sequence ("RM1-2026-000123"). Main gives it in the register when a request first leaves the
 * draft (store/requests.ts assignNumber); the prefix is the office's (Impostazioni, first start).
 */

/** The office's prefix: letters and digits, at most 6 (none: the number starts with the year). */
export const numberPrefixSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{0,6}$/, 'Il prefisso ha al massimo 6 lettere o cifre, senza spazi né simboli');

/** "RM1-2026-000123"; "2026-000123" without a prefix. The sequence has 6 digits or more. */
export function formatPraticaNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix ? `${prefix}-` : ''}${year}-${String(sequence).padStart(6, '0')}`;
}
