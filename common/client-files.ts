/* Which documents a client may let the office keep, and for how long: plain code, no schema. */
import { paperOf } from './papers.ts';

/** The two documents a client may let the office keep: nothing else is ever kept. */
export const clientFileKinds = ['identita', 'codice_fiscale'] as const;
export type ClientFileKind = (typeof clientFileKinds)[number];

/** How long kept documents may stay at most, whatever the document's own expiry. */
export const KEEP_MONTHS = 12;

/**
 * Which kept document a file field of a service asks for, by the field's name (see `paperOf`); null
 * for every other paper (mandato, payslips…), which is never kept.
 */
export function clientFileKindOf(fieldName: string): ClientFileKind | null {
  const paper = paperOf({ nome: fieldName });
  return paper === 'identita' || paper === 'codice_fiscale' ? paper : null;
}

/** The last moment of a calendar day `yyyy-mm-dd`, local time. */
export function endOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 59, 999).getTime();
}

/**
 * Until when documents kept at `from` stay: the identity document's expiry, and never more than
 * KEEP_MONTHS after `from`.
 */
export function keptUntil(consent: { documentExpiry: string | null }, from: number): number {
  const date = new Date(from);
  date.setMonth(date.getMonth() + KEEP_MONTHS);
  const cap = date.getTime();
  return consent.documentExpiry ? Math.min(endOfDay(consent.documentExpiry), cap) : cap;
}
