import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { IVA_RATE, withIva } from '../../common/money.ts';
import { CLERK_STATE_WORDS, type ClerkState } from '../../common/request-states.ts';
import { MUTED, Writer } from '../pdf/writer.ts';

/*
 * The receipt the client takes home: who took the request (the office, its address, the
 * operator), what (service, documents attached), when, under which number (short, to be read over
 * the phone), where it stands, what the client pays the office (not Openapi's cost, which is the
 * office's and printed only if the office wants it), what happens next and how the outputs will
 * reach them. One A4 page, printed at the counter. In Prova it says, large, that it is not valid.
 */

export interface ReceiptInput {
  office: { name: string; address: string; operator: string };
  client: { name: string; codiceFiscale: string | null };
  service: string;
  sentAt: Date;
  /** The pratica's number ("RM1-2026-000123"). */
  number: string;
  /** Where it stands, as the client is told (request-states.ts stateForClient). */
  state: ClerkState;
  /** Why it was refused, in the CAF/Patronato's words, when it was. */
  refusal: string | null;
  /** Each document sent, by the form's name for it, with the files it was made of. */
  attachments: { label: string; files: string[] }[];
  /** What the office asks the client (euro; 0: nothing to pay). */
  clientPrice: number;
  /** Openapi's price to the office (net of IVA), printed only when the office asks for it. */
  cost: number | null;
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

/** What happens next, for each state the client may be told. */
function next(input: ReceiptInput): string {
  const contact = input.phone ? ` al ${input.phone}` : '';
  switch (input.state) {
    case 'in_invio':
      return `La pratica è stata presentata e la sua trasmissione al CAF/Patronato è in corso. Se servono altri documenti o chiarimenti vi contatteremo${contact}.`;
    case 'pronta':
      return 'Il CAF/Patronato ha già prodotto i primi documenti, e altri possono ancora arrivare: potete ritirare quelli pronti allo sportello.';
    case 'completata':
      return 'La pratica è completata: i documenti prodotti sono pronti e potete ritirarli allo sportello.';
    case 'annullata':
      return 'La pratica è stata annullata e non sarà lavorata. Per ripresentarla rivolgetevi allo sportello.';
    case 'respinta':
      return `Il CAF/Patronato ha respinto la pratica${input.refusal ? ` con questa motivazione: «${input.refusal}»` : ''}. Rivolgetevi allo sportello per capire come procedere.`;
    default:
      return (
        'La pratica è stata trasmessa ed è in lavorazione presso il CAF/Patronato: i tempi dipendono dal servizio ' +
        `(per molte pratiche pochi giorni lavorativi). Se servono altri documenti o chiarimenti vi contatteremo${contact}.`
      );
  }
}

/** The receipt as PDF bytes: one A4 page. */
export async function generateReceipt(input: ReceiptInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Ricevuta ${input.number} – ${input.service}`);
  pdf.setCreator('Sportello');
  pdf.setProducer('Sportello');
  pdf.setLanguage('it-IT');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const w = new Writer(pdf, regular, bold);

  if (input.office.name.trim())
    w.text(input.office.name.trim().toUpperCase(), { font: bold, size: 11, color: MUTED });
  if (input.office.address.trim()) w.text(input.office.address.trim(), { size: 9, color: MUTED });
  if (input.office.operator.trim())
    w.text(`Operatore: ${input.office.operator.trim()}`, { size: 9, color: MUTED });
  w.gap(10);
  w.text('RICEVUTA DI PRESENTAZIONE DELLA PRATICA', { font: bold, size: 15, align: 'center' });
  if (input.test) {
    w.gap(4);
    w.text('DOCUMENTO DI PROVA — non valido', { font: bold, size: 13, align: 'center' });
    w.text('Ambiente di prova: la pratica non è stata inviata davvero e nessun documento sarà prodotto.', {
      size: 9,
      align: 'center',
    });
  }
  w.gap(10);
  w.text(`Numero pratica ${input.number}`, { font: bold, size: 14, align: 'center' });
  w.gap(8);
  w.fields([
    ['Cliente', input.client.name || '—'],
    ...(input.client.codiceFiscale
      ? ([['Codice fiscale', input.client.codiceFiscale]] as [string, string][])
      : []),
    ['Servizio', input.service],
    ['Presentata il', when.format(input.sentAt)],
    ['Stato', CLERK_STATE_WORDS[input.state]],
  ]);
  w.gap(10);

  w.text('Documenti allegati', { font: bold, size: 10.5 });
  w.gap(2);
  if (!input.attachments.length) w.paragraph('Nessun documento.', { size: 9.5 });
  for (const a of input.attachments.slice(0, 8)) {
    w.paragraph(`• ${a.label}: ${a.files.join(', ')}`, { size: 9.5, lineHeight: 13 });
  }
  w.gap(10);

  w.text('Importo a carico del cliente', { font: bold, size: 10.5 });
  w.gap(2);
  w.paragraph(
    input.clientPrice > 0
      ? `${euro.format(input.clientPrice)} (IVA inclusa), da versare all’ufficio.`
      : 'Nessun importo: il servizio è gratuito per il cliente.',
    { size: 9.5 },
  );
  if (input.cost !== null) {
    w.gap(6);
    w.text('Costo del servizio per l’ufficio (Openapi)', { font: bold, size: 10.5 });
    w.gap(2);
    const { imponibile, iva, totale } = withIva(input.cost);
    w.paragraph(
      `Imponibile ${euro.format(imponibile)} · IVA ${Math.round(IVA_RATE * 100)}% ${euro.format(iva)} · Totale ${euro.format(totale)}`,
      { size: 9.5 },
    );
  }
  w.gap(10);

  w.text('Che cosa succede ora', { font: bold, size: 10.5 });
  w.gap(2);
  w.paragraph(next(input), { size: 9.5 });
  w.gap(6);
  w.text('Come riceverete i documenti', { font: bold, size: 10.5 });
  w.gap(2);
  w.paragraph(
    'I documenti prodotti arrivano a questo ufficio, che li conserva nel vostro fascicolo: potete ritirarli ' +
      `allo sportello indicando il numero pratica ${input.number}.` +
      (input.emailTarget ? ` Li riceverete anche per email all’indirizzo ${input.emailTarget}.` : ''),
    { size: 9.5 },
  );
  w.gap(8);
  w.paragraph('Conservate questa ricevuta: il numero pratica permette di ritrovare la richiesta.', {
    size: 8.5,
  });
  return pdf.save();
}
