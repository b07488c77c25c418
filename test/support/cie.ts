import bwipjs from 'bwip-js';
import sharp from 'sharp';
import { CARD_HEIGHT, CARD_WIDTH } from './cards.ts';

/*
 * The back of an Italian electronic identity card (CIE 3.0) as a phone photographs it: the codice
 * fiscale in clear and as Code 39, and the three lines of its ICAO TD1 machine-readable zone with
 * real check digits (written out here, so that no test trusts the app's own MRZ parser).
 */

export interface CieHolder {
  cognome: string;
  nome: string;
  cf: string;
  /** yyyy-mm-dd */
  birthDate: string;
  sex: 'M' | 'F';
  /** Two letters, five digits, two letters. */
  cardNumber: string;
  /** yyyy-mm-dd */
  expiry: string;
}

/** ICAO 9303 check digit: digits as themselves, A–Z as 10–35, `<` as 0, weights 7 3 1. */
function checkDigit(text: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (const [i, ch] of [...text].entries()) {
    const value = ch === '<' ? 0 : /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += value * weights[i % 3]!;
  }
  return String(sum % 10);
}

const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
const field = (text: string, length: number) =>
  text
    .toUpperCase()
    .replace(/[^A-Z0-9<]+/g, '<')
    .padEnd(length, '<')
    .slice(0, length);

/** The TD1 zone: document, then birth, sex, expiry, nationality, then SURNAME<<NAME. */
export function td1(holder: CieHolder): [string, string, string] {
  const line1 = field(`CIITA${holder.cardNumber}${checkDigit(holder.cardNumber)}`, 30);
  const birth = yymmdd(holder.birthDate) + checkDigit(yymmdd(holder.birthDate));
  const expiry = yymmdd(holder.expiry) + checkDigit(yymmdd(holder.expiry));
  const optional = field('', 11);
  const composite = checkDigit(line1.slice(5, 30) + birth + expiry + optional);
  const line2 = `${birth}${holder.sex}${expiry}ITA${optional}${composite}`;
  return [line1, line2, field(`${holder.cognome}<<${holder.nome}`, 30)];
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The card's back, upright, as a JPEG photo of it. */
export async function cieBackPhoto(holder: CieHolder): Promise<Buffer> {
  const w = CARD_WIDTH;
  const h = CARD_HEIGHT;
  const barcode = await bwipjs.toBuffer({
    bcid: 'code39',
    text: holder.cf,
    scale: 2,
    height: 8,
    includetext: false,
    paddingwidth: 10,
    paddingheight: 4,
    backgroundcolor: 'FFFFFF',
  });
  const meta = await sharp(barcode).metadata();
  const mrz = td1(holder)
    .map(
      (line, i) =>
        `<text x="40" y="${470 + i * 62}" font-family="DejaVu Sans Mono" font-size="50" fill="#111" xml:space="preserve">${esc(line)}</text>`,
    )
    .join('');
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
      `<rect width="${w}" height="${h}" fill="#eef1f4"/>` +
      `<text x="40" y="50" font-family="Liberation Sans" font-size="17" fill="#4b5a6a">CODICE FISCALE / FISCAL CODE</text>` +
      `<text x="40" y="88" font-family="Liberation Sans" font-weight="bold" font-size="30" fill="#15181c">${esc(holder.cf)}</text>` +
      `<text x="40" y="150" font-family="Liberation Sans" font-size="17" fill="#4b5a6a">INDIRIZZO DI RESIDENZA / RESIDENCE</text>` +
      `<text x="40" y="182" font-family="Liberation Sans" font-weight="bold" font-size="24" fill="#15181c">VIA ROMA 1 - PISA (PI)</text>` +
      `<rect x="0" y="410" width="${w}" height="${h - 410}" fill="#f7f7f4"/>` +
      mrz +
      `</svg>`,
  );
  return sharp(svg)
    .composite([{ input: barcode, top: 240, left: Math.round(w - meta.width - 40) }])
    .jpeg({ quality: 88 })
    .toBuffer();
}
