import type { Field } from '../../common/catalog.ts';
import { isTwoSided, paperOf, side } from '../../common/papers.ts';

/*
 * One drop of all the client's papers at once: each file goes to the file field it most likely
 * is, from what can be told without asking — the file's name, the codice fiscale barcode of a card
 * photo, the page count — and otherwise to the next empty field in form order. The clerk sees why
 * each file went where it went and moves any misplaced one in one action (AttachmentStore.move).
 */

export type PlacementReason = 'name' | 'barcode' | 'pages' | 'side' | 'order';

/** What is known of a dropped file once it is read (no content guessing beyond these). */
export interface FileFacts {
  name: string;
  pages: number;
  /** A photo or a single-page scan (JPEG once normalised), as opposed to a PDF. */
  image: boolean;
  /** A valid codice fiscale barcode was read on it: the back of a tessera (or of a CIE). */
  cfBarcode: boolean;
}

export interface PlannedFile {
  file: number;
  fieldKey: string;
  /** 0 = fronte, 1 = retro for a fronte/retro field; the end of the field otherwise. */
  position: number;
  reason: PlacementReason;
}

type Topic = 'identita' | 'codice_fiscale' | 'mandato';

/** Words of file names (lower case, accents folded) that tell what paper it is. */
const TOPIC_WORDS: Record<Topic, readonly string[]> = {
  identita: ['identita', 'carta', 'ci', 'cie', 'documento', 'doc', 'passaporto', 'patente'],
  codice_fiscale: ['tessera', 'sanitaria', 'ts', 'codice', 'fiscale', 'cf', 'codicefiscale', 'tesserino'],
  mandato: ['mandato', 'delega', 'incarico'],
};

/** Words of field names that say nothing about which paper it is ("COPIA … FRONTE RETRO"). */
const GENERIC_WORDS = new Set([
  'copia',
  'fronte',
  'retro',
  'scansione',
  'fotocamera',
  'allegato',
  'documenti',
]);

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function words(text: string): string[] {
  return fold(text)
    .replace(/\.[a-z0-9]{2,5}$/, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** What paper a file field asks for (common/papers.ts); a delega is named like a mandato in files. */
function topicOfField(field: Field): Topic | null {
  const paper = paperOf(field);
  return paper === 'delega' ? 'mandato' : paper;
}

/**
 * The field a file's name points to: a paper topic word, or else a long word of the field's own
 * name ("busta paga" → "COPIA ULTIMA BUSTA PAGA"). The topic whose words come first in the name
 * wins ("carta-identita-tessera" is the identity card).
 */
export function fieldByName(name: string, fields: readonly Field[]): Field | null {
  const tokens = words(name);
  let best: { field: Field; at: number } | null = null;
  for (const field of fields) {
    const topic = topicOfField(field);
    const own = words(field.nome).filter((w) => w.length >= 5 && !GENERIC_WORDS.has(w));
    const at = tokens.findIndex((t) => (topic !== null && TOPIC_WORDS[topic].includes(t)) || own.includes(t));
    if (at >= 0 && (!best || at < best.at)) best = { field, at };
  }
  return best?.field ?? null;
}

const sideOf = (name: string): number | null => {
  const tokens = words(name);
  if (tokens.includes('retro')) return side.retro;
  if (tokens.includes('fronte')) return side.fronte;
  return null;
};

/**
 * Where each dropped file goes. `fields` are the service's file fields in form order; `filled`
 * how many parts each already has (the drop never replaces one); `hint` the field the files were
 * dropped on, which takes the files nothing else places.
 */
export function planPlacement(
  files: readonly FileFacts[],
  fields: readonly Field[],
  filled: ReadonlyMap<string, number>,
  hint?: string,
): PlannedFile[] {
  const planned: PlannedFile[] = [];
  const taken = new Map<string, number>(fields.map((f) => [f.key, filled.get(f.key) ?? 0]));
  const placedAt = new Map<string, Set<number>>();
  const byTopic = (topic: Topic) => fields.find((f) => topicOfField(f) === topic) ?? null;

  const put = (file: number, field: Field, reason: PlacementReason) => {
    const count = taken.get(field.key) ?? 0;
    // Positions already held: the parts there before the drop, then the ones placed now.
    const used = placedAt.get(field.key) ?? new Set(Array.from({ length: count }, (_, i) => i));
    const wanted = isTwoSided(field) ? sideOf(files[file]!.name) : null;
    let position = wanted !== null && !used.has(wanted) ? wanted : 0;
    while (used.has(position)) position++;
    used.add(position);
    placedAt.set(field.key, used);
    taken.set(field.key, count + 1);
    planned.push({
      file,
      fieldKey: field.key,
      position,
      reason: count > 0 && reason === 'order' ? 'side' : reason,
    });
  };
  /** A field can take one more of these: empty, or a two-sided field holding one image. */
  const room = (field: Field, file: number) => {
    const count = taken.get(field.key) ?? 0;
    return (
      count === 0 || (isTwoSided(field) && count === 1 && files[file]!.image && files[file]!.pages === 1)
    );
  };

  const left: number[] = [];
  // First what the name or the barcode says, in the order dropped.
  files.forEach((facts, file) => {
    const named = fieldByName(facts.name, fields);
    // A field empty before the drop takes every file named for it (the pages of one mandato).
    if (named && (room(named, file) || (filled.get(named.key) ?? 0) === 0)) return put(file, named, 'name');
    const card = facts.cfBarcode ? byTopic('codice_fiscale') : null;
    if (card && room(card, file)) return put(file, card, 'barcode');
    left.push(file);
  });
  // Then a two-page document to an empty fronte/retro field (a card scanned both sides).
  const rest: number[] = [];
  for (const file of left) {
    const facts = files[file]!;
    const sided =
      facts.pages === 2 ? fields.find((f) => isTwoSided(f) && (taken.get(f.key) ?? 0) === 0) : null;
    if (sided) put(file, sided, 'pages');
    else rest.push(file);
  }
  // The rest in order: the field dropped on first, then the empty fields as they appear.
  const hinted = fields.find((f) => f.key === hint) ?? null;
  for (const file of rest) {
    const target =
      (hinted && room(hinted, file) ? hinted : null) ??
      fields.find((f) => (taken.get(f.key) ?? 0) === 0) ??
      hinted ??
      fields.at(-1);
    if (target) put(file, target, 'order');
  }
  return planned;
}
