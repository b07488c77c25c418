import { rgb, type PDFDocument, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';

/*
 * A plain A4 page writer for the documents Sportello prints (the mandato, the receipt): Standard
 * Helvetica (WinAnsi covers Italian accents, so no font is embedded), top-down, words wrapped by
 * measured width, a new page when one is full.
 */

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 56;
export const WIDTH = A4[0] - 2 * MARGIN;
export const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.38, 0.38, 0.42);
export const RULE = rgb(0.75, 0.75, 0.78);

/** A top-down text cursor that wraps words and adds a page when the current one is full. */
export class Writer {
  private readonly pdf: PDFDocument;
  private readonly regular: PDFFont;
  private readonly bold: PDFFont;
  private page: PDFPage;
  private y: number;

  constructor(pdf: PDFDocument, regular: PDFFont, bold: PDFFont) {
    this.pdf = pdf;
    this.regular = regular;
    this.bold = bold;
    this.page = pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Points left above the bottom margin on the current page. */
  get left(): number {
    return this.y - MARGIN;
  }

  gap(points: number): void {
    this.y -= points;
  }

  text(
    text: string,
    options: {
      font?: PDFFont;
      size?: number;
      color?: ReturnType<typeof rgb>;
      align?: 'left' | 'center';
    } = {},
  ): void {
    const font = options.font ?? this.regular;
    const size = options.size ?? 10.5;
    for (const line of wrap(text, font, size, WIDTH)) {
      this.room(size * 1.4);
      const width = font.widthOfTextAtSize(line, size);
      const x = options.align === 'center' ? MARGIN + (WIDTH - width) / 2 : MARGIN;
      this.y -= size;
      this.page.drawText(line, { x, y: this.y, size, font, color: options.color ?? INK });
      this.y -= size * 0.4;
    }
  }

  paragraph(text: string, options: { size?: number; lineHeight?: number } = {}): void {
    const size = options.size ?? 10.5;
    const lineHeight = options.lineHeight ?? size * 1.4;
    for (const line of wrap(text, this.regular, size, WIDTH)) {
      this.room(lineHeight);
      this.y -= lineHeight;
      this.page.drawText(line, {
        x: MARGIN,
        y: this.y + (lineHeight - size) / 2,
        size,
        font: this.regular,
        color: INK,
      });
    }
  }

  /** Label–value rows, the value in bold, underlined as on a paper form. */
  fields(rows: [string, string][]): void {
    const labelWidth = 110;
    for (const [label, value] of rows) {
      const lines = wrap(value, this.bold, 11, WIDTH - labelWidth);
      this.room(18 * lines.length);
      this.page.drawText(label, { x: MARGIN, y: this.y - 13, size: 9, font: this.regular, color: MUTED });
      for (const line of lines) {
        this.y -= 18;
        this.page.drawText(line, {
          x: MARGIN + labelWidth,
          y: this.y + 5,
          size: 11,
          font: this.bold,
          color: INK,
        });
      }
      this.page.drawLine({
        start: { x: MARGIN + labelWidth, y: this.y + 2 },
        end: { x: MARGIN + WIDTH, y: this.y + 2 },
        thickness: 0.5,
        color: RULE,
      });
    }
  }

  /** Place and date, then signature lines side by side, each with its printed name below. */
  signatures(date: string, signers: [string, string][]): void {
    this.room(120);
    this.y -= 28;
    this.page.drawText(`Luogo ______________________   Data ${date}`, {
      x: MARGIN,
      y: this.y,
      size: 10.5,
      font: this.regular,
      color: INK,
    });
    this.y -= 60;
    const column = (WIDTH - 30) / signers.length;
    signers.forEach(([title, name], i) => {
      const x = MARGIN + i * (column + 30);
      this.page.drawLine({
        start: { x, y: this.y },
        end: { x: x + column, y: this.y },
        thickness: 0.8,
        color: INK,
      });
      this.page.drawText(title, { x, y: this.y - 13, size: 9, font: this.bold, color: INK });
      this.page.drawText(fit(name, this.regular, 9, column), {
        x,
        y: this.y - 25,
        size: 9,
        font: this.regular,
        color: MUTED,
      });
    });
    this.y -= 30;
  }

  private room(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
}

/** Greedy word wrap by measured width; a word longer than the line is cut. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = fit(word, font, size, width);
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export function fit(text: string, font: PDFFont, size: number, width: number): string {
  let out = text;
  while (out.length > 1 && font.widthOfTextAtSize(out, size) > width) out = out.slice(0, -1);
  return out;
}
