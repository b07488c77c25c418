import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

export const DEFAULT_TEXT_MAX_LENGTH = 500;

/**
 * Free text (`testo`, `denominazione`, and any `tipo` the catalog invents later): whitespace
 * runs — including pasted tabs and newlines — become one space, control characters go, and the
 * text is put in NFC so "Niccolò" typed or pasted compares equal to itself.
 */
export function checkText(input: string, options: { maxLength?: number } = {}): Check {
  const maxLength = options.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
  const value = input
    .normalize('NFC')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  if (value === '') return refuse('text.empty', 'Campo vuoto');
  // Code points, not UTF-16 units: an emoji is one character to the clerk.
  const length = [...value].length;
  if (length > maxLength) {
    return refuse('text.tooLong', `Testo troppo lungo: ${length} caratteri, massimo ${maxLength}`, {
      max: maxLength,
      length,
    });
  }
  return accept(value);
}
