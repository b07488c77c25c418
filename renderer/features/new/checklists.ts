import type { Field } from '../../../common/catalog.ts';
import { paperOf, type Paper } from '../../../common/papers.ts';

/**
 * What to ask the client for, said on the document it is for: the counter's checklist for the
 * services an office knows well, matched by the service's name (hashes may change, VISENGINE.md).
 * Each line belongs to a paper the form has a slot for (common/papers.ts): what the form cannot
 * take — the child's data for a congedo, the foglio matricolare — is not asked for here, since it
 * would go nowhere. The other services show their fields' own instructions only.
 */
const CHECKLISTS: { match: RegExp; papers: Partial<Record<Paper, string>> }[] = [
  {
    match: /congedo parentale|riscatto.*(leva|militare)/i,
    papers: {
      identita: 'Da chiedere al cliente: un documento d’identità valido, fronte e retro.',
      codice_fiscale: 'Da chiedere al cliente: la tessera sanitaria o il tesserino del codice fiscale.',
      mandato: 'Il mandato firmato dal cliente: «Mandato da firmare» lo prepara già compilato.',
    },
  },
];

/** The checklist's line for a file field of a service, if the office keeps one. */
export function checklistHint(serviceName: string, field: Pick<Field, 'nome'>): string | null {
  const paper = paperOf(field);
  if (!paper) return null;
  return CHECKLISTS.find((c) => c.match.test(serviceName))?.papers[paper] ?? null;
}
