import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

export type DateInfo = {
  kind: 'date';
  /** `yyyy-mm-dd`, for date pickers and comparisons. */
  iso: string;
};

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Plain arithmetic, not `Date`, which silently rolls 31-02 over into March. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const DAY_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * For `data_iso8601` fields. Despite the name, Openapi's own SDK checks `dd-mm-yyyy`, so that is
 * what is sent; the clerk may type Italian `gg/mm/aaaa`, single digits, or a real ISO date.
 */
export function checkDate(input: string): Check<DateInfo> {
  const text = input.trim();
  if (text === '') return refuse('date.empty', 'Data mancante');
  const dayFirst = DAY_FIRST.exec(text);
  const iso = dayFirst ? null : ISO.exec(text);
  if (!dayFirst && !iso) return refuse('date.format', 'Data non riconosciuta: scrivere gg/mm/aaaa');
  const [day, month, year] = dayFirst
    ? [Number(dayFirst[1]), Number(dayFirst[2]), Number(dayFirst[3])]
    : [Number(iso![3]), Number(iso![2]), Number(iso![1])];
  if (!isCalendarDate(year, month, day)) {
    return refuse('date.invalid', `La data ${pad(day)}/${pad(month)}/${pad(year, 4)} non esiste`);
  }
  return accept(`${pad(day)}-${pad(month)}-${pad(year, 4)}`, {
    kind: 'date',
    iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
  });
}
