import type { Field, ServiceSummary } from './catalog.ts';

/** Display order of the API: by numeric `ordine`; fields without it last, by their `$n` index. */
export function compareFields(a: Field, b: Field): number {
  if (a.ordine !== null && b.ordine !== null && a.ordine !== b.ordine) return a.ordine - b.ordine;
  if (a.ordine !== null && b.ordine === null) return -1;
  if (a.ordine === null && b.ordine !== null) return 1;
  return a.index - b.index;
}

export const PATRONATO = 'Patronato';

/** Patronato services first, then by category and name, Italian collation. */
export function compareServices(a: ServiceSummary, b: ServiceSummary): number {
  const pa = a.categoria === PATRONATO ? 0 : 1;
  const pb = b.categoria === PATRONATO ? 0 : 1;
  if (pa !== pb) return pa - pb;
  return a.categoria.localeCompare(b.categoria, 'it') || a.nome.localeCompare(b.nome, 'it');
}
