import type { Field } from '../../common/catalog.ts';
import { isTwoSided, paperOf, side } from '../../common/papers.ts';
import {
  readingReasons,
  type Confidence,
  type DocumentReading,
  type MandatoOwner,
} from '../../common/reading.ts';
import type { PlacementNote, PlacementReason } from '../../common/requests.ts';

/*
 * One drop of all the client's papers at once: each file goes to the file field it is, as its
 * pages read (main/reading/: the MRZ, the card's barcode, the code on the app's mandato, the
 * words), else as its name, its page count or the form's order suggest. The clerk sees why each
 * file went where it went and how sure that is — only what its content proves is sure — and
 * moves any misplaced one in one action (AttachmentStore.move).
 */

/** What is known of a dropped file once it is read. */
export interface FileFacts {
  name: string;
  pages: number;
  /** A photo or a single-page scan (JPEG once normalised), as opposed to a PDF. */
  image: boolean;
  /** What its pages say (main/reading/read.ts). */
  reading: DocumentReading;
  /** For the app's mandato: whether it was printed for this request, this client, or another. */
  mandatoOf: MandatoOwner | null;
}

export interface PlannedFile {
  file: number;
  fieldKey: string;
  /** 0 = fronte, 1 = retro for a fronte/retro field; the end of the field otherwise. */
  position: number;
  reason: PlacementReason;
  /** `high` only when the content proves it; the clerk checks anything else. */
  confidence: Confidence;
  note: PlacementNote | null;
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
 * Where a paper goes in a fronte/retro field: the side its pages show when it is placed for them,
 * else the one its name says.
 */
const wantedSide = (facts: FileFacts, byContent: boolean): number | null =>
  byContent && facts.reading.side ? side[facts.reading.side] : sideOf(facts.name);

/** How sure a reading is of its paper, once compared with the request (a mandato of another one). */
function contentVerdict(facts: FileFacts): { confidence: Confidence; note: PlacementNote | null } {
  if (facts.mandatoOf === 'other_client') return { confidence: 'low', note: 'mandato_other_client' };
  if (facts.mandatoOf === 'same_client' || facts.mandatoOf === 'other_request')
    return { confidence: 'medium', note: 'mandato_other_request' };
  return { confidence: facts.reading.confidence, note: null };
}

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

  const put = (
    file: number,
    field: Field,
    reason: PlacementReason,
    verdict: { confidence: Confidence; note: PlacementNote | null },
  ) => {
    const count = taken.get(field.key) ?? 0;
    // Positions already held: the parts there before the drop, then the ones placed now.
    const used = placedAt.get(field.key) ?? new Set(Array.from({ length: count }, (_, i) => i));
    const byContent = (readingReasons as readonly string[]).includes(reason);
    const wanted = isTwoSided(field) ? wantedSide(files[file]!, byContent) : null;
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
      ...verdict,
    });
  };
  /** A field can take one more of these: empty, or a two-sided field holding one image. */
  const room = (field: Field, file: number) => {
    const count = taken.get(field.key) ?? 0;
    return (
      count === 0 || (isTwoSided(field) && count === 1 && files[file]!.image && files[file]!.pages === 1)
    );
  };
  /** A field empty before the drop takes every file that belongs there (the pages of one mandato). */
  const takes = (field: Field, file: number) => room(field, file) || (filled.get(field.key) ?? 0) === 0;
  const unsure = { confidence: 'low' as const, note: null };

  const left: number[] = [];
  // First what the pages say, then what the name says, in the order dropped.
  files.forEach((facts, file) => {
    const paper = facts.reading.paper;
    const read = paper && facts.reading.reason ? byTopic(paper) : null;
    if (read && takes(read, file)) return put(file, read, facts.reading.reason!, contentVerdict(facts));
    const named = fieldByName(facts.name, fields);
    // A name is the scanner's or the client's word, not the paper's: the clerk checks it.
    if (named && takes(named, file)) return put(file, named, 'name', { confidence: 'medium', note: null });
    left.push(file);
  });
  // Then a two-page document to an empty fronte/retro field (a card scanned both sides).
  const rest: number[] = [];
  for (const file of left) {
    const facts = files[file]!;
    const sided =
      facts.pages === 2 ? fields.find((f) => isTwoSided(f) && (taken.get(f.key) ?? 0) === 0) : null;
    if (sided) put(file, sided, 'pages', unsure);
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
    if (target) put(file, target, 'order', unsure);
  }
  return planned;
}
