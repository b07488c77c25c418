import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';

/*
 * Text recognition with tesseract.js (Tesseract's LSTM engine in WebAssembly). Everything it needs
 * comes from node_modules: its worker script and WebAssembly core from tesseract.js and
 * tesseract.js-core, the Italian model from @tesseract.js-data/ita (the small "best_int" one). The
 * language path is a local folder, so tesseract.js reads the file instead of fetching it from its
 * default CDN, and nothing is cached in the working directory. Started on the first page that
 * needs it; Tesseract runs in a thread of its own.
 */

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrLine {
  text: string;
  /** 0–100 */
  confidence: number;
  bbox: Box;
}

export interface OcrWord {
  text: string;
  confidence: number;
}

export interface OcrResult {
  text: string;
  /** Mean word confidence, 0–100. */
  confidence: number;
  lines: OcrLine[];
  words: OcrWord[];
}

/** The characters of a machine-readable zone. */
const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** Where the files tesseract.js needs are; every one of them inside node_modules. */
export interface OcrAssets {
  /** The folder holding `ita.traineddata.gz`. */
  langPath: string;
  /** tesseract.js's worker script (node flavour). */
  workerPath: string;
}

export function ocrAssets(): OcrAssets {
  const require = createRequire(import.meta.url);
  return {
    langPath: join(dirname(require.resolve('@tesseract.js-data/ita/package.json')), '4.0.0_best_int'),
    workerPath: join(
      dirname(require.resolve('tesseract.js/package.json')),
      'src',
      'worker-script',
      'node',
      'index.js',
    ),
  };
}

/** One Tesseract, started on first use, switched between plain text and MRZ characters per call. */
export class Ocr {
  private worker: Promise<Worker> | null = null;
  private mode: 'text' | 'mrz' | null = null;
  private readonly assets: OcrAssets;

  constructor(assets: OcrAssets = ocrAssets()) {
    this.assets = assets;
  }

  /**
   * Reads an image (PNG or JPEG bytes). `text`: Italian words, page layout analysed; `mrz`: only
   * A–Z, 0–9 and `<`, as one block of uniform lines.
   */
  async recognize(image: Uint8Array, mode: 'text' | 'mrz'): Promise<OcrResult> {
    const worker = await this.start();
    if (this.mode !== mode) {
      await worker.setParameters({
        ...(mode === 'mrz'
          ? {
              tessedit_char_whitelist: MRZ_ALPHABET,
              tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
              thresholding_method: '0',
            }
          : {
              tessedit_char_whitelist: '',
              tessedit_pageseg_mode: PSM.AUTO,
              // Local thresholds: a card's title sits on a tinted band that one global threshold blacks out.
              thresholding_method: '1',
            }),
        // Papers are dark on light: looking for light-on-dark words again doubles the time.
        tessedit_do_invert: '0',
        // Scans and photos carry no usable resolution; this one sizes Tesseract's guesses.
        user_defined_dpi: '300',
      });
      this.mode = mode;
    }
    const { data } = await worker.recognize(Buffer.from(image), {}, { text: true, blocks: true });
    const lines: OcrLine[] = [];
    const words: OcrWord[] = [];
    for (const block of data.blocks ?? [])
      for (const paragraph of block.paragraphs)
        for (const line of paragraph.lines) {
          lines.push({ text: line.text.trim(), confidence: line.confidence, bbox: line.bbox });
          for (const word of line.words) words.push({ text: word.text, confidence: word.confidence });
        }
    return { text: data.text, confidence: data.confidence, lines, words };
  }

  /** Stops Tesseract's thread; the next page starts it again. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.mode = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }

  private start(): Promise<Worker> {
    this.worker ??= createWorker('ita', OEM.LSTM_ONLY, {
      langPath: this.assets.langPath,
      workerPath: this.assets.workerPath,
      gzip: true,
      // Never write the model next to whatever the working directory is.
      cacheMethod: 'none',
    });
    this.worker.catch(() => {
      this.worker = null;
    });
    return this.worker;
  }
}
