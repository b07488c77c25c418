import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateValidazione,
  missingForValidazione,
  parseValidazione,
  printValidazione,
  ValidazioneSyntaxError,
  type ValidazioneExpr,
} from '../../../common/validazione.ts';

/** Strings made of the grammar's own pieces, so that many of them are almost valid. */
const sourceArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '$0',
        '$1',
        '$12',
        '$',
        '&&',
        '||',
        '&',
        '|',
        '(',
        ')',
        ' ',
        '\t',
        '$999999',
        '$1234567',
        'x',
        '\u00a0',
      ),
      {
        maxLength: 60,
      },
    )
    .map((parts) => parts.join('')),
);

const exprArb: fc.Arbitrary<ValidazioneExpr> = fc.letrec<{ expr: ValidazioneExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 12 }).map((index) => ({ kind: 'field' as const, index })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((items) => ({ kind: 'and' as const, items })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((items) => ({ kind: 'or' as const, items })),
  ),
})).expr;

const fillArb = fc.array(fc.boolean(), { minLength: 13, maxLength: 13 });

describe('validazione parser under hostile input', () => {
  it('never throws anything but a ValidazioneSyntaxError', () => {
    fc.assert(
      fc.property(sourceArb, (source) => {
        try {
          parseValidazione(source);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidazioneSyntaxError);
        }
      }),
      { numRuns: 3000, seed: 1 },
    );
  });

  it('survives deep nesting and very long sources with a syntax error, not a stack overflow', () => {
    for (const source of [
      '('.repeat(100_000),
      `${'('.repeat(5000)}$0${')'.repeat(5000)}`,
      '$0 && '.repeat(5000),
    ]) {
      try {
        parseValidazione(source);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidazioneSyntaxError);
      }
    }
  });

  it('prints what it parses so that parsing again gives the same text and the same truth', () => {
    fc.assert(
      fc.property(exprArb, fillArb, (expr, fill) => {
        const text = printValidazione(expr);
        const parsed = parseValidazione(text);
        expect(printValidazione(parsed)).toBe(text);
        const filled = (i: number) => fill[i] ?? false;
        expect(evaluateValidazione(parsed, filled)).toBe(evaluateValidazione(expr, filled));
      }),
      { numRuns: 1000, seed: 2 },
    );
  });

  it('names missing fields whose filling really satisfies the expression, and none already filled', () => {
    fc.assert(
      fc.property(exprArb, fillArb, (expr, fill) => {
        const filled = (i: number) => fill[i] ?? false;
        const missing = missingForValidazione(expr, filled);
        expect(missing).not.toBeNull();
        for (const i of missing!) expect(filled(i)).toBe(false);
        const after = new Set(missing);
        expect(evaluateValidazione(expr, (i) => filled(i) || after.has(i))).toBe(true);
        if (evaluateValidazione(expr, filled)) expect(missing).toEqual([]);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });
});
