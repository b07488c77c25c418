/*
 * Money as the office quotes it. Visengine prices are net of IVA (the seed pages say "+ VAT"): the
 * clerk must see, and quote to the client, the gross amount too. The rate lives here and nowhere else.
 */

/** Italian standard IVA rate (DPR 633/1972, art. 16). */
export const IVA_RATE = 0.22;

const cents = (value: number) => Math.round(value * 100) / 100;

/** The three amounts of an invoice line, rounded to the cent (IVA computed on the net, then rounded). */
export function withIva(net: number): { imponibile: number; iva: number; totale: number } {
  const imponibile = cents(net);
  const iva = cents(imponibile * IVA_RATE);
  return { imponibile, iva, totale: cents(imponibile + iva) };
}

/** Two euro amounts equal to the cent. */
export const samePrice = (a: number, b: number) => Math.abs(a - b) < 0.005;
