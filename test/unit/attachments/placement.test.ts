import { describe, expect, it } from 'vitest';
import type { Field } from '../../../common/catalog.ts';
import { unread, type DocumentReading } from '../../../common/reading.ts';
import { planPlacement, type FileFacts } from '../../../main/attachments/placement.ts';

const field = (index: number, nome: string): Field => ({
  key: `$${index}`,
  index,
  nome,
  tipo: 'file',
  nullable: false,
  ordine: index,
  istruzioni: '',
  opzioni: null,
});

/** The three file fields of the congedo parentale, as the API names them. */
const CONGEDO = [
  field(5, 'COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO'),
  field(6, 'COPIA CODICE FISCALE FRONTE RETRO'),
  field(7, 'COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA'),
];

const file = (name: string, facts: Partial<FileFacts> = {}): FileFacts => ({
  name,
  pages: 1,
  image: true,
  reading: unread,
  mandatoOf: null,
  ...facts,
});

/** What the reader said of a file's pages. */
const read = (reading: Partial<DocumentReading>): DocumentReading => ({ ...unread, ...reading });
const cieBack = read({ paper: 'identita', side: 'retro', reason: 'mrz', confidence: 'high' });
const cieFront = read({ paper: 'identita', side: 'fronte', reason: 'ocr', confidence: 'high' });
const tessera = read({ paper: 'codice_fiscale', side: 'retro', reason: 'barcode', confidence: 'high' });
const mandato = read({
  paper: 'mandato',
  reason: 'mandato_code',
  confidence: 'high',
  mandato: { draftId: 'x', clientKey: 'ABCDEF' },
});

const where = (plan: ReturnType<typeof planPlacement>) =>
  plan.sort((a, b) => a.file - b.file).map((p) => `${p.fieldKey}:${p.position}:${p.reason}`);
const sureness = (plan: ReturnType<typeof planPlacement>) =>
  plan.sort((a, b) => a.file - b.file).map((p) => p.confidence);

describe('one drop of all the papers', () => {
  it('places each file by its name, whatever the order dropped', () => {
    const plan = planPlacement(
      [
        file('mandato-firmato.png'),
        file('tessera-sanitaria.pdf', { pages: 2, image: false }),
        file('carta-identita.jpg'),
      ],
      CONGEDO,
      new Map(),
    );
    expect(where(plan)).toEqual(['$7:0:name', '$6:0:name', '$5:0:name']);
  });

  it('is never sure of a name, a page count or the order: only the content proves a paper', () => {
    const plan = planPlacement(
      [file('carta-identita.jpg'), file('scan0001.pdf', { pages: 2, image: false }), file('IMG_2042.jpg')],
      CONGEDO,
      new Map(),
    );
    expect(where(plan)).toEqual(['$5:0:name', '$6:0:pages', '$7:0:order']);
    expect(sureness(plan)).toEqual(['medium', 'low', 'low']);
  });

  it('places by what the pages say, whatever the files are called, and is sure of it', () => {
    const plan = planPlacement(
      [
        file('IMG_20250114_101512.jpg', { reading: cieFront }),
        file('scan0002.png', { reading: tessera }),
        file('scansione_003.pdf', { pages: 2, image: false, reading: mandato, mandatoOf: 'this_request' }),
      ],
      CONGEDO,
      new Map(),
    );
    expect(where(plan)).toEqual(['$5:0:ocr', '$6:1:barcode', '$7:0:mandato_code']);
    expect(sureness(plan)).toEqual(['high', 'high', 'high']);
  });

  it('believes the pages over the name: a card called "mandato" that reads as a tessera goes to the CF card', () => {
    const plan = planPlacement([file('mandato.jpg', { reading: tessera })], CONGEDO, new Map());
    expect(where(plan)).toEqual(['$6:1:barcode']);
  });

  it('puts a CIE read on both sides into its field, the front first and the back (MRZ) second', () => {
    const plan = planPlacement(
      [file('IMG_2.jpg', { reading: cieBack }), file('IMG_1.jpg', { reading: cieFront })],
      CONGEDO,
      new Map(),
    );
    expect(where(plan)).toEqual(['$5:1:mrz', '$5:0:ocr']);
  });

  it('keeps what the reader was unsure of unsure', () => {
    const plan = planPlacement(
      [file('IMG_3.jpg', { reading: { ...cieFront, confidence: 'medium' } })],
      CONGEDO,
      new Map(),
    );
    expect(where(plan)).toEqual(['$5:0:ocr']);
    expect(sureness(plan)).toEqual(['medium']);
  });

  it('places a mandato printed for another request in the mandato slot, but not as sure, and says so', () => {
    const plan = planPlacement(
      [
        file('a.pdf', { image: false, reading: mandato, mandatoOf: 'other_client' }),
        file('b.pdf', { image: false, reading: mandato, mandatoOf: 'same_client' }),
      ],
      [CONGEDO[2]!],
      new Map(),
    );
    expect(where(plan)).toEqual(['$7:0:mandato_code', '$7:1:mandato_code']);
    expect(plan.map((p) => [p.confidence, p.note])).toEqual([
      ['low', 'mandato_other_client'],
      ['medium', 'mandato_other_request'],
    ]);
  });

  it('places a paper the form has no field for by its name or the order, unsure', () => {
    const plan = planPlacement(
      [file('IMG_9.jpg', { reading: tessera })],
      [CONGEDO[0]!, CONGEDO[2]!],
      new Map(),
    );
    expect(where(plan)).toEqual(['$5:0:order']);
    expect(sureness(plan)).toEqual(['low']);
  });

  it('keeps fronte and retro of one card together, the retro second', () => {
    const plan = planPlacement(
      [file('carta-identita-retro.jpg'), file('carta-identita-fronte.jpg')],
      CONGEDO,
      new Map(),
    );
    expect(where(plan)).toEqual(['$5:1:name', '$5:0:name']);
  });

  it('fills the empty fields in form order, never replacing what is there', () => {
    const plan = planPlacement([file('a.jpg'), file('b.jpg')], CONGEDO, new Map([['$5', 1]]));
    expect(where(plan)).toEqual(['$6:0:order', '$7:0:order']);
  });

  it('takes two unnamed photos dropped on a fronte/retro field as its two sides', () => {
    const plan = planPlacement([file('a.jpg'), file('b.jpg')], CONGEDO, new Map([['$5', 1]]), '$6');
    expect(where(plan)).toEqual(['$6:0:order', '$6:1:side']);
  });

  it('adds the pages of one document named for its field to that field', () => {
    const plan = planPlacement([file('mandato-p1.jpg'), file('mandato-p2.jpg')], CONGEDO, new Map());
    expect(where(plan)).toEqual(['$7:0:name', '$7:1:name']);
  });

  it('does not take words every field name has (copia, fronte, retro) for a paper’s name', () => {
    const plan = planPlacement(
      [file('fronte-fotocamera.jpg'), file('retro-fotocamera.jpg')],
      CONGEDO,
      new Map(),
      '$6',
    );
    expect(where(plan)).toEqual(['$6:0:order', '$6:1:side']);
  });
});
