import { PDFDocument } from '@cantoo/pdf-lib';
import bwipjs from 'bwip-js';
import sharp from 'sharp';
import { codiceFiscaleCheckLetter } from '../../common/validators/codiceFiscale.ts';
import { cardBack, CARD_HEIGHT, CARD_WIDTH } from './cards.ts';
import { rasterisePdf } from './raster.ts';

/*
 * The papers a client hands over, made the way a counter gets them: an identity card's front, a
 * CIE's back (CF barcode and a TD1 machine-readable zone with real check digits), a passport's
 * data page (TD3), a tessera sanitaria's back (Code 39), the mandato the app printed, signed and
 * scanned — then photographed askew, turned, noisy or in poor light, and named as phones and
 * scanners name files. The bench and the tests share this set.
 */

export type Paper = 'identita' | 'codice_fiscale' | 'mandato';

export interface Person {
  cognome: string;
  nome: string;
  cf: string;
  /** yyyy-mm-dd */
  birthDate: string;
  sex: 'M' | 'F';
  birthPlace: string;
  /** The identity card's number (CIE: two letters, five digits, two letters). */
  cardNumber: string;
  passportNumber: string;
  /** The documents' expiry, yyyy-mm-dd. */
  expiry: string;
}

export const MARIO: Person = {
  cognome: 'ROSSI',
  nome: 'MARIO',
  cf: 'RSSMRA85T10A562S',
  birthDate: '1985-12-10',
  sex: 'M',
  birthPlace: 'SAN GIULIANO TERME (PI)',
  cardNumber: 'CA12345AB',
  passportNumber: 'YA1234567',
  expiry: '2031-12-10',
};

const giuliaCf = 'BNCGLI90A41H501';
export const GIULIA: Person = {
  cognome: 'BIANCHI',
  nome: 'GIULIA',
  cf: giuliaCf + codiceFiscaleCheckLetter(giuliaCf),
  birthDate: '1990-01-01',
  sex: 'F',
  birthPlace: 'ROMA (RM)',
  cardNumber: 'CB98765XY',
  passportNumber: 'YB7654321',
  expiry: '2029-01-01',
};

// --- the machine-readable zone (ICAO 9303), written out here so the tests do not trust the app's parser

const MRZ_WEIGHTS = [7, 3, 1];

/** ICAO 9303 check digit: digits as themselves, A–Z as 10–35, `<` as 0, weights 7 3 1. */
export function mrzCheckDigit(text: string): string {
  let sum = 0;
  for (const [i, ch] of [...text].entries()) {
    const value = ch === '<' ? 0 : /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += value * MRZ_WEIGHTS[i % 3]!;
  }
  return String(sum % 10);
}

const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
const filler = (text: string) => text.replace(/[^A-Z0-9<]+/g, '<');
const field = (text: string, length: number) => filler(text).padEnd(length, '<').slice(0, length);
/** SURNAME<<GIVEN<NAMES: a double filler between the two, a single one inside either. */
const nameField = (person: Person, length: number) =>
  field(`${filler(person.cognome)}<<${filler(person.nome)}`, length);

/** The three lines of a CIE's TD1 zone. */
export function td1(person: Person): string[] {
  const number = person.cardNumber;
  const line1 = field(`CIITA${number}${mrzCheckDigit(number)}`, 30);
  const birth = yymmdd(person.birthDate) + mrzCheckDigit(yymmdd(person.birthDate));
  const expiry = yymmdd(person.expiry) + mrzCheckDigit(yymmdd(person.expiry));
  const head = `${birth}${person.sex}${expiry}ITA`;
  const optional2 = field('', 11);
  const composite = mrzCheckDigit(line1.slice(5, 30) + birth + expiry + optional2);
  return [line1, `${head}${optional2}${composite}`, nameField(person, 30)];
}

/** The two lines of a passport's TD3 zone. */
export function td3(person: Person): string[] {
  const number = person.passportNumber;
  const line1 = field(`P<ITA${nameField(person, 39)}`, 44);
  const doc = number + mrzCheckDigit(number);
  const birth = yymmdd(person.birthDate) + mrzCheckDigit(yymmdd(person.birthDate));
  const expiry = yymmdd(person.expiry) + mrzCheckDigit(yymmdd(person.expiry));
  const personal = field('', 14);
  const personalCheck = mrzCheckDigit(personal);
  const composite = mrzCheckDigit(doc + birth + expiry + personal + personalCheck);
  return [line1, `${doc}ITA${birth}${person.sex}${expiry}${personal}${personalCheck}${composite}`];
}

// --- the papers, upright and clean

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const day = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

function svg(width: number, height: number, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`,
  );
}

/** Label (small, in two languages) over value (larger), as the cards print their fields. */
function labelled(x: number, y: number, label: string, value: string, size = 34): string {
  return (
    `<text x="${x}" y="${y}" font-family="Liberation Sans" font-size="17" fill="#4b5a6a">${esc(label)}</text>` +
    `<text x="${x}" y="${y + size + 4}" font-family="Liberation Sans" font-weight="bold" font-size="${size}" fill="#15181c">${esc(value)}</text>`
  );
}

/** A pale security background with a guilloche-like wave and pixel noise. */
async function cardBackground(width: number, height: number, tint: string, seed: number): Promise<Buffer> {
  const waves = Array.from({ length: 14 }, (_, i) => {
    const y = 40 + i * (height / 14);
    return `<path d="M0 ${y} C ${width / 3} ${y - 30}, ${(2 * width) / 3} ${y + 30}, ${width} ${y}" stroke="${tint}" stroke-width="2" fill="none" opacity="0.35"/>`;
  }).join('');
  const base = await sharp({ create: { width, height, channels: 3, background: '#eef1f4' } })
    .composite([{ input: svg(width, height, waves), top: 0, left: 0 }])
    .png()
    .toBuffer();
  return addNoise(base, 10, seed);
}

/** The front of an Italian electronic identity card (CIE 3.0): what OCR of its words tells. */
export async function idCardFront(person: Person): Promise<Buffer> {
  const w = CARD_WIDTH;
  const h = CARD_HEIGHT;
  const body =
    `<rect x="0" y="0" width="${w}" height="92" fill="#c9d7e8"/>` +
    `<text x="300" y="38" font-family="Liberation Sans" font-weight="bold" font-size="30" fill="#16324f">REPUBBLICA ITALIANA</text>` +
    `<text x="300" y="78" font-family="Liberation Sans" font-weight="bold" font-size="30" fill="#16324f">CARTA D'IDENTITÀ / IDENTITY CARD</text>` +
    `<text x="780" y="130" font-family="Liberation Mono" font-weight="bold" font-size="32" fill="#9b1c1c">${person.cardNumber}</text>` +
    `<rect x="30" y="120" width="230" height="300" fill="#b9c2cc" stroke="#8c96a0"/>` +
    `<circle cx="145" cy="230" r="62" fill="#9aa4ae"/><rect x="65" y="300" width="160" height="110" rx="50" fill="#9aa4ae"/>` +
    labelled(300, 160, 'COGNOME / SURNAME', person.cognome) +
    labelled(300, 230, 'NOME / NAME', person.nome) +
    labelled(
      300,
      300,
      'LUOGO E DATA DI NASCITA / PLACE AND DATE OF BIRTH',
      `${person.birthPlace} ${day(person.birthDate)}`,
      26,
    ) +
    labelled(300, 365, 'SESSO / SEX', person.sex, 26) +
    labelled(480, 365, 'STATURA / HEIGHT', '178', 26) +
    labelled(700, 365, 'CITTADINANZA / NATIONALITY', 'ITA', 26) +
    labelled(300, 430, 'EMISSIONE / ISSUING', day('2021-12-10'), 26) +
    labelled(600, 430, 'SCADENZA / EXPIRY', day(person.expiry), 26) +
    `<text x="300" y="540" font-family="Liberation Sans" font-size="17" fill="#4b5a6a">FIRMA DEL TITOLARE / HOLDER'S SIGNATURE</text>` +
    `<path d="M320 600 c 30 -40, 60 30, 90 -10 s 50 -30, 80 10 s 40 20, 70 -15" stroke="#1d2a6b" stroke-width="3" fill="none"/>`;
  return sharp(await cardBackground(w, h, '#6d8fb5', 11))
    .composite([{ input: svg(w, h, body), top: 0, left: 0 }])
    .png()
    .toBuffer();
}

/** The machine-readable zone in a monospaced face close to OCR-B's shapes. */
function mrzLines(lines: string[], x: number, y: number, size: number, gap: number): string {
  return lines
    .map(
      (line, i) =>
        `<text x="${x}" y="${y + i * gap}" font-family="DejaVu Sans Mono" font-size="${size}" fill="#111" xml:space="preserve">${esc(line)}</text>`,
    )
    .join('');
}

/** The back of a CIE: the CF in clear and as Code 39, the address, and the TD1 zone. */
export async function cieBack(person: Person): Promise<Buffer> {
  const w = CARD_WIDTH;
  const h = CARD_HEIGHT;
  const barcode = await bwipjs.toBuffer({
    bcid: 'code39',
    text: person.cf,
    scale: 2,
    height: 8,
    includetext: false,
    paddingwidth: 10,
    paddingheight: 4,
    backgroundcolor: 'FFFFFF',
  });
  const meta = await sharp(barcode).metadata();
  const body =
    labelled(40, 40, 'CODICE FISCALE / FISCAL CODE', person.cf, 30) +
    labelled(40, 130, 'INDIRIZZO DI RESIDENZA / RESIDENCE', 'VIA ROMA 1 - PISA (PI)', 24) +
    labelled(40, 205, 'ESTREMI ATTO DI NASCITA', '00012 P.1 S.A 1985', 24) +
    `<rect x="0" y="398" width="${w}" height="${h - 398}" fill="#f7f7f4"/>` +
    mrzLines(td1(person), 40, 460, 52, 66);
  return sharp(await cardBackground(w, h, '#b58f6d', 13))
    .composite([
      { input: svg(w, h, body), top: 0, left: 0 },
      { input: barcode, top: 255, left: Math.round(w - meta.width - 40) },
    ])
    .png()
    .toBuffer();
}

/** A passport's data page (125 × 88 mm at 300 dpi) with its TD3 zone. */
export async function passportPage(person: Person): Promise<Buffer> {
  const w = 1476;
  const h = 1039;
  const body =
    `<text x="420" y="60" font-family="Liberation Sans" font-weight="bold" font-size="34" fill="#5a1d2a">REPUBBLICA ITALIANA</text>` +
    `<text x="420" y="104" font-family="Liberation Sans" font-weight="bold" font-size="30" fill="#5a1d2a">PASSAPORTO / PASSPORT</text>` +
    `<rect x="40" y="150" width="330" height="420" fill="#c4b9bb" stroke="#9a8c8f"/>` +
    `<circle cx="205" cy="310" r="85" fill="#a8999c"/><rect x="95" y="410" width="220" height="150" rx="70" fill="#a8999c"/>` +
    labelled(420, 160, 'Tipo / Type', 'P', 28) +
    labelled(620, 160, 'Codice Paese / Code', 'ITA', 28) +
    labelled(900, 160, 'Passaporto N. / Passport No.', person.passportNumber, 28) +
    labelled(420, 240, 'Cognome / Surname', person.cognome) +
    labelled(420, 320, 'Nome / Given Names', person.nome) +
    labelled(420, 400, 'Cittadinanza / Nationality', 'ITALIANA', 28) +
    labelled(900, 400, 'Data di nascita / Date of birth', day(person.birthDate), 28) +
    labelled(420, 480, 'Sesso / Sex', person.sex, 28) +
    labelled(620, 480, 'Luogo di nascita / Place of birth', person.birthPlace, 28) +
    labelled(420, 560, 'Data di scadenza / Date of expiry', day(person.expiry), 28) +
    `<rect x="0" y="800" width="${w}" height="${h - 800}" fill="#f8f6f2"/>` +
    mrzLines(td3(person), 40, 880, 52, 80);
  return sharp(await cardBackground(w, h, '#a06b79', 17))
    .composite([{ input: svg(w, h, body), top: 0, left: 0 }])
    .png()
    .toBuffer();
}

/** The back of a tessera sanitaria: the CF as Code 39 (test/support/cards.ts). */
export function tesseraBack(person: Person): Promise<Buffer> {
  return cardBack({ cf: person.cf, seed: person.cf.charCodeAt(0) });
}

/** Signatures over the signature lines of a page the app printed (150 dpi, A4). */
function signed(width: number, height: number): Buffer {
  const stroke = (x: number, y: number) =>
    `<path d="M${x} ${y} c 25 -45, 50 25, 80 -12 s 45 -35, 75 8 s 35 25, 60 -18 s 30 -10, 45 6" stroke="#1d2a6b" stroke-width="3" fill="none"/>`;
  // The signature lines sit about a fifth of the page above its bottom margin (main/pdf/writer.ts).
  const y = Math.round(height * 0.8);
  return svg(width, height, stroke(150, y) + stroke(700, y));
}

/**
 * The mandato the app printed (its PDF, main/mandato/mandato.ts), signed and scanned: each page
 * rasterised at 150 dpi with the signatures on the first; a duplex scanner adds the sheet's
 * blank back, with a faint show-through.
 */
export async function mandatoScanPages(
  pdf: Uint8Array,
  options: { duplex?: boolean } = {},
): Promise<Buffer[]> {
  const pages = await rasterisePdf(pdf, 150);
  const out: Buffer[] = [];
  for (const [i, page] of pages.entries()) {
    const meta = await sharp(page).metadata();
    out.push(
      i === 0
        ? await sharp(page)
            .composite([{ input: signed(meta.width, meta.height), top: 0, left: 0 }])
            .png()
            .toBuffer()
        : page,
    );
  }
  const signedPage = out[0];
  if (options.duplex && signedPage) {
    const meta = await sharp(signedPage).metadata();
    out.push(
      await sharp(signedPage).flop().linear(0.06, 240).resize(meta.width, meta.height).png().toBuffer(),
    );
  }
  return out;
}

// --- what happens to a paper between the client's hand and the file

export interface Take {
  /** Degrees clockwise: 90, 180, 270 for a page fed or photographed turned; small ones for a tilt. */
  rotate?: number;
  /** Pixel noise, 0–40 (grain of a phone in poor light, a dusty glass). */
  noise?: number;
  /** 0.3–1: how much light there was. */
  light?: number;
  /** A phone photo on a desk (a darker surround) or a flatbed scan on an A4 page. */
  on?: 'desk' | 'page' | 'none';
  /** Scale of the paper in the final picture (a photo from further away is smaller). */
  scale?: number;
  format?: 'jpeg' | 'png';
  quality?: number;
  seed?: number;
}

/** Adds seeded noise to an image (the same picture every run). */
async function addNoise(image: Buffer, amount: number, seed: number): Promise<Buffer> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let state = seed || 1;
  for (let i = 0; i < data.length; i++) {
    // xorshift32: an LCG's low bits repeat with a short period, which draws stripes.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const delta = ((state >>> 0) % (2 * amount + 1)) - amount;
    data[i] = Math.max(0, Math.min(255, data[i]! + delta));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .png()
    .toBuffer();
}

/** The paper as it reaches the counter's file: placed, turned, lit, grained, compressed. */
export async function take(paper: Buffer, how: Take = {}): Promise<Buffer> {
  let image = paper;
  if (how.scale && how.scale !== 1) {
    const meta = await sharp(image).metadata();
    image = await sharp(image)
      .resize(Math.round(meta.width * how.scale))
      .png()
      .toBuffer();
  }
  const on = how.on ?? 'none';
  if (on !== 'none') {
    const meta = await sharp(image).metadata();
    const page = on === 'page';
    const width = page ? Math.max(1240, meta.width + 200) : Math.round(meta.width * 1.35);
    const height = page ? Math.max(1754, meta.height + 200) : Math.round(meta.height * 1.45);
    image = await sharp({
      create: { width, height, channels: 3, background: page ? '#f6f6f2' : '#6b5a4a' },
    })
      .composite([
        {
          input: image,
          top: page ? 120 : Math.round((height - meta.height) / 2),
          left: page ? 110 : Math.round((width - meta.width) / 2),
        },
      ])
      .png()
      .toBuffer();
  }
  if (how.rotate) {
    image = await sharp(image)
      .rotate(how.rotate, { background: on === 'desk' ? '#6b5a4a' : '#f6f6f2' })
      .png()
      .toBuffer();
  }
  if (how.light !== undefined && how.light !== 1) {
    image = await sharp(image).linear(how.light, 0).gamma(1.2).png().toBuffer();
  }
  if (how.noise) image = await addNoise(image, how.noise, how.seed ?? 5);
  return how.format === 'png'
    ? sharp(image).png().toBuffer()
    : sharp(image)
        .jpeg({ quality: how.quality ?? 82 })
        .toBuffer();
}

/** A scanner's PDF: one JPEG image a page, full page, as flatbeds and feeders make them. */
export async function scannerPdf(pages: Buffer[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const page of pages) {
    const jpeg = await sharp(page).jpeg({ quality: 80 }).toBuffer();
    const image = await pdf.embedJpg(jpeg);
    const sheet = pdf.addPage([595.28, 841.89]);
    const fit = Math.min(595.28 / image.width, 841.89 / image.height);
    sheet.drawImage(image, {
      x: 0,
      y: 841.89 - image.height * fit,
      width: image.width * fit,
      height: image.height * fit,
    });
  }
  return pdf.save();
}

// --- the set

export interface SampleFile {
  name: string;
  bytes: Uint8Array;
  /** What the paper is: where it must go. */
  paper: Paper;
  /** Whose paper it is. */
  holder: Person;
  /** Which way it was taken, for the report. */
  how: string;
}

/**
 * At least twenty realistic files of the three papers of a Patronato request, with the names
 * phones and scanners give them. `mandato(person)` is the app's own mandato PDF for the client
 * (MandatoService / generateMandato), printed for the draft the files are dropped on.
 */
export async function documentSet(mandato: (person: Person) => Promise<Uint8Array>): Promise<SampleFile[]> {
  const files: SampleFile[] = [];
  const add = async (
    name: string,
    paper: Paper,
    holder: Person,
    how: string,
    make: () => Promise<Uint8Array>,
  ) => files.push({ name, paper, holder, how, bytes: await make() });

  const marioFront = await idCardFront(MARIO);
  const marioBack = await cieBack(MARIO);
  const giuliaBack = await cieBack(GIULIA);
  const giuliaFront = await idCardFront(GIULIA);
  const passport = await passportPage(MARIO);
  const passportGiulia = await passportPage(GIULIA);
  const tessera = await tesseraBack(MARIO);
  const tesseraGiulia = await tesseraBack(GIULIA);
  const mandatoMario = await mandatoScanPages(await mandato(MARIO), { duplex: true });
  const mandatoGiulia = await mandatoScanPages(await mandato(GIULIA));

  // The three of the first day, as they came.
  await add('IMG_20250114_101512.jpg', 'identita', MARIO, 'CIE front, phone, 3° tilt', () =>
    take(marioFront, { on: 'desk', rotate: 3 }),
  );
  await add('scan0002.png', 'codice_fiscale', MARIO, 'tessera back, flatbed on A4', () =>
    take(tessera, { on: 'page', format: 'png' }),
  );
  await add('scansione_003.pdf', 'mandato', MARIO, 'mandato, duplex scan, 2 pages + blank back', async () =>
    scannerPdf(mandatoMario),
  );
  // Identity cards and passports.
  await add('IMG_20250114_101530.jpg', 'identita', MARIO, 'CIE back, phone, -4° tilt', () =>
    take(marioBack, { on: 'desk', rotate: -4 }),
  );
  await add('IMG_20250114_101602.jpg', 'identita', MARIO, 'passport page, phone', () =>
    take(passport, { on: 'desk', rotate: 2 }),
  );
  await add('scan0003.jpg', 'identita', MARIO, 'CIE front on A4, fed turned 90°', () =>
    take(marioFront, { on: 'page', rotate: 90 }),
  );
  await add('scan0004.jpg', 'identita', MARIO, 'CIE back on A4, upside down', () =>
    take(marioBack, { on: 'page', rotate: 180 }),
  );
  await add('scansione_004.pdf', 'identita', GIULIA, 'CIE front and back, 2-page scanner PDF', async () =>
    scannerPdf([await take(giuliaFront, { on: 'page' }), await take(giuliaBack, { on: 'page' })]),
  );
  await add('IMG_20250114_101640.jpg', 'identita', GIULIA, 'passport turned 90°, phone', () =>
    take(passportGiulia, { on: 'desk', rotate: 270 }),
  );
  await add('IMG_20250114_101655.jpg', 'identita', GIULIA, 'CIE front, poor light', () =>
    take(giuliaFront, { on: 'desk', light: 0.5 }),
  );
  await add('IMG_20250114_101701.jpg', 'identita', MARIO, 'CIE front, noisy', () =>
    take(marioFront, { on: 'desk', noise: 28, seed: 3 }),
  );
  await add('IMG_20250114_101720.jpg', 'identita', MARIO, 'CIE back, noisy, JPEG 55', () =>
    take(marioBack, { on: 'desk', noise: 22, quality: 55, seed: 9 }),
  );
  await add('scan0006.jpg', 'identita', GIULIA, 'CIE back on A4, turned 270°', () =>
    take(giuliaBack, { on: 'page', rotate: 270 }),
  );
  await add('IMG_20250114_101744.jpg', 'identita', MARIO, 'passport, poor light, -5° tilt', () =>
    take(passport, { on: 'desk', light: 0.55, rotate: -5 }),
  );
  await add(
    'WhatsApp Image 2025-01-14 at 10.15.12.jpeg',
    'identita',
    GIULIA,
    'CIE front, small and compressed',
    () => take(giuliaFront, { on: 'desk', scale: 0.7, quality: 50 }),
  );
  // Tessere sanitarie.
  await add('IMG_20250114_101801.jpg', 'codice_fiscale', MARIO, 'tessera back, poor light', () =>
    take(tessera, { on: 'desk', light: 0.45 }),
  );
  await add('IMG_20250114_101815.jpg', 'codice_fiscale', GIULIA, 'tessera back, noisy, 6° tilt', () =>
    take(tesseraGiulia, { on: 'desk', noise: 20, rotate: 6, seed: 4 }),
  );
  await add('scan0005.png', 'codice_fiscale', GIULIA, 'tessera back on A4, turned 90°', () =>
    take(tesseraGiulia, { on: 'page', rotate: 90, format: 'png' }),
  );
  await add('IMG_20250114_101830.jpg', 'codice_fiscale', MARIO, 'tessera back, upside down', () =>
    take(tessera, { on: 'desk', rotate: 180 }),
  );
  // Mandati.
  await add('doc00231.pdf', 'mandato', GIULIA, 'mandato, scanned upside down', async () =>
    scannerPdf([await take(mandatoGiulia[0]!, { rotate: 180 })]),
  );
  await add('Scan_20250114.png', 'mandato', MARIO, 'mandato, dark scan', () =>
    take(mandatoMario[0]!, { light: 0.6, format: 'png' }),
  );
  await add('image001.jpg', 'mandato', MARIO, 'mandato, phone photo, 4° tilt, noisy', () =>
    take(mandatoMario[0]!, { on: 'desk', rotate: 4, noise: 12 }),
  );
  await add('IMG_20250114_101902.jpg', 'mandato', GIULIA, 'mandato, turned 90°', () =>
    take(mandatoGiulia[0]!, { rotate: 90 }),
  );
  return files;
}

/** A payslip's first page: plenty of Italian words, none of the three papers'. */
export async function payslip(): Promise<Buffer> {
  const lines = [
    'CEDOLINO PAGA - GENNAIO 2025',
    'Azienda: Officine Meccaniche Toscane S.r.l.',
    'Dipendente: ROSSI MARIO   Matricola 00412',
    'Qualifica: Operaio   Livello 3   CCNL Metalmeccanici',
    'Retribuzione base        1.850,00',
    'Contingenza                 528,00',
    'Straordinari                112,40',
    'Trattenute INPS            -232,18',
    'IRPEF                      -301,77',
    'Netto in busta            1.956,45',
  ];
  const body = lines
    .map(
      (line, i) =>
        `<text x="100" y="${200 + i * 70}" font-family="Liberation Sans" font-size="34" fill="#111" xml:space="preserve">${esc(line)}</text>`,
    )
    .join('');
  return sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#ffffff' } })
    .composite([{ input: svg(1240, 1754, body), top: 0, left: 0 }])
    .png()
    .toBuffer();
}
