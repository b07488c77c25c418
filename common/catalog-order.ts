import type { Field, ServiceSummary } from './catalog.ts';

/*
 * Ordering is plain code, kept apart from the schemas so that screens which only sort or label
 * services load no schema library.
 */

/** Display order of the API: by `ordine`, a field without one standing at its own `$n` number. */
export function compareFields(a: Field, b: Field): number {
  return (a.ordine ?? a.index) - (b.ordine ?? b.index) || a.index - b.index;
}

export const PATRONATO = 'Patronato';

/** Patronato services first, then by category and name, Italian collation. */
export function compareServices(a: ServiceSummary, b: ServiceSummary): number {
  const pa = a.categoria === PATRONATO ? 0 : 1;
  const pb = b.categoria === PATRONATO ? 0 : 1;
  if (pa !== pb) return pa - pb;
  return a.categoria.localeCompare(b.categoria, 'it') || a.nome.localeCompare(b.nome, 'it');
}
