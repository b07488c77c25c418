import { AppError } from '../errors.ts';

const MB = 1024 * 1024;

/**
 * The largest file a clerk may hand over: a 50 MP phone photo or a 600 dpi colour scan fit, a
 * video or a whole archive folder does not. Checked before anything is decoded.
 */
export const MAX_INPUT_BYTES = 40 * MB;

/**
 * The largest image, in pixels, we agree to decode: above a 600 dpi A3 scan (70 MP) and the 108 MP
 * mode of some phones. A 40 MB PNG can claim billions of pixels; decoding one would exhaust memory.
 */
export const MAX_INPUT_PIXELS = 120_000_000;

/**
 * The long side of a normalised page: about 200–240 dpi on an A4 sheet, which keeps small print on
 * an identity card legible. Smaller images are never enlarged.
 */
export const MAX_LONG_SIDE_PX = 2000;

/** What one photographed or scanned page should weigh once compressed (DOMAIN.md: ≤ 1 MB). */
export const TARGET_PAGE_BYTES = 1 * MB;

/**
 * The heaviest document (one file field, all its pages) we send. We cannot recompress an arbitrary
 * PDF, so a PDF over this is refused rather than shrunk.
 */
export const MAX_DOCUMENT_BYTES = 4 * MB;

/** More pages than any document the services ask for (identity card, mandate, payslips). */
export const MAX_DOCUMENT_PAGES = 50;

/**
 * Raw bytes of all documents of one request. Visengine takes the whole request as one JSON body
 * with every file in base64 (+33%): 15 MB of files is a body of about 20 MB.
 */
export const MAX_REQUEST_BYTES = 15 * MB;

/** How many of the heaviest documents an over-budget error names: enough to choose what to redo. */
const NAMED_IN_ERROR = 3;

export interface DocumentSize {
  fieldKey: string;
  name: string;
  bytes: number;
}

/**
 * Refuses a request whose documents do not fit: first any single document over its limit, then
 * the total. The error names the heaviest documents, since those are the ones worth rescanning.
 */
export function checkRequestBudget(sizes: readonly DocumentSize[]): void {
  const heaviest = [...sizes].sort((a, b) => b.bytes - a.bytes);

  const oversized = heaviest.filter((doc) => doc.bytes > MAX_DOCUMENT_BYTES);
  const [worst] = oversized;
  if (worst) {
    throw new AppError(
      'budget_exceeded',
      `Il documento «${worst.name}» pesa ${formatMegabytes(worst.bytes)}: il massimo per un documento è ` +
        `${formatMegabytes(MAX_DOCUMENT_BYTES)}. Togliete le pagine che non servono o scansionatelo di nuovo a 200 dpi`,
      { details: { scope: 'document', limit: MAX_DOCUMENT_BYTES, documents: oversized.map(describe) } },
    );
  }

  const total = sizes.reduce((sum, doc) => sum + doc.bytes, 0);
  if (total > MAX_REQUEST_BYTES) {
    const named = heaviest.slice(0, NAMED_IN_ERROR);
    const list = named.map((doc) => `«${doc.name}» (${formatMegabytes(doc.bytes)})`).join(', ');
    throw new AppError(
      'budget_exceeded',
      `Gli allegati pesano in tutto ${formatMegabytes(total)}: il massimo per una pratica è ` +
        `${formatMegabytes(MAX_REQUEST_BYTES)}. I più pesanti: ${list}. Scansionateli di nuovo a 200 dpi`,
      { details: { scope: 'request', total, limit: MAX_REQUEST_BYTES, documents: named.map(describe) } },
    );
  }
}

/**
 * "4 MB", "15,3 MB": how the clerk reads sizes in messages. Rounded up, so that a file just over a
 * limit never reads as weighing exactly the limit.
 */
export function formatMegabytes(bytes: number): string {
  const tenths = Math.ceil((bytes / MB) * 10) / 10;
  return `${new Intl.NumberFormat('it-IT', { maximumFractionDigits: 1 }).format(tenths)} MB`;
}

function describe(doc: DocumentSize): DocumentSize {
  return { fieldKey: doc.fieldKey, name: doc.name, bytes: doc.bytes };
}
