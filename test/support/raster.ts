import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp, { type OverlayOptions } from 'sharp';

/*
 * A PDF page turned into pixels, as a printer and a scanner would: the text layer drawn again with
 * Liberation Sans (metric-compatible with the Helvetica the app prints in), every image placed
 * where the page's transformation matrices put it (the mandato's code among them), rules ignored.
 * pdfjs-dist parses the page; it cannot paint without a canvas package, which the tests lack, so
 * the painting is SVG through sharp.
 */

/** pdfjs's image kinds: 1 bit grey, RGB, RGBA. */
const KIND_CHANNELS: Record<number, 1 | 3 | 4> = { 1: 1, 2: 3, 3: 4 };

type Matrix = [number, number, number, number, number, number];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface PdfImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Every page of a PDF as a white-background PNG at `dpi`. */
export async function rasterisePdf(bytes: Uint8Array, dpi = 150): Promise<Buffer[]> {
  const task = getDocument({
    // A plain copy: pdf.js takes no Buffer, and detaches what it is given.
    data: new Uint8Array(bytes),
    verbosity: 0,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
  });
  const doc = await task.promise;
  const pages: Buffer[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, , pageWidth, pageHeight] = page.view as [number, number, number, number];
      const scale = dpi / 72;
      const width = Math.round(pageWidth * scale);
      const height = Math.round(pageHeight * scale);
      // The operator list first: it loads the fonts the text items name (their bold flag).
      const operators = await page.getOperatorList();
      const text = await page.getTextContent();
      const spans: string[] = [];
      for (const item of text.items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const [a = 0, b = 0, , , e = 0, f = 0] = (item.transform as unknown[]).map(Number);
        const size = Math.hypot(a, b) * scale;
        const font = await new Promise<{ bold?: boolean } | null>((resolve) => {
          page.commonObjs.get(item.fontName, resolve);
        });
        spans.push(
          `<text x="${(e * scale).toFixed(1)}" y="${(height - f * scale).toFixed(1)}" font-family="Liberation Sans" ` +
            `font-size="${size.toFixed(1)}" font-weight="${font?.bold ? 'bold' : 'normal'}" fill="#111">${escape(item.str)}</text>`,
        );
      }
      const layers: OverlayOptions[] = [
        {
          input: Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${spans.join('')}</svg>`,
          ),
          top: 0,
          left: 0,
        },
      ];
      let ctm: Matrix = [1, 0, 0, 1, 0, 0];
      const stack: Matrix[] = [];
      for (const [i, fn] of operators.fnArray.entries()) {
        const args = operators.argsArray[i] as unknown[];
        if (fn === OPS.save) stack.push(ctm);
        else if (fn === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
        else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
        else if (fn === OPS.paintImageXObject) {
          const id = args[0] as string;
          // An image drawn on several pages is kept among the document's objects (`g_…`).
          const objects = id.startsWith('g_') ? page.commonObjs : page.objs;
          const image = await new Promise<PdfImage>((resolve) => {
            objects.get(id, resolve);
          });
          const channels = KIND_CHANNELS[image.kind];
          if (!channels || channels === 1) continue; // 1-bit masks: none in what the app prints
          // The unit square mapped by the matrix: upright images only (what pdf-lib draws).
          const w = Math.max(1, Math.round(ctm[0] * scale));
          const h = Math.max(1, Math.round(ctm[3] * scale));
          const left = Math.round(ctm[4] * scale);
          const top = Math.round(height - (ctm[5] + ctm[3]) * scale);
          const input = await sharp(
            Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength),
            {
              raw: { width: image.width, height: image.height, channels },
            },
          )
            .resize(w, h, { kernel: 'nearest' })
            .png()
            .toBuffer();
          layers.push({ input, top, left });
        }
      }
      pages.push(
        await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
          .composite(layers)
          .png()
          .toBuffer(),
      );
    }
  } finally {
    await task.destroy();
  }
  return pages;
}
