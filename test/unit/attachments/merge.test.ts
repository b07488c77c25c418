import { decodePDFRawStream, PageSizes, PDFArray, PDFDocument, PDFRawStream } from '@cantoo/pdf-lib';
import type { PDFPage } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { mergeToPdf } from '../../../main/attachments/merge.ts';
import { normalizePart } from '../../../main/attachments/normalize.ts';
import { failure, photo, plainImage, protectedPdf, textPdf } from './samples.ts';

const [A4_SHORT, A4_LONG] = PageSizes.A4;
const MARGIN_PT = 14;

const sizeOf = (page: PDFPage) => {
  const { width, height } = page.getSize();
  return [Math.round(width * 100) / 100, Math.round(height * 100) / 100];
};

type Matrix = [number, number, number, number, number, number];

/** `a b c d e f cm` then `m`: the later matrix applies first, as in PDF's row-vector convention. */
const concat = ([a, b, c, d, e, f]: Matrix, m: Matrix): Matrix => [
  m[0] * a + m[1] * c,
  m[0] * b + m[1] * d,
  m[2] * a + m[3] * c,
  m[2] * b + m[3] * d,
  m[4] * a + m[5] * c + e,
  m[4] * b + m[5] * d + f,
];

/** Where the page draws its image: the unit square mapped through every `cm` before `Do`. */
function imagePlacement(page: PDFPage): { width: number; height: number; x: number; y: number } {
  const contents = page.node.Contents();
  const streams =
    contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  const operators = streams
    .map((stream) => {
      if (!(stream instanceof PDFRawStream)) throw new Error('expected encoded content streams');
      return new TextDecoder().decode(decodePDFRawStream(stream).decode());
    })
    .join('\n');
  const beforeDraw = operators.slice(0, operators.indexOf(' Do'));
  const matrices = [...beforeDraw.matchAll(/((?:-?[\d.]+ ){6})cm/g)].map(
    (m) => m[1]!.trim().split(' ').map(Number) as Matrix,
  );
  const [width, , , height, x, y] = matrices.reduce(concat, [1, 0, 0, 1, 0, 0]);
  return { width, height, x, y };
}

describe('mergeToPdf', () => {
  it('puts a photo and a two-page PDF into one three-page PDF, in order', async () => {
    const fronte = await normalizePart(await photo(1200, 800), 'fronte.jpg');
    const allegato = await normalizePart(await textPdf(2, 'Mandato'), 'mandato.pdf');

    const merged = await mergeToPdf([fronte, allegato]);

    const doc = await PDFDocument.load(merged);
    expect(doc.getPageCount()).toBe(3);
    expect(sizeOf(doc.getPage(0))).toEqual([A4_LONG, A4_SHORT]);
    expect(sizeOf(doc.getPage(1))).toEqual([A4_SHORT, A4_LONG]);
  });

  it('gives each photo an A4 page turned to match it: portrait for portrait, landscape for landscape', async () => {
    const upright = await normalizePart(await plainImage('jpeg', 600, 900), 'verticale.jpg');
    const wide = await normalizePart(await plainImage('jpeg', 900, 600), 'orizzontale.jpg');
    const square = await normalizePart(await plainImage('jpeg', 700, 700), 'quadrata.jpg');

    const doc = await PDFDocument.load(await mergeToPdf([upright, wide, square]));

    expect(doc.getPages().map(sizeOf)).toEqual([
      [A4_SHORT, A4_LONG],
      [A4_LONG, A4_SHORT],
      [A4_SHORT, A4_LONG],
    ]);
  });

  it('fits each photo inside a small margin, centred, keeping its proportions', async () => {
    // Fronte of an identity card: wider than A4 landscape's proportions, so its width decides.
    const card = await normalizePart(await plainImage('jpeg', 1712, 1080), 'carta_identita.jpg');

    const doc = await PDFDocument.load(await mergeToPdf([card]));

    const placed = imagePlacement(doc.getPage(0));
    expect(placed.width).toBeCloseTo(A4_LONG - 2 * MARGIN_PT, 1);
    expect(placed.height).toBeCloseTo((placed.width * 1080) / 1712, 1);
    expect(placed.x).toBeCloseTo(MARGIN_PT, 1);
    expect(placed.y).toBeCloseTo((A4_SHORT - placed.height) / 2, 1);
  });

  it('embeds the JPEG as it is, without compressing it a second time', async () => {
    const part = await normalizePart(await photo(800, 600), 'foto.jpg');

    const merged = await mergeToPdf([part]);

    expect(Buffer.from(merged).includes(Buffer.from(part.bytes))).toBe(true);
  });

  it('signs the document as Sportello, with its creation date and the title given', async () => {
    const before = Date.now();
    const part = await normalizePart(await plainImage('jpeg', 300, 200), 'cf.jpg');

    const merged = await mergeToPdf([part], { title: 'Codice fiscale fronte retro' });

    // Loading with pdf-lib's defaults would stamp its own producer over ours.
    const doc = await PDFDocument.load(merged, { updateMetadata: false });

    expect(doc.getProducer()).toBe('Sportello');
    expect(doc.getCreator()).toBe('Sportello');
    expect(doc.getTitle()).toBe('Codice fiscale fronte retro');
    const created = doc.getCreationDate()?.getTime() ?? 0;
    expect(created).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(created).toBeLessThanOrEqual(Date.now());
  });

  it('leaves out the title when none is given', async () => {
    const part = await normalizePart(await plainImage('jpeg', 300, 200), 'cf.jpg');

    const doc = await PDFDocument.load(await mergeToPdf([part]));

    expect(doc.getTitle()).toBeUndefined();
  });

  it('refuses to make a PDF out of nothing', async () => {
    const error = await failure(mergeToPdf([]));

    expect(error.code).toBe('invalid_argument');
  });

  it('says which part cannot be read when a stored part is broken', async () => {
    const good = await normalizePart(await plainImage('jpeg', 300, 200), 'fronte.jpg');
    const locked = {
      bytes: await protectedPdf('segreta'),
      mime: 'application/pdf' as const,
      kind: 'pdf' as const,
      pages: 1,
      width: null,
      height: null,
    };

    const error = await failure(mergeToPdf([good, locked]));

    expect(error.code).toBe('file_type');
    expect(error.message).toContain('La parte n. 2 del documento non si può leggere');
    expect(error.details).toMatchObject({ index: 1, mime: 'application/pdf' });
  });
});
