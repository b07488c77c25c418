import { normalizeCodiceFiscale } from '../../../common/validators/codiceFiscale.ts';

/*
 * How a codice fiscale is typed: the field keeps the code itself (no blanks, upper case: what is
 * checked, saved and sent) and shows it in the groups the app prints it in, "RSS MRA 85T10 A562S",
 * as it grows. Whatever the clerk types or pastes — "rss mra 85t10 a562s", " RSSMRA85T10A562S ",
 * the grouped code copied from a receipt — becomes the code; the caret stays after the same
 * character of the code, so that editing in the middle works as in any field.
 */

/** Where the groups of a persona code end: surname, name, birth date and sex, place and check. */
const GROUP_ENDS = [3, 6, 11];

/** The code as shown while typing; a numeric (temporary) code is not grouped. */
export function groupedWhileTyping(code: string): string {
  if (!/^[A-Z]/.test(code)) return code;
  let out = '';
  for (const [i, ch] of [...code].entries()) out += (GROUP_ENDS.includes(i) ? ' ' : '') + ch;
  return out;
}

/** The caret's place in the shown text, just after the `count`-th character of the code. */
export function caretAfter(shown: string, count: number): number {
  if (count <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < shown.length; i++) if (shown[i] !== ' ' && ++seen === count) return i + 1;
  return shown.length;
}

export interface CfEdit {
  /** The code after the edit. */
  code: string;
  /** How many characters of the code stand before the caret. */
  caret: number;
}

/**
 * What an input event did to the code. `text` is the field's text after it, `caret` where the
 * caret is in that text, `inputType` the browser's name for the edit. Deleting a group's blank
 * would change nothing, so it deletes the character beyond it, as the key means to.
 */
export function editCf(before: string, text: string, caret: number, inputType = ''): CfEdit {
  const code = normalizeCodiceFiscale(text);
  const kept = normalizeCodiceFiscale(text.slice(0, caret)).length;
  if (code !== before) return { code, caret: kept };
  if (inputType === 'deleteContentBackward' && kept > 0)
    return { code: code.slice(0, kept - 1) + code.slice(kept), caret: kept - 1 };
  if (inputType === 'deleteContentForward' && kept < code.length)
    return { code: code.slice(0, kept) + code.slice(kept + 1), caret: kept };
  return { code, caret: kept };
}
