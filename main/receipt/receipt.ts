import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { IVA_RATE, withIva } from '../../common/money.ts';
import { MUTED, Writer } from '../pdf/writer.ts';

/*
 * The receipt the client takes home when the request is sent: who took it (office, operator),
 * what (service, documents attached), when, under which number, for how much (net, IVA, gross),
 * what happens next and how the outputs will reach them. One A4 page, printed at the counter.
 */

export interface ReceiptInput {
  office: { name: string; operator: string };
  client: { name: string; codiceFiscale: string | null };
  service: string;
  sentAt: Date;
  /** This counter's number for the request, and the service's. */
  requestId: string;
  remoteId: string | null;
  /** Each document sent, by the form's name for it, with the files it was made of. */
  attachments: { label: string; files: string[] }[];
  /** The price charged (net of IVA, as Visengine quotes it); null when not known yet. */
  net: number | null;
  /** The outputs also go to this address (email_target). */
  emailTarget: string | null;
  phone: string | null;
  /** Prova: nothing was really sent, and the receipt says so. */
  test: boolean;
}

const euro = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
const when = new Intl.DateTimeFormat('it-IT', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** The receipt as PDF bytes: one A4 page. */
export async function generateReceipt(input: ReceiptInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Ricevuta – ${input.service}`);
  pdf.setCreator('Sportello');
  pdf.setProducer('Sportello');
  pdf.setLanguage('it-IT');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const w = new Writer(pdf, regular, bold);

  const office = input.office.name.trim() || 'Ufficio';
  w.text(office.toUpperCase(), { font: bold, size: 11, color: MUTED });
  if (input.office.operator.trim())
    w.text(`Operatore: ${input.office.operator.trim()}`, { size: 9, color: MUTED });
  w.gap(14);
  w.text('RICEVUTA DI PRESENTAZIONE DELLA PRATICA', { font: bold, size: 15, align: 'center' });
  if (input.test) {
    w.gap(4);
    w.text('AMBIENTE DI PROVA – la pratica non è stata inviata davvero e non ha costi', {
      font: bold,
      size: 9.5,
      align: 'center',
    });
  }
  w.gap(14);
  w.fields([
    ['Cliente', input.client.name || '—'],
    ...(input.client.codiceFiscale
      ? ([['Codice fiscale', input.client.codiceFiscale]] as [string, string][])
      : []),
    ['Servizio', input.service],
    ['Inviata il', when.format(input.sentAt)],
    ['Numero pratica', input.requestId],
    ...(input.remoteId ? ([['Numero Openapi', input.remoteId]] as [string, string][]) : []),
  ]);
  w.gap(12);

  w.text('Documenti allegati', { font: bold, size: 10.5 });
  w.gap(2);
  if (!input.attachments.length) w.paragraph('Nessun documento.', { size: 9.5 });
  for (const a of input.attachments.slice(0, 8)) {
    w.paragraph(`• ${a.label}: ${a.files.join(', ')}`, { size: 9.5, lineHeight: 13 });
  }
  w.gap(12);

  w.text('Importo', { font: bold, size: 10.5 });
  w.gap(2);
  if (input.net === null) {
    w.paragraph('Importo non ancora confermato dal servizio.', { size: 9.5 });
  } else {
    const { imponibile, iva, totale } = withIva(input.net);
    w.fields([
      ['Imponibile', euro.format(imponibile)],
      [`IVA ${Math.round(IVA_RATE * 100)}%`, euro.format(iva)],
      ['Totale', euro.format(totale)],
    ]);
  }
  w.gap(14);

  w.text('Che cosa succede ora', { font: bold, size: 10.5 });
  w.gap(2);
  w.paragraph(
    'La pratica è stata trasmessa ed è in lavorazione presso il CAF/Patronato: i tempi dipendono dal servizio ' +
      '(per molte pratiche pochi giorni lavorativi). Se servono altri documenti o chiarimenti vi contatteremo' +
      (input.phone ? ` al ${input.phone}.` : '.'),
    { size: 9.5 },
  );
  w.gap(6);
  w.text('Come riceverete i documenti', { font: bold, size: 10.5 });
  w.gap(2);
  w.paragraph(
    'I documenti prodotti arrivano a questo ufficio, che li conserva nel vostro fascicolo: potete ritirarli ' +
      'allo sportello indicando il numero pratica.' +
      (input.emailTarget ? ` Li riceverete anche per email all’indirizzo ${input.emailTarget}.` : ''),
    { size: 9.5 },
  );
  w.gap(14);
  w.paragraph('Conservate questa ricevuta: il numero pratica permette di ritrovare la richiesta.', {
    size: 8.5,
  });
  return pdf.save();
}
