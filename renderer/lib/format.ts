import { withIva } from '../../common/money.ts';

/** Italian formats used across the UI. */

const euroFormat = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
const dateTime = new Intl.DateTimeFormat('it-IT', { dateStyle: 'short', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('it-IT', { day: '2-digit', month: '2-digit', year: 'numeric' });
const timeOnly = new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit' });

export const euro = (value: number | null | undefined) => (value == null ? '—' : euroFormat.format(value));
/**
 * A Visengine price (net of IVA) as the clerk quotes it: "14,70 € + IVA (17,93 €)". Every price the
 * clerk sees goes through here, so nobody quotes the net amount as the total.
 */
export const net = (value: number | null | undefined) =>
  value == null ? '—' : `${euroFormat.format(value)} + IVA (${euroFormat.format(withIva(value).totale)})`;
export const when = (ms: number | null | undefined) => (ms == null ? '—' : dateTime.format(ms));
export const day = (ms: number | null | undefined) => (ms == null ? '—' : dateOnly.format(ms));
export const time = (ms: number) => timeOnly.format(ms);

/** "oggi 10:42", "ieri 17:03", or the date. */
export function relative(ms: number, now = Date.now()): string {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  if (ms >= start.getTime()) return `oggi ${time(ms)}`;
  if (ms >= start.getTime() - 86_400_000) return `ieri ${time(ms)}`;
  return when(ms);
}

/** A size limit as the clerk reads it: "4 MB", "1,5 MB" (as main's messages say it). */
export function megabytes(size: number): string {
  const tenths = Math.ceil((size / 1024 / 1024) * 10) / 10;
  return `${tenths.toLocaleString('it-IT', { maximumFractionDigits: 1 })} MB`;
}

const agoFormat = new Intl.RelativeTimeFormat('it-IT', { numeric: 'auto' });

/** "adesso", "5 minuti fa", "2 ore fa", "ieri", "3 giorni fa"; past a month, the date. */
export function ago(ms: number, now = Date.now()): string {
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 1) return 'adesso';
  if (minutes < 60) return agoFormat.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return agoFormat.format(-hours, 'hour');
  const days = Math.floor(hours / 24);
  if (days <= 30) return agoFormat.format(-days, 'day');
  return day(ms);
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

/**
 * Visengine names are often upper case ("CODICE FISCALE", "COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO"):
 * shown as a sentence, keeping acronyms the clerk knows.
 */
export function prettifyName(nome: string): string {
  const cleaned = nome.replace(/[`´]/g, '’').replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned !== cleaned.toUpperCase()) return cleaned;
  const keep = new Set([
    'CF',
    'IBAN',
    'ISEE',
    'INPS',
    'CAF',
    'IVA',
    'PEC',
    'CIE',
    'DSU',
    'NASPI',
    'RED',
    'ID',
  ]);
  const words = cleaned.split(' ').map((w) => (keep.has(w.replace(/[^A-Z]/g, '')) ? w : w.toLowerCase()));
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** A CF shown at the counter: readable groups, e.g. "RSS MRA 85T10 A562S". */
export function groupCf(cf: string): string {
  return cf.length === 16 ? `${cf.slice(0, 3)} ${cf.slice(3, 6)} ${cf.slice(6, 11)} ${cf.slice(11)}` : cf;
}
