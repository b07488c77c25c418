import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import bwipjs from 'bwip-js';
import { checkCodiceFiscale } from '../../common/validators/codiceFiscale.ts';
import { AppError } from '../errors.ts';
import { A4, MUTED, Writer } from '../pdf/writer.ts';

/*
 * The "mandato di assistenza e rappresentanza" a Patronato has the client sign for each case
 * (L. 152/2001, D.M. 193/2008 art. 4): the Patronato and its office, the date, the object (the
 * service), the privacy statement (Reg. UE 2016/679 art. 13), the client's and the authorised
 * operator's signatures. It is prefilled to print and sign; the signed scan goes into the slot.
 * Every page carries a QR code of the draft it was printed for (main/reading/mandato-code.ts), so
 * that its scan finds its slot, and says when it is another request's.
 */

export interface MandatoInput {
  office: { name: string; operator: string };
  client: {
    nome: string;
    cognome: string;
    codiceFiscale: string;
    email?: string | null | undefined;
    phone?: string | null | undefined;
    /** Birthplace name; the CF only gives its Belfiore code (see belfiore.ts lookupPlace). */
    birthPlace?: string | null | undefined;
  };
  service: { name: string };
  /** The day of signature, `yyyy-mm-dd`, or a Date (local calendar day). */
  date: string | Date;
  /**
   * The client agreed to have the identity document and the codice fiscale card kept for the next
   * requests: a line says so, until when, and that it can be revoked. Null: no such consent.
   */
  keepDocuments?: { until: Date } | null | undefined;
  /** What the QR code in each page's top-right corner carries (mandato-code.ts); none: no code. */
  code?: string | null | undefined;
}

/** The QR code's side: 0.6 mm a module, legible in a 150 dpi scan. */
const CODE_SIZE = 64;
/** From the page's top and right edges: inside the margin, clear of what printers cannot reach. */
const CODE_INSET = 14;

/** `2025-06-03` → `03/06/2025`, the counter's date format. */
export function italianDate(date: string | Date): string {
  if (typeof date !== 'string') {
    return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new AppError('invalid_argument', `Data non valida: ${date}`);
  return `${match[3]}/${match[2]}/${match[1]}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The prefilled mandate as PDF bytes (A4, one page; a second only for very long texts). */
export async function generateMandato(input: MandatoInput): Promise<Uint8Array> {
  const client = {
    nome: input.client.nome.trim(),
    cognome: input.client.cognome.trim(),
    cf: input.client.codiceFiscale.replace(/\s+/g, '').toUpperCase(),
  };
  if (!client.nome || !client.cognome) {
    throw new AppError('invalid_argument', 'Per il mandato servono nome e cognome dell’assistito');
  }
  const check = checkCodiceFiscale(client.cf);
  if (!check.ok) throw new AppError('invalid_argument', `Mandato: ${check.issue.message}`);
  if (!input.service.name.trim())
    throw new AppError('invalid_argument', 'Per il mandato serve il servizio richiesto');
  const office = input.office.name.trim() || '____________________________';
  const operator = input.office.operator.trim() || '____________________________';
  const date = italianDate(input.date);
  const persona = check.info?.kind === 'persona' ? check.info : null;
  const born = persona
    ? `nato/a a ${input.client.birthPlace?.trim() || `(codice ${persona.placeCode})`} il ${italianDate(persona.birthDate)}`
    : null;

  const pdf = await PDFDocument.create();
  pdf.setTitle(`Mandato di assistenza e rappresentanza – ${client.cognome} ${client.nome}`);
  pdf.setSubject(input.service.name);
  pdf.setCreator('Sportello');
  pdf.setProducer('Sportello');
  pdf.setLanguage('it-IT');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const writer = new Writer(pdf, regular, bold);

  writer.text(office.toUpperCase(), { font: bold, size: 10, color: MUTED });
  writer.text(`Operatore: ${operator}`, { size: 9, color: MUTED });
  writer.gap(18);
  writer.text('MANDATO DI ASSISTENZA E RAPPRESENTANZA', { font: bold, size: 16, align: 'center' });
  writer.text('(Legge 30 marzo 2001, n. 152 – D.M. n. 193/2008, art. 4)', {
    size: 9,
    color: MUTED,
    align: 'center',
  });
  writer.gap(16);

  writer.text('Il/La sottoscritto/a', { size: 10, color: MUTED });
  writer.gap(2);
  writer.fields([
    ['Cognome e nome', `${client.cognome} ${client.nome}`],
    ['Codice fiscale', client.cf],
    ...(born ? ([['Nascita', born]] as [string, string][]) : []),
    ['Email', input.client.email?.trim() || '—'],
    ['Telefono', input.client.phone?.trim() || '—'],
  ]);
  writer.gap(10);
  writer.text('CONFERISCE MANDATO', { font: bold, size: 12, align: 'center' });
  writer.gap(6);
  writer.paragraph(
    `a ${office}, nella persona dell’operatore incaricato ${operator}, ad assisterlo/a e ` +
      'rappresentarlo/a presso gli enti e le amministrazioni competenti per la pratica indicata, ' +
      'compresi la presentazione delle domande, le comunicazioni e il ricevimento degli esiti.',
  );
  writer.gap(6);
  writer.fields([['Oggetto', input.service.name.trim()]]);
  writer.gap(6);
  writer.paragraph(
    'Il mandato vale per la sola pratica indicata e cessa con la sua conclusione; può essere revocato in ' +
      'qualsiasi momento con comunicazione scritta. L’assistito/a riceve copia del presente mandato.',
  );
  writer.gap(14);

  writer.text('Informativa sul trattamento dei dati personali (art. 13 Reg. UE 2016/679)', {
    font: bold,
    size: 10,
  });
  writer.gap(2);
  const privacy = [
    `Titolare del trattamento è ${office}. I dati sono trattati per svolgere la pratica indicata e gli ` +
      'adempimenti di legge connessi; base giuridica: esecuzione del mandato e obblighi di legge (art. 6, par. 1, ' +
      'lett. b e c) e, per eventuali dati relativi alla salute, art. 9, par. 2, lett. b.',
    'Il conferimento dei dati è necessario: senza di essi la pratica non può essere svolta. I dati sono comunicati ' +
      'agli enti competenti e ai fornitori che trasmettono la pratica per conto del titolare, nominati ' +
      'responsabili del trattamento; non sono diffusi.',
    (input.keepDocuments
      ? 'Le copie dei documenti sono cancellate appena la pratica è accettata, salvo il consenso alla conservazione ' +
        'espresso qui sotto; gli altri dati sono conservati per il '
      : 'Le copie dei documenti sono cancellate appena la pratica è accettata; gli altri dati sono conservati per il ') +
      'tempo previsto dalla legge. L’interessato può chiedere accesso, rettifica, cancellazione, limitazione, ' +
      'portabilità e opporsi al trattamento (artt. 15–22), e proporre reclamo al Garante per la protezione dei ' +
      'dati personali (art. 77).',
  ];
  for (const text of privacy) {
    writer.paragraph(text, { size: 8.5, lineHeight: 11.5 });
    writer.gap(3);
  }
  writer.gap(4);
  writer.paragraph('Dichiaro di aver ricevuto l’informativa e di aver letto il presente mandato.', {
    size: 9.5,
  });
  if (input.keepDocuments) {
    writer.gap(6);
    writer.paragraph(
      'Consenso alla conservazione dei documenti (art. 6, par. 1, lett. a): acconsento che l’ufficio conservi, ' +
        'cifrate, le copie del mio documento d’identità e della tessera del codice fiscale per le pratiche ' +
        `successive, fino al ${italianDate(input.keepDocuments.until)} (scadenza del documento, al massimo 12 mesi). ` +
        'Posso revocare il consenso in qualsiasi momento: la revoca ne comporta la cancellazione immediata.',
      { size: 9.5 },
    );
  }

  writer.signatures(date, [
    ['Firma dell’assistito/a', `${client.cognome} ${client.nome}`],
    ['Firma dell’operatore incaricato', operator],
  ]);
  if (input.code) await stampCode(pdf, input.code);
  return pdf.save();
}

/** The QR code on every page, in the top-right corner (the title and the office name stay left of it). */
async function stampCode(pdf: PDFDocument, text: string): Promise<void> {
  // BWIPP's default error correction for QR (M): a fold or a stain across a sixth of it still reads.
  const png = await bwipjs.toBuffer({
    bcid: 'qrcode',
    text,
    scale: 4,
    paddingwidth: 4,
    paddingheight: 4,
    backgroundcolor: 'FFFFFF',
  });
  const image = await pdf.embedPng(png);
  for (const page of pdf.getPages())
    page.drawImage(image, {
      x: A4[0] - CODE_INSET - CODE_SIZE,
      y: A4[1] - CODE_INSET - CODE_SIZE,
      width: CODE_SIZE,
      height: CODE_SIZE,
    });
}
