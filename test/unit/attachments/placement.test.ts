import { describe, expect, it } from 'vitest';
import type { Field } from '../../../common/catalog.ts';
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
  cfBarcode: false,
  ...facts,
});

const where = (plan: ReturnType<typeof planPlacement>) =>
  plan.sort((a, b) => a.file - b.file).map((p) => `${p.fieldKey}:${p.position}:${p.reason}`);

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

  it('puts a photo with a codice fiscale barcode on the CF card, and a two-page PDF on a fronte/retro field', () => {
    const plan = planPlacement(
      [
        file('IMG_2041.jpg', { cfBarcode: true }),
        file('scan0001.pdf', { pages: 2, image: false }),
        file('IMG_2042.jpg'),
      ],
      CONGEDO,
      new Map(),
    );
    expect(where(plan)).toEqual(['$6:0:barcode', '$5:0:pages', '$7:0:order']);
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
