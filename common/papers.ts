import type { Field } from './catalog.ts';

/*
 * What paper a file field asks for. The API describes a file field only as `tipo: "file"` with a
 * free-text `nome` ("COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO", "COPIA CODICE FISCALE FRONTE
 * RETRO", "COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA", "ULTIME BUSTE PAGA"): nothing in its data
 * says which is the identity card, so the name decides, here and nowhere else.
 */

/**
 * The papers the app treats apart: the two cards it can read and keep, the mandato it can print,
 * and a delega (another signed paper, which it cannot print).
 */
export const papers = ['identita', 'codice_fiscale', 'mandato', 'delega'] as const;
export type Paper = (typeof papers)[number];

type Named = Pick<Field, 'nome'>;

/** Upper or lower case, with or without accents: "IDENTITÀ", "identita". */
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/**
 * Which paper a file field asks for, by its name; null for any other document (payslips, ISEE…).
 * Signed papers are told first: a delega naming the identity card is still a delega.
 */
export function paperOf(field: Named): Paper | null {
  const name = fold(field.nome);
  if (/mandato/.test(name)) return 'mandato';
  if (/delega/.test(name)) return 'delega';
  if (/identit|\bcie\b|passaporto|patente/.test(name)) return 'identita';
  if (/codice fiscale|tessera/.test(name)) return 'codice_fiscale';
  return null;
}

/** A field that takes a card's two sides (fronte and retro, merged into one PDF): its name says so. */
export function isTwoSided(field: Named): boolean {
  return /fronte|retro/.test(fold(field.nome));
}

/**
 * A field where a card goes whose back may carry the codice fiscale barcode (tessera sanitaria,
 * CIE): its images are worth reading for the code. The mandato and other papers are not.
 */
export function holdsCard(field: Named): boolean {
  const paper = paperOf(field);
  return paper === 'identita' || paper === 'codice_fiscale';
}

/** Where a card's two sides go among its field's parts: main merges the parts in this order. */
export const side = { fronte: 0, retro: 1 } as const;
