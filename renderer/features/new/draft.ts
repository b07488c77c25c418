import type { Field } from '../../../common/catalog.ts';
import type { FormCheck } from '../../../common/form.ts';
import { holdsCard, isTwoSided, side } from '../../../common/papers.ts';
import type { AttachmentInfo, Placement } from '../../../common/requests.ts';
import { effectiveKind } from '../../../common/validators/field.ts';

/*
 * The draft form as data, without React: how its fields are laid out, where a file goes, what is
 * still missing or wrong and in which order the clerk reads it. DraftPage and FileField only render
 * what these functions say.
 *
 * A field's parts have dense positions 0…n-1 (main closes every gap): in a fronte/retro field the
 * fronte is position 0 and the retro 1, so the next side to fill is always the field's end.
 */

/** A place a file can go: a file field and a position among its parts. */
export interface Slot {
  fieldKey: string;
  position: number;
}

/** What a slot is called on screen: a side of a card, a numbered page, or nothing (one document). */
export type SlotLabel = { side: keyof typeof side } | { page: number } | null;

export interface SlotView extends Slot {
  label: SlotLabel;
  /** The part in the slot; null for an empty one. */
  part: AttachmentInfo | null;
  /** An empty slot after a document's parts: what is put there is another page of it. */
  addsPage: boolean;
}

/** The form's fields as the clerk sees them: the client's data first, then the documents. */
export function layout(fields: readonly Field[]): { inputs: Field[]; files: Field[]; order: string[] } {
  const inputs = fields.filter((f) => f.tipo !== 'file');
  const files = fields.filter((f) => f.tipo === 'file');
  return { inputs, files, order: [...inputs, ...files].map((f) => f.key) };
}

/** One field's parts, in order. */
export function partsOf(attachments: readonly AttachmentInfo[], fieldKey: string): AttachmentInfo[] {
  return attachments.filter((a) => a.fieldKey === fieldKey).sort((a, b) => a.position - b.position);
}

/** Whether a field opens in fronte/retro mode: its name asks for both sides, or it already holds two parts. */
export function opensTwoSided(field: Field, parts: readonly AttachmentInfo[]): boolean {
  return isTwoSided(field) || parts.length === 2;
}

/**
 * The slots of one file field. Fronte/retro: the two sides, then any further part as a page.
 * Otherwise: each part (numbered when there are several), then an empty slot that adds one.
 */
export function slotsOf(fieldKey: string, parts: readonly AttachmentInfo[], twoSided: boolean): SlotView[] {
  const at = (position: number) => parts.find((p) => p.position === position) ?? null;
  if (twoSided) {
    const sides = (['fronte', 'retro'] as const).map((name) => ({
      fieldKey,
      position: side[name],
      label: { side: name },
      part: at(side[name]),
      addsPage: false,
    }));
    const pages = parts
      .filter((p) => p.position > side.retro)
      .map((p) => ({
        fieldKey,
        position: p.position,
        label: { page: p.position + 1 },
        part: p,
        addsPage: false,
      }));
    return [...sides, ...pages];
  }
  const filled = parts.map((p) => ({
    fieldKey,
    position: p.position,
    label: parts.length > 1 ? { page: p.position + 1 } : null,
    part: p,
    addsPage: false,
  }));
  return [
    ...filled,
    { fieldKey, position: parts.length, label: null, part: null, addsPage: parts.length > 0 },
  ];
}

/**
 * The position to ask main for when a file is put on `slot`: the slot's own when it holds a part
 * (the new file goes there: before it, or instead of it when replacing); none when the slot is past
 * the field's parts, and main adds the file at the end.
 */
export function insertAt(slot: Slot, partCount: number, replacing: boolean): number | undefined {
  return replacing || slot.position < partCount ? slot.position : undefined;
}

/** Where a file made for a field goes (a camera photo, a scan from the tray): after its parts. */
export function nextSlot(attachments: readonly AttachmentInfo[], fieldKey: string): Slot {
  return { fieldKey, position: attachments.filter((a) => a.fieldKey === fieldKey).length };
}

export interface FormProblems {
  /** True when the form can be priced and sent. */
  ready: boolean;
  /** Fields whose value is refused, in on-screen order. */
  invalid: string[];
  /** Empty fields the service's rule needs, in on-screen order. */
  missing: string[];
  /** The first of either on screen: where the clerk is taken when sending too early. */
  first: string | null;
}

/** What stops the form, in the order the clerk reads it (see `layout`). */
export function problemsOf(
  fields: readonly Field[],
  check: Pick<FormCheck, 'issues' | 'missing' | 'satisfied'>,
): FormProblems {
  const { order } = layout(fields);
  const rank = (key: string) => {
    const at = order.indexOf(key);
    return at < 0 ? order.length : at;
  };
  const sorted = (keys: readonly string[]) => [...keys].sort((a, b) => rank(a) - rank(b));
  const invalid = sorted(Object.keys(check.issues));
  const missing = sorted(check.missing);
  return {
    ready: check.satisfied && invalid.length === 0,
    invalid,
    missing,
    first: sorted([...invalid, ...missing])[0] ?? null,
  };
}

/** The input that takes the client's codice fiscale, by its kind; a card's barcode proposes it. */
export function codiceFiscaleField(fields: readonly Field[]): Field | undefined {
  return fields.find((f) => {
    if (f.tipo === 'file') return false;
    const kind = effectiveKind(f);
    return kind === 'codiceFiscalePersona' || kind === 'codiceFiscale';
  });
}

/** The file fields where a card goes (see `holdsCard`): their parts are read for the MRZ and the barcode. */
export function cardFields(fields: readonly Field[]): Set<string> {
  return new Set(fields.filter((f) => f.tipo === 'file' && holdsCard(f)).map((f) => f.key));
}

/**
 * Whether a file just added is worth reading for what fills the form (an identity document's MRZ,
 * a card's barcode): only files put where a card goes — photos, scans and scanners' PDFs alike
 * (main reads a PDF's pictures) — never the mandato or other papers.
 */
export function worthReading(file: { fieldKey: string }, cards: ReadonlySet<string>): boolean {
  return cards.has(file.fieldKey);
}

/** How a drop turned out, for its summary: all sure, some to check, or some refused. */
export type PlacementTone = 'sure' | 'check' | 'failed';

/**
 * The summary's tone: green only when every file went where its content proves; any placement
 * not proved (a name, the page count, the order, an unsure reading) asks the clerk to check.
 */
export function placementTone(placement: Placement): { tone: PlacementTone; unsure: number } {
  const unsure = placement.placed.filter((p) => p.confidence !== 'high').length;
  if (placement.failed.length) return { tone: 'failed', unsure };
  return { tone: unsure ? 'check' : 'sure', unsure };
}

/**
 * Where the focus goes after the form's values changed from `previous` to `values`: the first
 * empty input, when fields were filled without a keystroke (`typed`: the field the clerk typed in,
 * if any) while the focus was nowhere (`focused` null) or in a field that was empty and is now
 * filled under the caret (`focused`: its key; '' for anything else, a button or a slot, which
 * keeps the focus). Null: the focus stays where the clerk is.
 */
export function focusAfterFill(
  inputs: readonly Field[],
  previous: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>>,
  typed: string | null,
  focused: string | null,
): string | null {
  const changed = Object.keys(values).filter((k) => k !== typed && values[k] !== previous[k]);
  if (!changed.length) return null;
  const filledUnderCaret = focused !== null && changed.includes(focused) && !previous[focused]?.trim();
  if (focused !== null && !filledUnderCaret) return null;
  return inputs.find((f) => !values[f.key]?.trim())?.key ?? null;
}
