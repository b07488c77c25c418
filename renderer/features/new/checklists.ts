/**
 * What to ask the client for, per service, beyond the form's own file fields: the counter's
 * checklist. Only services we know well are listed; the others show their file fields only.
 */
export const CHECKLISTS: Record<string, string[]> = {
  // Indennità per congedo parentale
  '8a7c8386fff43d28182cfa2ad24a3532': [
    'Documento d’identità valido (fronte e retro)',
    'Tessera sanitaria o codice fiscale',
    'Mandato di assistenza firmato',
    'Codice fiscale e data di nascita del figlio',
  ],
  // Riscatto del servizio militare
  '0d9ada4b11f4493674559264d6879948': [
    'Documento d’identità valido (fronte e retro)',
    'Tessera sanitaria o codice fiscale',
    'Mandato di assistenza firmato',
    'Foglio matricolare o congedo militare, se disponibile',
  ],
};
