import { PageSizes, PDFDocument } from '@cantoo/pdf-lib';
import { AppError } from '../errors.ts';
import type { NormalizedPart } from './part.ts';

const [A4_SHORT, A4_LONG] = PageSizes.A4;

/** About 5 mm: keeps the edge of a card clear of the border most printers cannot print. */
const MARGIN_PT = 14;

const PRODUCER = 'Sportello';

/**
 * One PDF for one file field (fronte and retro, or the pages of a document), in the order given:
 * each JPEG on its own A4 page turned to match it, each PDF with all its pages as they are.
 */
export async function mergeToPdf(
  parts: readonly NormalizedPart[],
  options: { title?: string } = {},
): Promise<Uint8Array> {
  if (parts.length === 0) {
    throw new AppError('invalid_argument', 'Non ci sono pagine da unire: aggiungete almeno una scansione');
  }
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (const [index, part] of parts.entries()) {
    try {
      if (part.mime === 'image/jpeg') await addImagePage(doc, part.bytes);
      else await addPdfPages(doc, part.bytes);
    } catch (error) {
      throw new AppError(
        'file_type',
        `La parte n. ${index + 1} del documento non si può leggere: toglietela e aggiungetela di nuovo`,
        { cause: error, details: { index, mime: part.mime, kind: part.kind } },
      );
    }
  }
  const now = new Date();
  doc.setProducer(PRODUCER);
  doc.setCreator(PRODUCER);
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  if (options.title) doc.setTitle(options.title);
  return doc.save();
}

async function addImagePage(doc: PDFDocument, jpeg: Uint8Array): Promise<void> {
  const image = await doc.embedJpg(jpeg);
  const landscape = image.width > image.height;
  const [pageWidth, pageHeight] = landscape ? [A4_LONG, A4_SHORT] : [A4_SHORT, A4_LONG];
  // Fitted, never at "natural" size: phone photos claim 72 dpi, so only fitting reads well.
  const scale = Math.min(
    (pageWidth - 2 * MARGIN_PT) / image.width,
    (pageHeight - 2 * MARGIN_PT) / image.height,
  );
  const width = image.width * scale;
  const height = image.height * scale;
  const page = doc.addPage([pageWidth, pageHeight]);
  page.drawImage(image, { x: (pageWidth - width) / 2, y: (pageHeight - height) / 2, width, height });
}

async function addPdfPages(doc: PDFDocument, pdf: Uint8Array): Promise<void> {
  const source = await PDFDocument.load(pdf, { ignoreEncryption: false, updateMetadata: false });
  const pages = await doc.copyPages(source, source.getPageIndices());
  for (const page of pages) doc.addPage(page);
}
