import { describe, expect, it } from 'vitest';
import { checkDate, daysInMonth, isCalendarDate, isLeapYear } from '../../../../common/validators/date.ts';

describe('dates (data_iso8601)', () => {
  it.each([
    ['05-03-2024', '05-03-2024', '2024-03-05'],
    ['05/03/2024', '05-03-2024', '2024-03-05'],
    ['5/3/2024', '05-03-2024', '2024-03-05'],
    ['5-3-2024', '05-03-2024', '2024-03-05'],
    ['05.03.2024', '05-03-2024', '2024-03-05'],
    ['2024-03-05', '05-03-2024', '2024-03-05'],
    [' 29/02/2000 ', '29-02-2000', '2000-02-29'],
  ])('reads %j and sends it as dd-mm-yyyy', (input, value, iso) => {
    expect(checkDate(input)).toEqual({ ok: true, value, info: { kind: 'date', iso } });
  });

  it.each(['', '   '])('calls %j empty', (input) => {
    expect(checkDate(input)).toMatchObject({ ok: false, issue: { code: 'date.empty' } });
  });

  it.each(['5/3/24', '2024/03/05', '05-03-2024T10:00', 'ieri', '05 03 2024', '123/03/2024', '2024-3-5-1'])(
    'refuses the unrecognised format %j',
    (input) => {
      expect(checkDate(input)).toMatchObject({ ok: false, issue: { code: 'date.format' } });
    },
  );

  it.each([
    '31-02-2024',
    '29/02/2023',
    '29/02/1900',
    '31/04/2024',
    '00/01/2024',
    '10/13/2024',
    '10/00/2024',
    '01/01/0000',
  ])('refuses %j, which is not in the calendar', (input) => {
    expect(checkDate(input)).toMatchObject({ ok: false, issue: { code: 'date.invalid' } });
  });

  it('knows the Gregorian leap years', () => {
    expect([1900, 2000, 2023, 2024].map(isLeapYear)).toEqual([false, true, false, true]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2023, 11)).toBe(30);
    expect(isCalendarDate(2023, 12, 31)).toBe(true);
    expect(isCalendarDate(2023, 12, 1.5)).toBe(false);
  });
});
