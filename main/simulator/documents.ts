import { degrees, PDFDocument, rgb, StandardFonts } from '@cantoo/pdf-lib';
import yazl from 'yazl';
import { signCades } from './cades.ts';

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

/**
 * One output's bytes, in the form its name says (catalog.ts lists the forms), as administrations
 * send them: a PDF, a PDF signed as CAdES, an XML, a text, and a Word document with macros (which
 * the app must leave out, saying why, while it keeps the others).
 */
export async function buildOutput(spec: OutputSpec, ctx: OutputContext): Promise<Uint8Array> {
  const name = spec.name.toLowerCase();
  if (name.endsWith('.pdf.p7m'))
    return signCades(await buildOutputPdf({ ...spec, name: spec.name.slice(0, -4) }, ctx), ctx.issuedAt);
  if (name.endsWith('.xml')) return buildOutputXml(spec, ctx);
  if (name.endsWith('.txt')) return buildOutputText(spec, ctx);
  if (name.endsWith('.docm')) return buildMacroDocument(spec, ctx);
  return buildOutputPdf(spec, ctx);
}

function buildOutputXml(spec: OutputSpec, ctx: OutputContext): Uint8Array {
  const escape = (text: string) => text.replace(/[<>&"']/gu, (ch) => `&#${ch.charCodeAt(0)};`);
  return Buffer.from(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- DOCUMENTO DI PROVA: generato dal simulatore integrato di Sportello, senza valore legale -->',
      '<esito prova="true">',
      `  <titolo>${escape(spec.title)}</titolo>`,
      `  <servizio>${escape(ctx.serviceName)}</servizio>`,
      `  <richiesta>${escape(ctx.requestId)}</richiesta>`,
      `  <intestatario>${escape(ctx.subject)}</intestatario>`,
      `  <data>${ctx.issuedAt.toISOString()}</data>`,
      '  <codice>0</codice>',
      '</esito>',
      '',
    ].join('\n'),
    'utf8',
  );
}

function buildOutputText(spec: OutputSpec, ctx: OutputContext): Uint8Array {
  return Buffer.from(
    [
      'DOCUMENTO DI PROVA',
      spec.title,
      `Servizio: ${ctx.serviceName}`,
      `Richiesta: ${ctx.requestId}`,
      `Intestatario: ${ctx.subject || '—'}`,
      `Data: ${ctx.issuedAt.toLocaleDateString('it-IT', { timeZone: 'Europe/Rome' })}`,
      'Generato dal simulatore integrato di Sportello (ambiente Prova): non ha alcun valore legale.',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

/** A .docm as Word writes one: a package declaring a VBA project, and the project's part. */
function buildMacroDocument(spec: OutputSpec, ctx: OutputContext): Promise<Buffer> {
  return buildZip(
    [
      {
        name: '[Content_Types].xml',
        data: Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' +
            '<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        ),
      },
      { name: 'word/document.xml', data: Buffer.from(`<w:document><!-- ${spec.title} --></w:document>`) },
      { name: 'word/vbaProject.bin', data: Buffer.from('Attribute VB_Name = "DocumentoDiProva"') },
    ],
    ctx.issuedAt,
  );
}

export async function buildOutputZip(specs: OutputSpec[], ctx: OutputContext): Promise<Buffer> {
  const entries: ZipEntry[] = [];
  for (const spec of specs) entries.push({ name: spec.name, data: await buildOutput(spec, ctx) });
  return buildZip(entries, ctx.issuedAt);
}
