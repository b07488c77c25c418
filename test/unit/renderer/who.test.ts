import { describe, expect, it } from 'vitest';
import { counterOf, operatorOf, whoAndWhere } from '../../../renderer/lib/who.ts';

describe('who did it and at which counter', () => {
  it('names the clerk and the counter', () => {
    expect(whoAndWhere('Anna Bianchi', 'Ufficio-2')).toBe('Anna Bianchi, sportello Ufficio-2');
  });

  it('says an operator never named is not given, never a bare dash', () => {
    expect(whoAndWhere('', 'Ufficio-2')).toBe('Operatore non indicato, sportello Ufficio-2');
    expect(whoAndWhere(' ', '  ')).toBe('Operatore non indicato');
    expect(operatorOf('  ')).toBe('Operatore non indicato');
    expect(operatorOf(' Laura ')).toBe('Laura');
  });

  it('leaves out a counter rows from before counters do not have, and says so where it is asked', () => {
    expect(whoAndWhere('Anna Bianchi', '')).toBe('Anna Bianchi');
    expect(counterOf('')).toBe('Sportello non indicato');
    expect(counterOf('Ufficio-2')).toBe('Ufficio-2');
  });
});
