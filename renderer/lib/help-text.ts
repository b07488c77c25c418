/*
 * The catalog's texts as the app shows them. Visengine writes its fields' instructions in two
 * voices — "Inserisci il nome del richiedente" beside "Inserire il codice fiscale del richiedente"
 * — and a backquote for an apostrophe ("documento d`identità"); the app speaks to the clerk in
 * one voice, the impersonal one of its own texts, with proper apostrophes. Only the typography and
 * the leading verb change: the words are the service's.
 */

/** Informal imperatives a field's instructions begin with, and the impersonal form of each. */
const IMPERSONAL: Readonly<Record<string, string>> = {
  Allega: 'Allegare',
  Carica: 'Caricare',
  Compila: 'Compilare',
  Digita: 'Digitare',
  Indica: 'Indicare',
  Inserisci: 'Inserire',
  Scegli: 'Scegliere',
  Scrivi: 'Scrivere',
  Seleziona: 'Selezionare',
  Specifica: 'Specificare',
};

/** A backquote or an acute accent used as an apostrophe ("d`identità", "dell´INPS"): the typographic one. */
export function apostrophes(text: string): string {
  return text.replace(/(?<=\p{L})[`´](?=\p{L})/gu, '’');
}

/** A field's instructions from the catalog, in the app's voice and typography. */
export function helpText(text: string): string {
  return apostrophes(text.trim()).replace(
    /(^|[.!?]\s+)(\p{Lu}\p{Ll}+)\b/gu,
    (whole, before: string, verb: string) => (IMPERSONAL[verb] ? before + IMPERSONAL[verb] : whole),
  );
}
