import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

/**
 * The check digit of an 11-digit partita IVA (also used by the numeric, temporary codice
 * fiscale): a Luhn sum over the first 10 digits, doubling those in even 1-based positions.
 */
export function partitaIvaCheckDigit(firstTen: string): number {
  if (!/^\d{10}$/.test(firstTen)) throw new RangeError('partitaIvaCheckDigit needs exactly 10 digits');
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let n = firstTen.charCodeAt(i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return (10 - (sum % 10)) % 10;
}

export function checkPartitaIva(input: string): Check {
  // People copy it from invoices as "IT 01234567890".
  const compact = input.replace(/\s+/g, '');
  if (compact === '') return refuse('piva.empty', 'Partita IVA mancante');
  const value = compact.replace(/^IT/i, '');
  if (!/^\d{11}$/.test(value)) return refuse('piva.format', 'La partita IVA è fatta di 11 cifre');
  const expected = partitaIvaCheckDigit(value.slice(0, 10));
  if (Number(value[10]) !== expected) {
    return refuse('piva.check', `Partita IVA non valida: l’ultima cifra dovrebbe essere ${expected}`, {
      expected,
    });
  }
  return accept(value);
}
