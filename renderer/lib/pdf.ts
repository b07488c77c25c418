import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export interface OpenPdf {
  pdf: PDFDocumentProxy;
  /** Frees the worker-side document. */
  close: () => Promise<void>;
}

/** Opens a PDF from bytes with pdf.js (no network: there is nothing for it to fetch). */
export async function openPdf(data: Uint8Array): Promise<OpenPdf> {
  // pdf.js transfers the buffer to its worker: give it a copy so the caller's bytes stay usable.
  const task = getDocument({ data: data.slice(), stopAtErrors: false });
  const pdf = await task.promise;
  return { pdf, close: () => task.destroy() };
}

/** Renders one page into a canvas, fitted to `width` CSS pixels. */
export async function renderPage(
  pdf: PDFDocumentProxy,
  pageNumber: number,
  canvas: HTMLCanvasElement,
  width: number,
): Promise<void> {
  const page = await pdf.getPage(pageNumber);
  const unscaled = page.getViewport({ scale: 1 });
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: (width / unscaled.width) * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
  await page.render({ canvas, viewport }).promise;
}

/** Prints a PDF from inside the app: every page rendered by pdf.js, then the system print dialog. */
export async function printPdf(data: Uint8Array, title: string): Promise<void> {
  const { pdf, close } = await openPdf(data);
  const container = document.createElement('div');
  container.className = 'print-only';
  container.setAttribute('aria-hidden', 'true');
  try {
    for (let i = 1; i <= pdf.numPages; i++) {
      const canvas = document.createElement('canvas');
      await renderPage(pdf, i, canvas, 794);
      const img = document.createElement('img');
      img.src = canvas.toDataURL('image/png');
      img.alt = `${title} – pagina ${i}`;
      container.appendChild(img);
    }
    document.body.appendChild(container);
    document.body.classList.add('printing');
    window.print();
  } finally {
    document.body.classList.remove('printing');
    container.remove();
    await close();
  }
}
