import { degrees, PDFDocument, rgb, StandardFonts } from '@cantoo/pdf-lib';
import yazl from 'yazl';

export interface OutputSpec {
  name: string;
  title: string;
}

export interface OutputContext {
  requestId: string;
  serviceName: string;
  /** Who the request is for, as submitted (e.g. "Mario Rossi"). */
  subject: string;
  issuedAt: Date;
}

/** A real one-page PDF, watermarked: Prova outputs must never pass for real documents. */
export async function buildOutputPdf(spec: OutputSpec, ctx: OutputContext): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${spec.title} – ${ctx.serviceName}`);
  pdf.setAuthor('Simulatore Visengine (Prova)');
  pdf.setCreationDate(ctx.issuedAt);
  const page = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const ink = rgb(0.1, 0.12, 0.16);
  let y = 780;
  const line = (text: string, size = 11, font = regular) => {
    page.drawText(winAnsi(text), { x: 56, y, size, font, color: ink });
    y -= size + 10;
  };
  line(spec.title, 18, bold);
  line(ctx.serviceName, 13, bold);
  y -= 8;
  line(`Richiesta: ${ctx.requestId}`);
  line(`Intestatario: ${ctx.subject || '—'}`);
  line(`Data: ${ctx.issuedAt.toLocaleDateString('it-IT', { timeZone: 'Europe/Rome' })}`);
  y -= 8;
  line('Documento generato dal simulatore integrato di Sportello (ambiente Prova).');
  line('Non ha alcun valore legale e non è stato trasmesso ad alcun ente.');
  page.drawText('DOCUMENTO DI PROVA', {
    x: 110,
    y: 260,
    size: 54,
    font: bold,
    color: rgb(0.85, 0.2, 0.2),
    opacity: 0.25,
    rotate: degrees(45),
  });
  return pdf.save();
}

/** The standard fonts speak WinAnsi: keep Italian letters, strip other accents, replace the rest. */
function winAnsi(text: string): string {
  return text.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u20ac\u2022]/gu, (ch) => {
    const plain = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    return /^[\x20-\x7e]+$/.test(plain) ? plain : '?';
  });
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** Deflated zip of the given entries, with a fixed date so equal inputs give equal bytes. */
export function buildZip(entries: ZipEntry[], mtime: Date): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(Buffer.from(entry.data), entry.name, { mtime, compress: true });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export async function buildOutputZip(specs: OutputSpec[], ctx: OutputContext): Promise<Buffer> {
  const entries: ZipEntry[] = [];
  for (const spec of specs) entries.push({ name: spec.name, data: await buildOutputPdf(spec, ctx) });
  return buildZip(entries, ctx.issuedAt);
}
