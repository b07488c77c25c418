import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

/** A Belfiore (cadastral) code: one letter and three digits, e.g. `H501` for Roma. */
export function checkCodComune(input: string): Check {
  const value = input.trim().toUpperCase();
  if (value === '') return refuse('comune.empty', 'Codice del comune mancante');
  if (!/^[A-Z][0-9]{3}$/.test(value)) {
    return refuse('comune.format', 'Il codice del comune è una lettera seguita da tre cifre (es. H501)');
  }
  return accept(value);
}
