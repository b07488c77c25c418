/**
 * What to ask the client for, beyond the form's own file fields: the counter's checklist for the
 * services an office knows well. Matched by the service's name (hashes may change, VISENGINE.md);
 * the other services show their file fields only.
 */
const CHECKLISTS: { match: RegExp; items: string[] }[] = [
  {
    match: /congedo parentale/i,
    items: [
      'Documento d’identità valido (fronte e retro)',
      'Tessera sanitaria o codice fiscale',
      'Mandato di assistenza firmato',
      'Codice fiscale e data di nascita del figlio',
    ],
  },
  {
    match: /riscatto.*(leva|militare)/i,
    items: [
      'Documento d’identità valido (fronte e retro)',
      'Tessera sanitaria o codice fiscale',
      'Mandato di assistenza firmato',
      'Foglio matricolare o congedo militare, se disponibile',
    ],
  },
];

export function checklistFor(serviceName: string): string[] | null {
  return CHECKLISTS.find((c) => c.match.test(serviceName))?.items ?? null;
}
