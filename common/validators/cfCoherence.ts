import { CFMismatchValidator } from '@marketto/codice-fiscale-utils';
import { checkCodiceFiscale } from './codiceFiscale.ts';

/*
 * Whether a codice fiscale belongs to the person the form (or their document's MRZ) describes:
 * its surname and name letters, its birth date and its sex. @marketto/codice-fiscale-utils
 * compares the letters (consonants, vowels, the X filler, the first/third/fourth consonant of a
 * long name, accents folded); the date and sex come from this app's own reading of the code
 * (codiceFiscale.ts), omocodia undone and the century left out, since the code does not carry it.
 * A mismatch is a warning, never a refusal: the Agenzia issues codes that break the rule (a name
 * changed since, a foreign-born client's transliterated name).
 */

export const cfParts = ['cognome', 'nome', 'birthDate', 'sex'] as const;
export type CfPart = (typeof cfParts)[number];

export interface Holder {
  cognome?: string | null;
  nome?: string | null;
  /** yyyy-mm-dd */
  birthDate?: string | null;
  sex?: 'M' | 'F' | null;
}

/** The place lookups of the library are never used here: its name and date checks need none. */
const NO_PLACES = null as unknown as ConstructorParameters<typeof CFMismatchValidator>[0];

/** Letters and spaces only, accents kept (the library folds them), apostrophes and dashes as spaces. */
const letters = (name: string) =>
  name
    .replace(/[^\p{L}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The parts of a persona codice fiscale the holder's data contradicts, in form order; empty when
 * everything given agrees (what is not given is not compared). Null for a code that is not a
 * valid persona CF: its own check says why.
 */
export function cfMismatches(cf: string, holder: Holder): CfPart[] | null {
  const check = checkCodiceFiscale(cf);
  if (!check.ok || check.info?.kind !== 'persona') return null;
  const info = check.info;
  const validator = new CFMismatchValidator(NO_PLACES, check.value);
  const out: CfPart[] = [];
  const cognome = letters(holder.cognome ?? '');
  const nome = letters(holder.nome ?? '');
  if (cognome && validator.mismatchLastName(cognome)) out.push('cognome');
  if (nome && validator.mismatchFirstName(nome)) out.push('nome');
  // Two digits of the year only: 1925 and 2025 read the same in a code.
  if (
    holder.birthDate &&
    /^\d{4}-\d{2}-\d{2}$/.test(holder.birthDate) &&
    holder.birthDate.slice(2) !== info.birthDate.slice(2)
  )
    out.push('birthDate');
  if (holder.sex && holder.sex !== info.sex) out.push('sex');
  return out;
}
