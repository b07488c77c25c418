import { parse, type ParseResult } from 'mrz';
import type { DocumentIdentity } from '../../common/reading.ts';

/*
 * The machine-readable zone of an identity document, as OCR returns it: three lines of 30
 * characters on a CIE's back (TD1), two of 44 on a passport's data page (TD3). `mrz` parses them
 * and checks every check digit; OCR's usual confusions are undone only where a check digit then
 * agrees (a `0` read as `O` in the document number, a filler `<` read as a letter), so a zone is
 * accepted only when every check holds — never on a guess.
 */

/** Characters OCR mixes up in the OCR-B face, both ways. */
const LOOKALIKES: Record<string, string> = {
  '0': 'O',
  O: '0',
  '1': 'I',
  I: '1',
  '2': 'Z',
  Z: '2',
  '5': 'S',
  S: '5',
  '8': 'B',
  B: '8',
  '6': 'G',
  G: '6',
  D: '0',
  Q: '0',
};
/** At most this many document-number variants are tried (2^8). */
const MAX_AMBIGUOUS = 8;

const SHAPES = [
  { format: 'TD1', lines: 3, length: 30 },
  { format: 'TD3', lines: 2, length: 44 },
] as const;

/** A line as the zone would print it: upper case, no spaces, only A–Z 0–9 `<`. */
function clean(line: string): string {
  return line
    .toUpperCase()
    .replace(/[«‹]/g, '<<')
    .replace(/\s+/g, '')
    .replace(/[^A-Z0-9<]/g, '');
}

/** Lines that look like a zone's: a run of fillers, or long capitals and digits. */
const zoneLike = (line: string) => /<{2,}/.test(line) || /^[A-Z0-9<]{26,}$/.test(line);

/** At most this many combinations of the lines' variants are parsed for one window. */
const MAX_COMBINATIONS = 4000;

/**
 * A line of about the right length brought to it, every way OCR's usual slips allow: fillers
 * dropped or doubled inside a run of fillers or at the end, one stray character added (an `I`
 * read as `1I`). The line as read comes first.
 */
export function fitted(line: string, length: number): string[] {
  const out = new Set<string>();
  const diff = length - line.length;
  if (diff === 0) out.add(line);
  const runs = [...line.matchAll(/<+/g)].map((m) => ({ at: m.index, size: m[0].length }));
  if (diff > 0 && diff <= 10) {
    for (const run of runs)
      out.add(line.slice(0, run.at) + '<'.repeat(run.size + diff) + line.slice(run.at + run.size));
    out.add(line.padEnd(length, '<'));
  }
  if (diff < 0 && diff >= -3) {
    for (const run of runs)
      if (run.size > -diff)
        out.add(line.slice(0, run.at) + '<'.repeat(run.size + diff) + line.slice(run.at + run.size));
    if (/<+$/.test(line.slice(length))) out.add(line.slice(0, length));
    if (diff === -1) for (let i = 0; i < line.length; i++) out.add(line.slice(0, i) + line.slice(i + 1));
  }
  return [...out];
}

/**
 * The identity of the first zone found among OCR's lines (in reading order) whose check digits
 * all hold, possibly after undoing OCR's slips; null when there is none.
 */
export function identityFromMrz(ocrLines: readonly string[], now = new Date()): DocumentIdentity | null {
  const lines = ocrLines.map(clean).filter((l) => l.length >= 20);
  for (const shape of SHAPES) {
    for (let start = 0; start + shape.lines <= lines.length; start++) {
      const window = lines.slice(start, start + shape.lines);
      if (!window.every(zoneLike)) continue;
      const options = window.map((l) => fitted(l, shape.length));
      if (options.some((o) => o.length === 0)) continue;
      const found = repaired(options, now);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The one identity the variants of a window give with every check holding. The lines as read
 * are trusted at once; repaired ones only when no other repair checks out to another identity,
 * since each extra variant is another chance for the check digits to agree by accident.
 */
function repaired(options: string[][], now: Date): DocumentIdentity | null {
  let found: DocumentIdentity | null = null;
  let first = true;
  for (const combination of combinations(options)) {
    const result = parseChecked(combination);
    const identity = result ? toIdentity(result, now) : null;
    if (identity && first) return identity;
    first = false;
    if (!identity) continue;
    if (found && !sameIdentity(found, identity)) return null;
    found ??= identity;
  }
  return found;
}

const sameIdentity = (a: DocumentIdentity, b: DocumentIdentity) =>
  a.documentNumber === b.documentNumber &&
  a.birthDate === b.birthDate &&
  a.expiry === b.expiry &&
  a.cognome === b.cognome &&
  a.nome === b.nome;

/** Every choice of one variant per line, the first variants first, at most MAX_COMBINATIONS. */
function* combinations(options: string[][]): Generator<string[]> {
  const indices = options.map(() => 0);
  for (let n = 0; n < MAX_COMBINATIONS; n++) {
    yield indices.map((i, line) => options[line]![i]!);
    let line = options.length - 1;
    while (line >= 0 && ++indices[line]! >= options[line]!.length) indices[line--] = 0;
    if (line < 0) return;
  }
}

/** The fields whose check a lookalike in the document number may repair. */
const NUMBER_CHECKS = new Set(['documentNumber', 'documentNumberCheckDigit', 'compositeCheckDigit']);

/** The parse of the zone with every check digit valid, trying lookalikes where a check fails. */
export function parseChecked(lines: string[]): ParseResult | null {
  const first = tryParse(lines);
  if (!first) return null;
  if (first.valid) return first;
  // Fillers read as letters inside a run of fillers (`<<K<<`): only fillers can be there.
  const unfilled = lines.map((l) => l.replace(/(?<=<)[A-Z](?=<)/g, '<'));
  const second = unfilled.join() === lines.join() ? first : tryParse(unfilled);
  if (!second) return null;
  if (second.valid) return second;
  // The document number is letters and digits: only its check digits can say which reading is
  // right, and only when nothing else is wrong.
  if (second.details.some((d) => !d.valid && !NUMBER_CHECKS.has(d.field ?? ''))) return null;
  const number = second.details.find((d) => d.field === 'documentNumber');
  if (!number) return null;
  const line = number.line;
  const positions: number[] = [];
  for (let i = number.start; i < number.end; i++)
    if (LOOKALIKES[unfilled[line]![i]!] !== undefined) positions.push(i);
  if (positions.length === 0 || positions.length > MAX_AMBIGUOUS) return null;
  const found: ParseResult[] = [];
  for (let mask = 1; mask < 1 << positions.length; mask++) {
    const chars = [...unfilled[line]!];
    positions.forEach((p, bit) => {
      if (mask & (1 << bit)) chars[p] = LOOKALIKES[chars[p]!]!;
    });
    const variant = [...unfilled];
    variant[line] = chars.join('');
    const result = tryParse(variant);
    if (result?.valid) found.push(result);
  }
  // Two readings that both check out: the zone cannot tell, so neither is trusted.
  return found.length === 1 ? found[0]! : null;
}

function tryParse(lines: string[]): ParseResult | null {
  try {
    return parse(lines, { autocorrect: true });
  } catch {
    return null; // not a format `mrz` knows
  }
}

function toIdentity(result: ParseResult, now: Date): DocumentIdentity | null {
  const f = result.fields;
  // Check digits hold: the rest must still make sense (a name in letters, real dates).
  if (!f.lastName || !f.documentNumber || !/^[A-Z ]+$/.test(names(f.lastName))) return null;
  if (f.birthDate && !realDay(f.birthDate)) return null;
  if (f.expirationDate && !realDay(f.expirationDate)) return null;
  const document = result.format === 'TD3' ? 'passaporto' : 'carta_identita';
  // SURNAME<<GIVEN<NAMES: with no given name parsed, the double filler was misread (a filler
  // read as a letter) and where the surname ends cannot be told.
  const separated = !!f.firstName?.trim();
  return {
    document,
    cognome: separated ? names(f.lastName) : '',
    nome: separated ? names(f.firstName ?? '') : '',
    birthDate: f.birthDate ? birthDay(f.birthDate, now) : null,
    sex: f.sex === 'male' ? 'M' : f.sex === 'female' ? 'F' : null,
    documentNumber: result.documentNumber ?? f.documentNumber,
    expiry: f.expirationDate ? expiryDay(f.expirationDate, now) : null,
    issuingState: f.issuingState ?? '',
  };
}

/** YYMMDD names a day that exists (any century: 29 February aside, which any leap year has). */
function realDay(yymmdd: string): boolean {
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
  );
}

/** "DE LUCA" stays as the zone spells it; fillers inside a name are spaces. */
const names = (text: string) => text.replace(/</g, ' ').replace(/\s+/g, ' ').trim();

/** YYMMDD of a birth: the latest century that does not put it in the future. */
function birthDay(yymmdd: string, now: Date): string {
  const yy = Number(yymmdd.slice(0, 2));
  const century = Math.floor(now.getFullYear() / 100) * 100;
  const candidate = `${century + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  return candidate > isoDay(now) ? `${century - 100 + yy}-${candidate.slice(5)}` : candidate;
}

/** YYMMDD of an expiry: the century that puts it nearest to now (documents last a few years). */
function expiryDay(yymmdd: string, now: Date): string {
  const yy = Number(yymmdd.slice(0, 2));
  const century = Math.floor(now.getFullYear() / 100) * 100;
  const years = [century - 100 + yy, century + yy, century + 100 + yy];
  const year = years.reduce((a, b) =>
    Math.abs(b - now.getFullYear()) < Math.abs(a - now.getFullYear()) ? b : a,
  );
  return `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
