import sharp from 'sharp';
import {
  unread,
  type CardBarcodeReading,
  type DocumentIdentity,
  type DocumentReading,
} from '../../common/reading.ts';
import { ANGLES, greyImage, readPageCodes, type PageCodes } from './barcode.ts';
import { layoutOf, type Layout } from './layout.ts';
import { identityFromMrz } from './mrz.ts';
import type { Box, Ocr, OcrLine, OcrResult } from './ocr.ts';
import { pageImages } from './pages.ts';
import { paperFromWords } from './words.ts';

/*
 * What a file is, read from its pages, cheapest evidence first:
 * 1. codes (zxing): the app's mandato code settles it; a card's codice fiscale barcode is a card's
 *    back — a CIE's when an MRZ runs beside it, a tessera's otherwise;
 * 2. the page's lines (layout.ts) turn it upright, then OCR, the head of the paper first (its
 *    title says most papers: "CARTA D'IDENTITÀ", "MANDATO DI ASSISTENZA…"; OCR's time grows with
 *    the words read, and a mandato has hundreds), the rest when the head is not enough or an
 *    identity document's MRZ is wanted: a valid MRZ is an identity document (CIE back, passport);
 * 3. last, the barcode looked for again on turned copies (a card lying askew).
 * A PDF's pages are read in turn until one is sure (and, for an identity document, its MRZ read).
 */

/** OCR reads text well at this size; larger pages are scaled down to it first. */
const OCR_SIDE = 2000;
/** The head of a paper: this share of its height, from the top of its ink. */
const HEAD = 0.3;
/** The MRZ's characters are brought to about this height (px) before its own OCR pass. */
const MRZ_CHAR_HEIGHT = 44;

export async function readDocument(bytes: Uint8Array, ocr: Ocr, now = new Date()): Promise<DocumentReading> {
  let reading = unread;
  for (const page of await pageImages(bytes)) {
    reading = combine(reading, await readPage(page, ocr, now));
    if (reading.confidence === 'high' && (reading.paper !== 'identita' || reading.identity)) break;
  }
  return reading;
}

export async function readPage(image: Uint8Array, ocr: Ocr, now: Date): Promise<DocumentReading> {
  const grey = await greyImage(image);
  if (!grey) return unread;
  const codes = await readPageCodes(grey, { angles: [] });
  const coded = await fromCodes(codes, image, ocr, now);
  if (coded) return coded;
  const layout = await layoutOf(image);
  const reading = await fromText(image, layout, ocr, now);
  if (reading.paper) return { ...reading, card: codes.card ? cardView(codes.card) : null };
  // Nothing so far: perhaps a card lying askew, its barcode too turned for a straight look. Lines
  // of print give its tilt; with no lines within reach (turned 15° or more) every tilt is tried;
  // a blank page has no card.
  const tilt = ((((layout.angle + 45) % 90) + 90) % 90) - 45;
  const angles = layout.text ? (Math.abs(tilt) >= 4 ? [tilt] : []) : layout.ink ? ANGLES : [];
  const angled = angles.length ? await readPageCodes(grey, { angles }) : codes;
  const found = angled.card ?? codes.card;
  // A Code 39 that looks like a codice fiscale but fails its check: a tessera misread, maybe.
  if (!angled.card?.valid && found)
    return {
      ...unread,
      paper: 'codice_fiscale',
      side: 'retro',
      reason: 'barcode',
      confidence: 'low',
      card: cardView(found),
    };
  return (await fromCodes(angled, image, ocr, now)) ?? unread;
}

/** What OCR of the page tells: its MRZ, else its words. */
async function fromText(image: Uint8Array, layout: Layout, ocr: Ocr, now: Date): Promise<DocumentReading> {
  if (layout.text) {
    const page = await UprightPage.open(image, layout, ocr, false);
    if (page) {
      const head = paperFromWords(page.text());
      // A clear title is enough, except on an identity document, whose MRZ fills the form.
      if (head?.confidence === 'high' && head.paper !== 'identita') return fromWords(head);
      await page.readRest();
      const identity = await page.mrz(now);
      if (identity) return fromMrz(identity);
      const verdict = paperFromWords(page.text());
      if (verdict) return fromWords(verdict);
    }
  }
  return unread;
}

/** A card's barcode as the renderer sees it (birth date, sex and place from the CF). */
function cardView(card: NonNullable<PageCodes['card']>): CardBarcodeReading {
  return {
    cf: card.cf,
    valid: card.valid,
    issue: card.issue,
    birthDate: card.info?.birthDate ?? null,
    sex: card.info?.sex ?? null,
    placeCode: card.info?.placeCode ?? null,
    placeName: card.info?.placeName ?? null,
    confidence: card.confidence,
  };
}

function fromWords(verdict: NonNullable<ReturnType<typeof paperFromWords>>): DocumentReading {
  return {
    ...unread,
    paper: verdict.paper,
    side: verdict.paper === 'mandato' ? null : 'fronte',
    reason: 'ocr',
    confidence: verdict.confidence,
  };
}

function fromMrz(identity: DocumentIdentity): DocumentReading {
  return {
    ...unread,
    paper: 'identita',
    // A passport's zone is on its data page (its "front"); a CIE's on its back.
    side: identity.document === 'passaporto' ? 'fronte' : 'retro',
    reason: 'mrz',
    confidence: 'high',
    identity,
  };
}

/** The paper the codes tell: the app's mandato, or a card's back (a CIE's if an MRZ reads). */
async function fromCodes(
  codes: PageCodes,
  image: Uint8Array,
  ocr: Ocr,
  now: Date,
): Promise<DocumentReading | null> {
  if (codes.mandato)
    return {
      ...unread,
      paper: 'mandato',
      reason: 'mandato_code',
      confidence: 'high',
      mandato: codes.mandato,
    };
  const card = codes.card;
  if (!card?.valid) return null;
  const view = cardView(card);
  // The CIE prints its MRZ the way its barcode reads: turned so, the card is upright. The bars
  // give the quarter turn; the lines of print give the tilt.
  const quarter = codes.upright === null ? undefined : Math.round(codes.upright / 90) * 90;
  const layout = await layoutOf(image, { base: quarter });
  const page = await UprightPage.open(image, layout, ocr, quarter !== undefined);
  await page?.readRest();
  const identity = page ? await page.mrz(now) : null;
  if (identity) return { ...fromMrz(identity), card: view };
  // Lines of a zone that did not check out: a CIE's back read badly, not a tessera — the clerk looks.
  if (page?.zoneLines().length)
    return {
      ...unread,
      paper: 'identita',
      side: 'retro',
      reason: 'barcode',
      confidence: 'medium',
      card: view,
    };
  return {
    ...unread,
    paper: 'codice_fiscale',
    side: 'retro',
    reason: 'barcode',
    confidence: card.confidence === 'high' ? 'high' : 'medium',
    card: view,
  };
}

/** Lines that look like part of a machine-readable zone: a run of fillers, or long capitals and digits. */
const MRZ_LIKE = /<{3,}|[A-Z0-9<]{25,}/;

/**
 * A page turned upright for OCR, read a strip at a time: the head first, the rest on demand. Its
 * lines are kept in the upright picture's coordinates.
 */
class UprightPage {
  private readonly image: Buffer;
  private readonly width: number;
  /** Where the paper is on the upright picture. */
  private readonly box: Box;
  private readonly ocr: Ocr;
  private readonly lines: OcrLine[] = [];
  private readonly words: string[] = [];
  private restRead = false;

  private constructor(image: Buffer, width: number, box: Box, ocr: Ocr) {
    this.image = image;
    this.width = width;
    this.box = box;
    this.ocr = ocr;
  }

  /**
   * The page turned by the layout's angle, its head read; when the head reads poorly, turned half
   * a turn more (upright and upside down have the same lines). `known`: the quarter turn is
   * certain (from a barcode), no second try. Null when neither way reads.
   */
  static async open(
    image: Uint8Array,
    layout: Layout,
    ocr: Ocr,
    known: boolean,
  ): Promise<UprightPage | null> {
    const first = await UprightPage.turned(image, layout, 0, ocr);
    const head = await first.readStrip(0, HEAD);
    if (known || legible(head)) return first;
    const second = await UprightPage.turned(image, layout, 180, ocr);
    const other = await second.readStrip(0, HEAD);
    if (quality(other) > quality(head)) return second;
    return quality(head) > 0 ? first : null;
  }

  private static async turned(
    image: Uint8Array,
    layout: Layout,
    extra: number,
    ocr: Ocr,
  ): Promise<UprightPage> {
    const { data, info } = await sharp(image, { limitInputPixels: 200_000_000 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .greyscale()
      // A photo in poor light: its ink and paper stretched apart again.
      .normalise()
      .resize({ width: OCR_SIDE, height: OCR_SIDE, fit: 'inside', withoutEnlargement: true })
      .rotate(normal(layout.angle + extra), { background: '#ffffff' })
      .png()
      .toBuffer({ resolveWithObject: true });
    // The ink's region, turned half a turn with the page when it is.
    const r =
      extra === 180
        ? {
            left: 1 - layout.region.right,
            right: 1 - layout.region.left,
            top: 1 - layout.region.bottom,
            bottom: 1 - layout.region.top,
          }
        : layout.region;
    const margin = 0.02;
    const box: Box = {
      x0: Math.max(0, Math.floor((r.left - margin) * info.width)),
      x1: Math.min(info.width, Math.ceil((r.right + margin) * info.width)),
      y0: Math.max(0, Math.floor((r.top - margin) * info.height)),
      y1: Math.min(info.height, Math.ceil((r.bottom + margin) * info.height)),
    };
    return new UprightPage(data, info.width, box, ocr);
  }

  /** All the words read so far. */
  text(): string {
    return this.words.join(' ');
  }

  /** The rest of the paper below its head. */
  async readRest(): Promise<void> {
    if (this.restRead) return;
    this.restRead = true;
    await this.readStrip(HEAD, 1);
  }

  /** The lines read so far that look like a machine-readable zone's. */
  zoneLines(): OcrLine[] {
    return this.lines.filter((l) => MRZ_LIKE.test(l.text.replace(/\s+/g, '')));
  }

  /**
   * The identity in the page's MRZ: from the lines as read, and from the band across the page
   * where they lie, enlarged and read again with only the MRZ's characters allowed (OCR of a whole
   * page often splits a zone's lines or misses one; the band takes its neighbours in). Check
   * digits guard numbers and dates, not names: a name is kept only when two reads agree on it.
   */
  async mrz(now: Date): Promise<DocumentIdentity | null> {
    const zone = this.zoneLines();
    if (zone.length === 0) return null;
    const reads: DocumentIdentity[] = [];
    const direct = identityFromMrz(
      zone.map((l) => l.text),
      now,
    );
    if (direct) reads.push(direct);
    for (const scale of [1, 1.4]) {
      if (reads.length >= 2 && agreedNames(reads)) break;
      const band = await this.zoneBand(
        zone.map((l) => l.bbox),
        scale,
      );
      if (!band) break;
      const again = await this.ocr.recognize(band, 'mrz');
      const read = identityFromMrz(
        again.text.split('\n').filter((l) => l.trim()),
        now,
      );
      if (read) reads.push(read);
    }
    return settled(reads);
  }

  /** OCR of a horizontal strip of the paper, from `from` to `to` (shares of its height). */
  private async readStrip(from: number, to: number): Promise<OcrResult> {
    const height = this.box.y1 - this.box.y0;
    const top = this.box.y0 + Math.floor(height * from);
    const bottom = Math.min(this.box.y1, this.box.y0 + Math.ceil(height * to));
    const left = this.box.x0;
    const strip = await sharp(this.image)
      .extract({ left, top, width: Math.max(1, this.box.x1 - left), height: Math.max(1, bottom - top) })
      .png()
      .toBuffer();
    const result = await this.ocr.recognize(strip, 'text');
    for (const line of result.lines)
      this.lines.push({
        ...line,
        bbox: {
          x0: line.bbox.x0 + left,
          x1: line.bbox.x1 + left,
          y0: line.bbox.y0 + top,
          y1: line.bbox.y1 + top,
        },
      });
    this.words.push(result.text);
    return result;
  }

  /**
   * The full-width band holding the zone's lines and up to two more lines above and below (a TD1
   * zone has three), enlarged so that a character is about MRZ_CHAR_HEIGHT high.
   */
  private async zoneBand(boxes: Box[], enlarge: number): Promise<Buffer | null> {
    const lineHeight = Math.max(...boxes.map((b) => b.y1 - b.y0));
    const reach = Math.round(lineHeight * 2.6);
    const top = Math.max(0, Math.min(...boxes.map((b) => b.y0)) - reach);
    const bottom = Math.min(this.box.y1 + reach, Math.max(...boxes.map((b) => b.y1)) + reach);
    const meta = await sharp(this.image).metadata();
    const height = Math.min(meta.height, bottom) - top;
    if (height < 10 || lineHeight < 4) return null;
    const scale = Math.min(4, Math.max(1, MRZ_CHAR_HEIGHT / lineHeight)) * enlarge;
    return sharp(this.image)
      .extract({ left: 0, top, width: this.width, height })
      .resize(Math.round(this.width * scale))
      .normalise()
      .png()
      .toBuffer();
  }
}

const sameChecked = (a: DocumentIdentity, b: DocumentIdentity) =>
  a.documentNumber === b.documentNumber &&
  a.birthDate === b.birthDate &&
  a.expiry === b.expiry &&
  a.sex === b.sex;

/** The names two reads agree on, if any. */
function agreedNames(reads: DocumentIdentity[]): { cognome: string; nome: string } | null {
  for (const [i, a] of reads.entries())
    for (const b of reads.slice(i + 1))
      if (a.cognome && a.cognome === b.cognome && a.nome === b.nome)
        return { cognome: a.cognome, nome: a.nome };
  return null;
}

/**
 * One identity from several reads of a zone: their checked fields must agree (or none is
 * trusted); the names are those two reads share, else left empty for the clerk to type.
 */
function settled(reads: DocumentIdentity[]): DocumentIdentity | null {
  const first = reads[0];
  if (!first || reads.some((r) => !sameChecked(r, first))) return null;
  const names = agreedNames(reads) ?? { cognome: '', nome: '' };
  return { ...first, ...names };
}

const normal = (angle: number) => (((Math.round(angle * 10) / 10) % 360) + 360) % 360;

/** Words OCR is sure of: three letters or more, confidence 75 or more. */
function quality(result: OcrResult): number {
  return result.words.filter((w) => w.confidence >= 75 && /[A-Za-zÀ-ÿ]{3,}/.test(w.text)).length;
}

function legible(result: OcrResult): boolean {
  return quality(result) >= 3 && result.confidence >= 55;
}

const STRENGTH = { high: 3, medium: 2, low: 1 } as const;
const REASON = { mrz: 4, mandato_code: 3, barcode: 2, ocr: 1 } as const;
const rank = (r: DocumentReading) =>
  r.paper ? STRENGTH[r.confidence] * 10 + (r.reason ? REASON[r.reason] : 0) : 0;

/** Two pages of one file: the surer paper wins; what each carries (MRZ, barcode, code) is kept. */
function combine(a: DocumentReading, b: DocumentReading): DocumentReading {
  const main = rank(b) > rank(a) ? b : a;
  return {
    ...main,
    identity: a.identity ?? b.identity,
    card: a.card ?? b.card,
    mandato: a.mandato ?? b.mandato,
  };
}
