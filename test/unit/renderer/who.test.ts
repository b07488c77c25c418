import { describe, expect, it } from 'vitest';
import { whoAndWhere } from '../../../renderer/lib/who.ts';

describe('who did it and at which counter', () => {
  it('names the clerk and the counter', () => {
    expect(whoAndWhere('Anna Bianchi', 'Ufficio-2')).toBe('Anna Bianchi, sportello Ufficio-2');
  });

  it('leaves out what is not known: rows from before counters, events without a clerk', () => {
    expect(whoAndWhere('Anna Bianchi', '')).toBe('Anna Bianchi');
    expect(whoAndWhere('', 'Ufficio-2')).toBe('sportello Ufficio-2');
    expect(whoAndWhere(' ', '  ')).toBe('—');
  });
});
