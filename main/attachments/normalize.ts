import { EncryptedPDFError, PDFDocument } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import type { Metadata, SharpOptions } from 'sharp';
import type { AcceptedFormats } from '../../common/requests.ts';
import { AppError } from '../errors.ts';
import {
  formatMegabytes,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_PAGES,
  MAX_INPUT_BYTES,
  MAX_INPUT_PIXELS,
  MAX_LONG_SIDE_PX,
  MAX_REQUEST_BYTES,
  TARGET_PAGE_BYTES,
} from './limits.ts';
import { mergeToPdf } from './merge.ts';
import type { NormalizedPart } from './part.ts';
import { sniff } from './sniff.ts';
import type { FileKind } from './sniff.ts';

type ImageKind = Exclude<FileKind, 'pdf'>;

/** PDF readers look for the closing `%%EOF` within the last kilobyte; trailing junk is common. */
const PDF_TRAILER_WINDOW = 1024;

/** The name libvips gives each image kind, to catch a loader disagreeing with our sniffing. */
const LOADER_FORMAT: Record<ImageKind, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  tiff: 'tiff',
  heic: 'heif',
  avif: 'heif',
};

interface EncodingStep {
  quality: number;
  scale: number;
  /** Trellis quantisation (what `mozjpeg: true` adds): 10–35% smaller, but ~8× slower to encode. */
  trellis: boolean;
}

/**
 * Tried in order until a page weighs at most TARGET_PAGE_BYTES. The first step is the fast one
 * (libjpeg-turbo with mozjpeg's quantisation table: ~20 ms for a 2000 px page, against ~180 ms
 * with trellis quantisation); photos of documents fit there. A page over the target is encoded
 * again with trellis quantisation at the same quality before anything is given up; then quality
 * goes first because text stays legible down to 60, size only after. The later steps exist for
 * scans full of fine texture (guilloches, security backgrounds).
 */
const ENCODING_LADDER: readonly EncodingStep[] = [
  { quality: 80, scale: 1, trellis: false },
  { quality: 80, scale: 1, trellis: true },
  { quality: 70, scale: 1, trellis: true },
  { quality: 60, scale: 0.85, trellis: true },
  { quality: 60, scale: 0.7, trellis: true },
  { quality: 50, scale: 0.5, trellis: true },
];

/**
 * Optimistic bounds on how much smaller a page gets, used only to skip steps that cannot fit: by
 * quality relative to 80 (measured on photos and noise scans: 0.44–0.77 at 70), by trellis
 * quantisation (0.73–0.93 of the fast encoding) and by the pixel count. A step is skipped only
 * when even these bounds leave it over the target, so a page ends at the step where trying every
 * one would end it, in fewer passes.
 */
const QUALITY_SIZE_BOUND: Record<number, number> = { 80: 1, 70: 0.35, 60: 0.25, 50: 0.18 };
const TRELLIS_SIZE_BOUND = 0.6;

function hopeless(step: EncodingStep, tried: EncodingStep, bytes: number): boolean {
  const bound =
    bytes *
    (step.scale / tried.scale) ** 2 *
    ((QUALITY_SIZE_BOUND[step.quality] ?? 0) / (QUALITY_SIZE_BOUND[tried.quality] ?? 1)) *
    (step.trellis && !tried.trellis ? TRELLIS_SIZE_BOUND : 1);
  return bound > TARGET_PAGE_BYTES;
}

/**
 * Turns whatever the clerk attached into what Visengine receives: images become upright, flattened
 * JPEGs of at most ~2000 px without any metadata (EXIF carries GPS positions and device names),
 * multi-page TIFF scans become one PDF, PDFs are checked and kept as they are.
 */
export async function normalizePart(bytes: Uint8Array, name: string): Promise<NormalizedPart> {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new AppError(
      'file_too_large',
      `Il file «${name}» pesa ${formatMegabytes(bytes.length)}: il massimo è ${formatMegabytes(MAX_INPUT_BYTES)}. ` +
        'Scansionatelo a 200 dpi o fotografatelo di nuovo',
      { details: { name, measure: 'bytes', size: bytes.length, limit: MAX_INPUT_BYTES } },
    );
  }
  if (bytes.length === 0) {
    throw new AppError('file_type', `Il file «${name}» è vuoto: salvatelo o scansionatelo di nuovo`, {
      details: { name, kind: null, reason: 'empty' },
    });
  }
  const kind = sniff(bytes);
  if (kind === null) throw notAccepted(name);
  return kind === 'pdf' ? normalizePdf(bytes, name) : normalizeImage(bytes, name, kind);
}

/**
 * Whether this computer decodes HEIC photos. Sharp's prebuilt libvips leaves out the HEVC decoder
 * (patents) and then lists only ".avif" among the HEIF suffixes it reads.
 */
export function heicSupported(): boolean {
  return sharp.format.heif.input.fileSuffix?.includes('.heic') ?? false;
}

/** The formats to name when refusing a file, HEIC only where this computer reads it. */
export function acceptedFormats(): string[] {
  return ['PDF', 'JPEG', 'PNG', 'WebP', 'TIFF', ...(heicSupported() ? ['HEIC'] : []), 'AVIF'];
}

/**
 * What the form offers, exactly what normalizePart reads: the names for the clerk, the MIME types
 * and extensions for the file dialog. HEIC only where this computer decodes it; AVIF always.
 */
export function acceptedFiles(): AcceptedFormats {
  const accept: Record<string, string[]> = {
    'application/pdf': ['.pdf'],
    'image/jpeg': ['.jpg', '.jpeg'],
    'image/png': ['.png'],
    'image/webp': ['.webp'],
    'image/tiff': ['.tif', '.tiff'],
    ...(heicSupported() ? { 'image/heic': ['.heic'], 'image/heif': ['.heif'] } : {}),
    'image/avif': ['.avif'],
  };
  return {
    names: acceptedFormats(),
    accept,
    limits: {
      fileBytes: MAX_INPUT_BYTES,
      documentBytes: MAX_DOCUMENT_BYTES,
      requestBytes: MAX_REQUEST_BYTES,
    },
  };
}

async function normalizePdf(bytes: Uint8Array, name: string): Promise<NormalizedPart> {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new AppError(
      'file_too_large',
      `Il PDF «${name}» pesa ${formatMegabytes(bytes.length)}: il massimo per un documento è ` +
        `${formatMegabytes(MAX_DOCUMENT_BYTES)}. Riducetelo o scansionatelo di nuovo a 200 dpi`,
      { details: { name, measure: 'bytes', size: bytes.length, limit: MAX_DOCUMENT_BYTES } },
    );
  }
  if (!endsLikeAPdf(bytes)) throw damagedPdf(name, undefined);
  const pages = await countPdfPages(bytes, name);
  if (pages === 0) {
    throw new AppError(
      'file_type',
      `Il PDF «${name}» non contiene pagine: salvatelo o scansionatelo di nuovo`,
      {
        details: { name, kind: 'pdf', reason: 'empty' },
      },
    );
  }
  if (pages > MAX_DOCUMENT_PAGES) throw tooManyPages(name, pages);
  return { bytes, mime: 'application/pdf', kind: 'pdf', pages, width: null, height: null };
}

async function countPdfPages(bytes: Uint8Array, name: string): Promise<number> {
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: false, updateMetadata: false });
    return doc.getPageCount();
  } catch (error) {
    if (error instanceof EncryptedPDFError) {
      // Owner-only protection (no password to open, but restrictions) lands here too: we could not
      // merge its pages, and "Salva come PDF" from any viewer removes both kinds.
      throw new AppError(
        'file_type',
        `Il PDF «${name}» è protetto da password o da restrizioni: apritelo, salvatene una copia senza ` +
          'protezione (Stampa › Salva come PDF) e allegate quella',
        { cause: error, details: { name, kind: 'pdf', reason: 'encrypted' } },
      );
    }
    throw damagedPdf(name, error);
  }
}

/**
 * A download cut short still parses (pdf-lib rebuilds what it can), but lacks the closing `%%EOF`
 * that PDF readers look for in the last kilobyte.
 */
function endsLikeAPdf(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(-PDF_TRAILER_WINDOW);
  return tail.includes('%%EOF');
}

async function normalizeImage(bytes: Uint8Array, name: string, kind: ImageKind): Promise<NormalizedPart> {
  const header = await readHeader(bytes, name, kind, undefined);
  // Only TIFF pages are document pages (an ADF scan of fronte and retro). Other formats' extra
  // images are animation frames or the thumbnails and bursts of a HEIC: the primary one is the photo.
  const pages = kind === 'tiff' ? (header.pages ?? 1) : 1;
  if (pages === 1) {
    const page = await encodePage(bytes, name, kind, header, undefined);
    return { bytes: page.bytes, mime: 'image/jpeg', kind, pages: 1, width: page.width, height: page.height };
  }

  if (pages > MAX_DOCUMENT_PAGES) throw tooManyPages(name, pages);
  const jpegs: NormalizedPart[] = [];
  for (let index = 0; index < pages; index++) {
    const pageHeader = index === 0 ? header : await readHeader(bytes, name, kind, index);
    const page = await encodePage(bytes, name, kind, pageHeader, index);
    jpegs.push({
      bytes: page.bytes,
      mime: 'image/jpeg',
      kind,
      pages: 1,
      width: page.width,
      height: page.height,
    });
  }
  const pdf = await mergeToPdf(jpegs);
  if (pdf.length > MAX_DOCUMENT_BYTES) {
    throw new AppError(
      'file_too_large',
      `La scansione «${name}» di ${pages} pagine pesa ${formatMegabytes(pdf.length)} anche compressa: il massimo ` +
        `per un documento è ${formatMegabytes(MAX_DOCUMENT_BYTES)}. Dividetela in più file o togliete le pagine che non servono`,
      { details: { name, measure: 'bytes', size: pdf.length, limit: MAX_DOCUMENT_BYTES, pages } },
    );
  }
  return { bytes: pdf, mime: 'application/pdf', kind, pages, width: null, height: null };
}

async function readHeader(
  bytes: Uint8Array,
  name: string,
  kind: ImageKind,
  page: number | undefined,
): Promise<Metadata> {
  // Only the header is read here, so no pixel limit yet: we want the size to name it in the message.
  const header = await decoding(name, kind, () =>
    sharp(bytes, { ...loadOptions(page), limitInputPixels: false }).metadata(),
  );
  if (header.format !== LOADER_FORMAT[kind]) throw damagedImage(name, kind, undefined);
  if (kind === 'heic' && header.compression === 'hevc' && !heicSupported()) {
    throw heicUnsupported(name, undefined);
  }
  const pixels = header.width * header.height;
  if (pixels > MAX_INPUT_PIXELS) {
    throw new AppError(
      'file_too_large',
      `L'immagine «${name}» è troppo grande (${header.width}×${header.height} pixel): il massimo è ` +
        `${MAX_INPUT_PIXELS / 1_000_000} milioni di pixel. Fotografatela o scansionatela a una risoluzione più bassa`,
      {
        details: {
          name,
          measure: 'pixels',
          width: header.width,
          height: header.height,
          limit: MAX_INPUT_PIXELS,
        },
      },
    );
  }
  return header;
}

async function encodePage(
  bytes: Uint8Array,
  name: string,
  kind: ImageKind,
  header: Metadata,
  page: number | undefined,
): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const grey = header.space === 'b-w' || header.space === 'grey16';
  // Decoded once to upright, flattened 8-bit pixels; the ladder below only re-encodes them. Raw
  // pixels carry no metadata, so nothing of the original EXIF can reach the output.
  const { data, info } = await decoding(name, kind, () =>
    sharp(bytes, loadOptions(page))
      .rotate()
      .resize({ width: MAX_LONG_SIDE_PX, height: MAX_LONG_SIDE_PX, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace(grey ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const space = info.channels === 1 ? 'b-w' : 'srgb';

  let encoded = { bytes: new Uint8Array(), width: 0, height: 0 };
  let tried: EncodingStep | null = null;
  for (const [index, step] of ENCODING_LADDER.entries()) {
    const last = index === ENCODING_LADDER.length - 1;
    if (tried && !last && hopeless(step, tried, encoded.bytes.length)) continue;
    const pipeline = sharp(data, { raw });
    if (step.scale < 1) {
      pipeline.resize(
        Math.max(1, Math.round(info.width * step.scale)),
        Math.max(1, Math.round(info.height * step.scale)),
      );
    }
    const out = await pipeline
      .toColourspace(space)
      .jpeg({
        quality: step.quality,
        chromaSubsampling: '4:2:0',
        mozjpeg: false,
        quantisationTable: 3,
        trellisQuantisation: step.trellis,
        optimiseCoding: true,
      })
      .toBuffer({ resolveWithObject: true });
    encoded = { bytes: out.data, width: out.info.width, height: out.info.height };
    tried = step;
    if (out.data.length <= TARGET_PAGE_BYTES) break;
  }
  // Past the last step a page is still far below MAX_DOCUMENT_BYTES; the request budget decides.
  return encoded;
}

function loadOptions(page: number | undefined): SharpOptions {
  // 'truncated' refuses half-copied files but lets through the minor warnings many cameras cause.
  return { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, page };
}

async function decoding<T>(name: string, kind: ImageKind, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) throw error;
    // libheif's words when the HEVC decoder is missing, should the suffix list not have told us.
    const missingDecoder = /compression format|plugin|not built in/i;
    if (kind === 'heic' && missingDecoder.test(error instanceof Error ? error.message : String(error))) {
      throw heicUnsupported(name, error);
    }
    throw damagedImage(name, kind, error);
  }
}

function notAccepted(name: string): AppError {
  const formats = acceptedFormats();
  const list = `${formats.slice(0, -1).join(', ')} e ${formats.at(-1) ?? ''}`;
  return new AppError(
    'file_type',
    `Il file «${name}» non è un PDF né un'immagine accettata: salvatelo come PDF e riprovate (si accettano ${list})`,
    { details: { name, kind: null, reason: 'unknown', accepted: formats } },
  );
}

function heicUnsupported(name: string, cause: unknown): AppError {
  return new AppError(
    'file_type',
    `HEIC non supportato su questo computer: esportate la foto «${name}» in JPEG e riprovate ` +
      "(sull'iPhone: Impostazioni › Fotocamera › Formati › Più compatibile)",
    { cause, details: { name, kind: 'heic', reason: 'heic_unsupported' } },
  );
}

function damagedPdf(name: string, cause: unknown): AppError {
  return new AppError(
    'file_type',
    `Il PDF «${name}» è danneggiato o incompleto e non si può leggere: scaricatelo o scansionatelo di nuovo`,
    { cause, details: { name, kind: 'pdf', reason: 'damaged' } },
  );
}

function damagedImage(name: string, kind: ImageKind, cause: unknown): AppError {
  return new AppError(
    'file_type',
    `L'immagine «${name}» è danneggiata o incompleta: apritela e salvatela di nuovo, oppure rifate la scansione`,
    { cause, details: { name, kind, reason: 'damaged' } },
  );
}

function tooManyPages(name: string, pages: number): AppError {
  return new AppError(
    'file_too_large',
    `Il file «${name}» ha ${pages} pagine: il massimo è ${MAX_DOCUMENT_PAGES}. Allegate solo le pagine che servono`,
    { details: { name, measure: 'pages', pages, limit: MAX_DOCUMENT_PAGES } },
  );
}
