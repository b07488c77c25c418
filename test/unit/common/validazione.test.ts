import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_VALIDAZIONE_DEPTH,
  MAX_VALIDAZIONE_LENGTH,
  ValidazioneSyntaxError,
  evaluateValidazione,
  missingForValidazione,
  parseValidazione,
  printValidazione,
  referencedFields,
} from '../../../common/validazione.ts';
import type { ValidazioneExpr } from '../../../common/validazione.ts';

const SEED = '($0 && $1 && $2 && $3 && $4 && $5 && $6 && $7) || ($0 && $1 && $2 && $3 && $4 && $5 && $6)';

const field = (index: number): ValidazioneExpr => ({ kind: 'field', index });
const and = (...items: ValidazioneExpr[]): ValidazioneExpr => ({ kind: 'and', items });
const or = (...items: ValidazioneExpr[]): ValidazioneExpr => ({ kind: 'or', items });
const filledOnly =
  (...indexes: number[]) =>
  (index: number): boolean =>
    indexes.includes(index);
const allBut =
  (...indexes: number[]) =>
  (index: number): boolean =>
    !indexes.includes(index);

function syntaxErrorOf(source: string): ValidazioneSyntaxError {
  try {
    parseValidazione(source);
  } catch (error) {
    if (error instanceof ValidazioneSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

describe('validazione: parsing', () => {
  it('reads the seed expression, with the mandate optional', () => {
    const expr = parseValidazione(SEED);
    expect(expr).toEqual(
      or(and(...[0, 1, 2, 3, 4, 5, 6, 7].map(field)), and(...[0, 1, 2, 3, 4, 5, 6].map(field))),
    );
  });

  it('ignores stray whitespace anywhere, tabs and newlines included', () => {
    expect(parseValidazione('$0 && $1  ')).toEqual(and(field(0), field(1)));
    expect(parseValidazione('\t(\n$0||$1 )\r\n')).toEqual(or(field(0), field(1)));
  });

  it('binds && tighter than ||', () => {
    expect(parseValidazione('$0 || $1 && $2')).toEqual(or(field(0), and(field(1), field(2))));
    expect(parseValidazione('$0 && $1 || $2')).toEqual(or(and(field(0), field(1)), field(2)));
  });

  it('lets parentheses override precedence', () => {
    expect(parseValidazione('($0 || $1) && $2')).toEqual(and(or(field(0), field(1)), field(2)));
  });

  it('merges nested operators of the same kind and drops redundant parentheses', () => {
    expect(parseValidazione('$0 && ($1 && ($2)) && (($3))')).toEqual(and(...[0, 1, 2, 3].map(field)));
    expect(parseValidazione('(($5))')).toEqual(field(5));
  });

  it('reads multi-digit field numbers', () => {
    expect(parseValidazione('$12 || $007')).toEqual(or(field(12), field(7)));
  });

  it('treats a blank expression as always satisfied', () => {
    expect(parseValidazione('')).toEqual({ kind: 'true' });
    expect(parseValidazione('   \n ')).toEqual({ kind: 'true' });
  });

  it.each([
    ['$', 0],
    ['$0 &&', 5],
    ['($0', 3],
    ['$0 & $1', 3],
    ['$0 | $1', 3],
    ['$a', 0],
    ['$0 # $1', 3],
    ['()', 1],
    ['$0 $1', 3],
    ['$0)', 2],
    [')', 0],
    ['&& $0', 0],
    ['$0 && || $1', 6],
    ['$0 &&& $1', 5],
    ['0', 0],
    ['$-1', 0],
    ['$1234567', 0],
    ['true', 0],
  ])('refuses %j at position %i', (source, position) => {
    expect(syntaxErrorOf(source).position).toBe(position);
  });

  it('explains the error in Italian and in technical terms', () => {
    const error = syntaxErrorOf('$0 && && $1');
    expect(error.name).toBe('ValidazioneSyntaxError');
    expect(error.message).toContain('Espressione di validazione non valida alla posizione 6');
    expect(error.message).toContain('syntax error');
    expect(error.message).toContain('"&&"');
  });

  it(`accepts ${MAX_VALIDAZIONE_DEPTH} levels of parentheses and refuses one more`, () => {
    const nest = (depth: number) => '('.repeat(depth) + '$0' + ')'.repeat(depth);
    expect(parseValidazione(nest(MAX_VALIDAZIONE_DEPTH))).toEqual(field(0));
    expect(syntaxErrorOf(nest(MAX_VALIDAZIONE_DEPTH + 1)).position).toBe(MAX_VALIDAZIONE_DEPTH);
  });

  it(`refuses sources longer than ${MAX_VALIDAZIONE_LENGTH} characters`, () => {
    const long = Array.from({ length: 1500 }, (_, i) => `$${i}`).join(' || ');
    expect(long.length).toBeGreaterThan(MAX_VALIDAZIONE_LENGTH);
    expect(syntaxErrorOf(long).position).toBe(MAX_VALIDAZIONE_LENGTH);
  });

  it('handles long flat expressions without deep recursion', () => {
    const source = Array.from({ length: 1000 }, (_, i) => `$${i}`).join(' || ');
    const expr = parseValidazione(source);
    expect(referencedFields(expr)).toHaveLength(1000);
    expect(evaluateValidazione(expr, filledOnly(999))).toBe(true);
  });

  it('never throws anything but ValidazioneSyntaxError, whatever the input', () => {
    const grammarish = fc.string({
      unit: fc.constantFrom('$', '0', '1', '9', '&', '&&', '|', '||', '(', ')', ' ', 'a'),
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), grammarish), (source) => {
        try {
          parseValidazione(source);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidazioneSyntaxError);
          const { position } = error as ValidazioneSyntaxError;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(source.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/** Expressions in the shape the parser produces: flattened, no single-item groups. */
function expressionArb(depth: number, parent: 'and' | 'or' | null = null): fc.Arbitrary<ValidazioneExpr> {
  const leaf = fc.integer({ min: 0, max: 5 }).map(field);
  if (depth === 0) return leaf;
  const group = (kind: 'and' | 'or') =>
    fc
      .array(expressionArb(depth - 1, kind), { minLength: 2, maxLength: 3 })
      .map((items): ValidazioneExpr => ({ kind, items }));
  const options = [leaf];
  if (parent !== 'and') options.push(group('and'));
  if (parent !== 'or') options.push(group('or'));
  return fc.oneof(...options);
}

const filledSetArb = fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 6 });

function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => acc.concat(acc.map((s) => [...s, item])), [[]]);
}

describe('validazione: printing', () => {
  it('prints with parentheses only where precedence needs them', () => {
    expect(printValidazione(parseValidazione(SEED))).toBe(
      '$0 && $1 && $2 && $3 && $4 && $5 && $6 && $7 || $0 && $1 && $2 && $3 && $4 && $5 && $6',
    );
    expect(printValidazione(parseValidazione('($0 || $1) && $2'))).toBe('($0 || $1) && $2');
    expect(printValidazione({ kind: 'true' })).toBe('');
  });

  it('round-trips: parsing what was printed gives the same expression back', () => {
    fc.assert(
      fc.property(expressionArb(4), (expr) => {
        expect(parseValidazione(printValidazione(expr))).toEqual(expr);
      }),
      { numRuns: 500 },
    );
  });
});

describe('validazione: evaluation', () => {
  it('accepts the seed request without the mandate', () => {
    const expr = parseValidazione(SEED);
    expect(evaluateValidazione(expr, allBut(7))).toBe(true);
    expect(evaluateValidazione(expr, allBut())).toBe(true);
  });

  it('refuses the seed request without the identity document', () => {
    expect(evaluateValidazione(parseValidazione(SEED), allBut(4))).toBe(false);
  });

  it('is always satisfied by a blank expression', () => {
    expect(evaluateValidazione(parseValidazione(''), filledOnly())).toBe(true);
  });

  it('lists the referenced fields once each, ascending', () => {
    expect(referencedFields(parseValidazione(SEED))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(referencedFields(parseValidazione('$3 || $1 && $3'))).toEqual([1, 3]);
    expect(referencedFields({ kind: 'true' })).toEqual([]);
  });
});

describe('validazione: what is missing', () => {
  it('asks for nothing when the expression already holds', () => {
    expect(missingForValidazione(parseValidazione(SEED), allBut(7))).toEqual([]);
  });

  it('asks only for the identity document when that is what is missing', () => {
    expect(missingForValidazione(parseValidazione(SEED), allBut(4))).toEqual([4]);
  });

  it('asks for everything but the optional mandate on an empty form', () => {
    expect(missingForValidazione(parseValidazione(SEED), filledOnly())).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('prefers a field that serves two alternatives at once', () => {
    expect(missingForValidazione(parseValidazione('($0 || $1) && ($1 || $2)'), filledOnly())).toEqual([1]);
  });

  it('counts fields already filled as free', () => {
    const expr = parseValidazione('($0 && $1 && $2) || ($3 && $4)');
    expect(missingForValidazione(expr, filledOnly())).toEqual([3, 4]);
    expect(missingForValidazione(expr, filledOnly(0, 1))).toEqual([2]);
  });

  it('breaks ties towards the lowest field numbers', () => {
    expect(missingForValidazione(parseValidazione('$3 || $1'), filledOnly())).toEqual([1]);
    expect(missingForValidazione(parseValidazione('($2 && $3) || ($0 && $5)'), filledOnly())).toEqual([0, 5]);
  });

  it('answers null when nothing can satisfy the expression', () => {
    expect(missingForValidazione(or(), filledOnly())).toBeNull();
    expect(missingForValidazione(and(field(0), or()), filledOnly())).toBeNull();
  });

  it('treats a hand-built true inside a group as satisfied', () => {
    expect(missingForValidazione(and(field(2), { kind: 'true' }), filledOnly())).toEqual([2]);
  });

  it('falls back to a sufficient answer when the normal form would be too large', () => {
    // 2^12 alternatives: far beyond a cap of 64 terms.
    const expr = and(...Array.from({ length: 12 }, (_, i) => or(field(2 * i), field(2 * i + 1))));
    const missing = missingForValidazione(expr, filledOnly(), { maxTerms: 64 });
    expect(missing).not.toBeNull();
    expect(evaluateValidazione(expr, (i) => missing!.includes(i))).toBe(true);
    expect(missing).toEqual(Array.from({ length: 12 }, (_, i) => 2 * i));
  });

  it('gives the smallest sufficient set, lowest indexes first, for any expression (brute force)', () => {
    fc.assert(
      fc.property(expressionArb(3), filledSetArb, (expr, filled) => {
        const isFilled = (i: number) => filled.includes(i);
        const missing = missingForValidazione(expr, isFilled);
        expect(missing).not.toBeNull();
        const answer = missing!;
        const filledWith = (extra: number[]) => (i: number) => isFilled(i) || extra.includes(i);

        expect(answer).toEqual([...answer].sort((a, b) => a - b));
        expect(answer.every((i) => !isFilled(i))).toBe(true);
        expect(evaluateValidazione(expr, filledWith(answer))).toBe(true);
        for (const smaller of subsets(answer).filter((s) => s.length < answer.length)) {
          expect(evaluateValidazione(expr, filledWith(smaller))).toBe(false);
        }

        // The best answer by exhaustive search: smallest, then lexicographically lowest.
        const unfilled = referencedFields(expr).filter((i) => !isFilled(i));
        const best = subsets(unfilled)
          .map((s) => s.sort((a, b) => a - b))
          .filter((s) => evaluateValidazione(expr, filledWith(s)))
          .sort((a, b) => a.length - b.length || compareLex(a, b))[0];
        expect(answer).toEqual(best);
      }),
      { numRuns: 500 },
    );
  });

  it('returns a sufficient answer even when forced to the greedy fallback', () => {
    fc.assert(
      fc.property(expressionArb(4), filledSetArb, (expr, filled) => {
        const isFilled = (i: number) => filled.includes(i);
        const missing = missingForValidazione(expr, isFilled, { maxTerms: 1 });
        expect(missing).not.toBeNull();
        expect(evaluateValidazione(expr, (i) => isFilled(i) || missing!.includes(i))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

function compareLex(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}
