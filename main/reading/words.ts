import type { Confidence, ReadPaper } from '../../common/reading.ts';

/*
 * Which paper the words recognised on a page belong to. Each paper has phrases its printed form
 * always carries, weighted by how much they say alone ("CARTA D'IDENTITÀ" settles it, "COGNOME"
 * only leans); OCR's small slips are forgiven (one letter in a long word). Only a clear lead of
 * one paper over the others counts, and only a strong one is sure: the mandato quotes "documento
 * d'identità" and "codice fiscale" in its consent line, the CIE's back says "codice fiscale" too.
 */

interface Sign {
  words: string[];
  weight: number;
}

const sign = (phrase: string, weight: number): Sign => ({ words: tokens(phrase), weight });

const SIGNS: Record<ReadPaper, Sign[]> = {
  identita: [
    sign("carta d'identità", 4),
    sign('identity card', 4),
    sign('passaporto', 4),
    sign('passport', 4),
    sign('patente di guida', 4),
    sign('luogo e data di nascita', 2),
    sign('place and date of birth', 2),
    sign('firma del titolare', 2),
    sign("holder's signature", 2),
    sign('date of expiry', 2),
    sign('given names', 2),
    sign("ministero dell'interno", 2),
    sign('surname', 1),
    sign('statura', 1),
    sign('cittadinanza', 1),
    sign('nationality', 1),
    sign('scadenza', 1),
    sign('emissione', 1),
  ],
  codice_fiscale: [
    sign('tessera sanitaria', 4),
    sign('carta nazionale dei servizi', 4),
    sign('tessera europea di assicurazione malattia', 4),
    sign("ministero dell'economia e delle finanze", 2),
    sign('agenzia delle entrate', 2),
    sign('rivolgersi alla asl', 2),
    sign('smarrimento', 1),
  ],
  mandato: [
    sign('mandato di assistenza e rappresentanza', 5),
    sign('conferisce mandato', 4),
    sign('informativa sul trattamento dei dati personali', 2),
    sign("firma dell'assistito", 2),
    sign("firma dell'operatore incaricato", 2),
    sign('patronato', 1),
    sign('rappresentanza', 1),
    sign('delega', 1),
  ],
};

/** At least this weight for a paper to be named at all, and this for it to be sure. */
const NAMED = 3;
const SURE = 6;

export interface WordsVerdict {
  paper: ReadPaper;
  confidence: Confidence;
  /** The weight found for it, and for the next paper. */
  score: number;
  runnerUp: number;
}

/** Lower case, accents and apostrophes folded, words of letters and digits. */
export function tokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The paper the words say, or null when none leads clearly. */
export function paperFromWords(text: string): WordsVerdict | null {
  const words = tokens(text);
  const scores = (Object.keys(SIGNS) as ReadPaper[]).map((paper) => ({
    paper,
    score: SIGNS[paper].reduce((sum, s) => sum + (contains(words, s.words) ? s.weight : 0), 0),
  }));
  scores.sort((a, b) => b.score - a.score);
  const [first, second] = scores as [(typeof scores)[0], (typeof scores)[0]];
  if (first.score < NAMED || first.score < 2 * second.score) return null;
  const confidence: Confidence = first.score >= SURE && second.score * 3 <= first.score ? 'high' : 'medium';
  return { paper: first.paper, confidence, score: first.score, runnerUp: second.score };
}

/** Whether the phrase's words appear in a row, each allowing OCR's slip of one letter when long. */
function contains(words: readonly string[], phrase: readonly string[]): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) {
    let all = true;
    for (let j = 0; j < phrase.length && all; j++) all = close(words[i + j]!, phrase[j]!);
    if (all) return true;
  }
  return false;
}

function close(seen: string, wanted: string): boolean {
  if (seen === wanted) return true;
  if (wanted.length < 6 || Math.abs(seen.length - wanted.length) > 1) return false;
  return editDistanceAtMostOne(seen, wanted);
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (a.length < b.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
