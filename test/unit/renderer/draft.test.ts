import { describe, expect, it } from 'vitest';
import type { Field } from '../../../common/catalog.ts';
import { checkForm } from '../../../common/form.ts';
import type { AttachmentInfo } from '../../../common/requests.ts';
import { codiceFiscaleCheckLetter } from '../../../common/validators/codiceFiscale.ts';
import {
  cardFields,
  codiceFiscaleField,
  insertAt,
  layout,
  nextSlot,
  opensTwoSided,
  partsOf,
  problemsOf,
  focusAfterFill,
  placementTone,
  slotsOf,
  worthReading,
} from '../../../renderer/features/new/draft.ts';

const field = (index: number, nome: string, tipo: string, ordine = index): Field => ({
  key: `$${index}`,
  index,
  nome,
  tipo,
  nullable: false,
  ordine,
  istruzioni: '',
  opzioni: null,
});

/** The congedo parentale's kinds of field, with documents put between the inputs by `ordine`. */
const CONGEDO = {
  fields: [
    field(0, 'Nome', 'testo'),
    field(1, 'COGNOME', 'testo'),
    field(5, 'COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO', 'file', 2),
    field(2, 'CODICE FISCALE', 'codice_fiscale_persona_fisica', 3),
    field(6, 'COPIA CODICE FISCALE FRONTE RETRO', 'file', 4),
    field(3, 'Email', 'email', 5),
    field(7, 'COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA', 'file', 6),
  ],
  validazione: '$0 && $1 && $2 && $3 && $5 && $6 && $7',
};

const CF = `RSSMRA80A01H501${codiceFiscaleCheckLetter('RSSMRA80A01H501')}`;
const WRONG_CF = `RSSMRA80A01H501${CF.endsWith('X') ? 'Y' : 'X'}`;

let nextId = 0;
const part = (fieldKey: string, position: number, sourceKind = 'jpeg'): AttachmentInfo => ({
  id: `a${nextId++}`,
  fieldKey,
  position,
  fileName: `${fieldKey}-${position}.jpg`,
  sourceKind,
  mime: 'image/jpeg',
  size: 1000,
  pages: 1,
  sha256: '',
  thumbnail: null,
  available: true,
});

describe('the form as the clerk sees it', () => {
  it('shows the client’s data first, then the documents, each in the service’s order', () => {
    const { inputs, files, order } = layout(CONGEDO.fields);
    expect(inputs.map((f) => f.key)).toEqual(['$0', '$1', '$2', '$3']);
    expect(files.map((f) => f.key)).toEqual(['$5', '$6', '$7']);
    expect(order).toEqual(['$0', '$1', '$2', '$3', '$5', '$6', '$7']);
  });

  it('lists what is missing in that order, and takes the clerk to the first problem on screen', () => {
    const check = checkForm(CONGEDO, { $3: 'mario.rossi@example.it' }, new Set(['$6']));
    const problems = problemsOf(CONGEDO.fields, check);
    expect(problems.ready).toBe(false);
    expect(problems.missing).toEqual(['$0', '$1', '$2', '$5', '$7']);
    expect(problems.first).toBe('$0');
  });

  it('puts a refused value before a missing document when it comes first on screen', () => {
    const check = checkForm(
      CONGEDO,
      { $0: 'Mario', $1: 'Rossi', $2: WRONG_CF, $3: 'non-una-email' },
      new Set(['$6', '$7']),
    );
    const problems = problemsOf(CONGEDO.fields, check);
    expect(problems.invalid).toEqual(['$2', '$3']);
    expect(problems.missing).toContain('$5');
    expect(problems.first).toBe('$2');
  });

  it('is ready when the rule holds and no value is refused', () => {
    const check = checkForm(
      CONGEDO,
      { $0: 'Mario', $1: 'Rossi', $2: CF, $3: 'mario.rossi@example.it' },
      new Set(['$5', '$6', '$7']),
    );
    expect(problemsOf(CONGEDO.fields, check)).toEqual({ ready: true, invalid: [], missing: [], first: null });
  });
});

describe('the slots of a file field', () => {
  it('offers fronte and retro for a card, filled in order', () => {
    const fronte = part('$5', 0);
    const slots = slotsOf('$5', [fronte], true);
    expect(slots.map((s) => [s.position, s.label, s.part?.id ?? null])).toEqual([
      [0, { side: 'fronte' }, fronte.id],
      [1, { side: 'retro' }, null],
    ]);
  });

  it('numbers any part of a card past its two sides as a page', () => {
    const parts = [part('$5', 0), part('$5', 1), part('$5', 2)];
    expect(slotsOf('$5', parts, true).map((s) => s.label)).toEqual([
      { side: 'fronte' },
      { side: 'retro' },
      { page: 3 },
    ]);
  });

  it('offers one empty slot for a one-piece document, and one more to add a page once filled', () => {
    expect(slotsOf('$7', [], false)).toEqual([
      { fieldKey: '$7', position: 0, label: null, part: null, addsPage: false },
    ]);
    const one = part('$7', 0);
    expect(slotsOf('$7', [one], false).map((s) => [s.position, s.label, s.addsPage])).toEqual([
      [0, null, false],
      [1, null, true],
    ]);
    const two = [one, part('$7', 1)];
    expect(slotsOf('$7', two, false).map((s) => s.label)).toEqual([{ page: 1 }, { page: 2 }, null]);
  });

  it('opens a field in fronte/retro mode when its name asks for both sides or it holds two parts', () => {
    const [, , identita, , , , mandato] = CONGEDO.fields;
    expect(opensTwoSided(identita!, [])).toBe(true);
    expect(opensTwoSided(mandato!, [])).toBe(false);
    expect(opensTwoSided(mandato!, [part('$7', 0), part('$7', 1)])).toBe(true);
  });
});

describe('where a file goes', () => {
  it('a file put on a filled slot goes in its place (before it, or instead of it)', () => {
    expect(insertAt({ fieldKey: '$5', position: 0 }, 2, false)).toBe(0);
    expect(insertAt({ fieldKey: '$5', position: 0 }, 1, true)).toBe(0);
  });

  it('a file put on an empty slot goes after the field’s parts: main appends it', () => {
    expect(insertAt({ fieldKey: '$5', position: 1 }, 1, false)).toBeUndefined();
    expect(insertAt({ fieldKey: '$7', position: 0 }, 0, false)).toBeUndefined();
  });

  it('a photo or a scan made for a field fills its next side: after its parts', () => {
    const attachments = [part('$5', 0), part('$6', 0), part('$6', 1)];
    expect(nextSlot(attachments, '$5')).toEqual({ fieldKey: '$5', position: 1 });
    expect(nextSlot(attachments, '$7')).toEqual({ fieldKey: '$7', position: 0 });
    expect(partsOf([part('$6', 1), ...attachments.slice(0, 2)], '$6').map((p) => p.position)).toEqual([0, 1]);
  });
});

describe('cards, their MRZ and their barcode', () => {
  it('reads what fills the form only on files put where a card goes, scanners’ PDFs included, never the mandato', () => {
    const cards = cardFields(CONGEDO.fields);
    expect([...cards]).toEqual(['$5', '$6']);
    expect(worthReading({ fieldKey: '$5' }, cards)).toBe(true);
    expect(worthReading({ fieldKey: '$6' }, cards)).toBe(true);
    expect(worthReading({ fieldKey: '$7' }, cards)).toBe(false);
  });

  it('proposes the code read in the input that takes a codice fiscale, found by its kind', () => {
    expect(codiceFiscaleField(CONGEDO.fields)?.key).toBe('$2');
    expect(codiceFiscaleField(CONGEDO.fields.filter((f) => f.key !== '$2'))).toBeUndefined();
  });
});

describe('the summary of a drop', () => {
  const placed = (confidence: 'high' | 'medium' | 'low') => ({
    attachmentId: 'a',
    fileName: 'f.jpg',
    fieldKey: '$5',
    position: 0,
    sourceKind: 'jpeg',
    reason: confidence === 'high' ? ('mrz' as const) : ('name' as const),
    confidence,
    note: null,
  });
  const error = { fileName: 'x.pdf', error: { code: 'file_type' as const, message: 'vuoto' } };

  it('is green only when every file went where its content proves', () => {
    expect(placementTone({ placed: [placed('high'), placed('high'), placed('high')], failed: [] })).toEqual({
      tone: 'sure',
      unsure: 0,
    });
  });

  it('asks to check as soon as one file went by its name, its pages, the order or an unsure reading', () => {
    expect(placementTone({ placed: [placed('high'), placed('medium'), placed('low')], failed: [] })).toEqual({
      tone: 'check',
      unsure: 2,
    });
  });

  it('says a file was refused above all', () => {
    expect(placementTone({ placed: [placed('high')], failed: [error] })).toEqual({
      tone: 'failed',
      unsure: 0,
    });
  });
});

describe('the focus after a fill', () => {
  const inputs = [
    field(0, 'NOME', 'testo'),
    field(1, 'COGNOME', 'testo'),
    field(4, 'CODICE FISCALE', 'codice_fiscale_persona_fisica'),
    field(3, 'CELLULARE', 'testo'),
    field(2, 'EMAIL', 'email'),
  ];
  const read = { $0: 'MARIO', $1: 'ROSSI', $4: 'RSSMRA85T10A562S' };

  it('moves on to the first empty field when the identity card fills the field under the caret', () => {
    expect(focusAfterFill(inputs, {}, read, null, '$0')).toBe('$3');
  });

  it('moves on when nothing had the focus (a proposal used, then gone)', () => {
    expect(focusAfterFill(inputs, { $0: 'Mario' }, { $0: 'Mario', $4: 'RSSMRA85T10A562S' }, null, null)).toBe(
      '$1',
    );
  });

  it('never moves the clerk who is typing, nor one who was already writing in the field filled', () => {
    expect(focusAfterFill(inputs, { $0: 'Mari' }, { $0: 'Mario' }, '$0', '$0')).toBeNull();
    expect(focusAfterFill(inputs, { $0: 'Ma' }, { ...read }, null, '$0')).toBeNull();
    // In another field, or on a button or a slot: the focus stays there.
    expect(focusAfterFill(inputs, {}, read, null, '$2')).toBeNull();
    expect(focusAfterFill(inputs, {}, read, null, '')).toBeNull();
  });

  it('stays when nothing changed or nothing is left empty', () => {
    expect(focusAfterFill(inputs, read, read, null, null)).toBeNull();
    const all = { ...read, $2: 'mario.rossi@example.it', $3: '3331234567' };
    expect(focusAfterFill(inputs, {}, all, null, '$0')).toBeNull();
  });
});
