/*
 * Visengine's `validazione`: a boolean expression over `$n` tokens (true when field n is filled)
 * with `&&`, `||`, parentheses and stray whitespace. It comes from the API, so it is parsed by a
 * real grammar — never eval/Function — and anything outside the grammar is refused loudly rather
 * than guessed at:
 *
 *   expr    := andExpr ('||' andExpr)*
 *   andExpr := primary ('&&' primary)*
 *   primary := '$' digits | '(' expr ')'
 */

export type ValidazioneExpr =
  | { kind: 'field'; index: number }
  | { kind: 'and'; items: ValidazioneExpr[] }
  | { kind: 'or'; items: ValidazioneExpr[] }
  | { kind: 'true' };

/** Longer sources are refused before tokenising: real ones are a few hundred characters. */
export const MAX_VALIDAZIONE_LENGTH = 10_000;
/** Deeper nesting is refused so a hostile catalog entry cannot blow the stack. */
export const MAX_VALIDAZIONE_DEPTH = 100;
/** Field indexes beyond this are certainly not a real form. */
const MAX_FIELD_DIGITS = 6;

export class ValidazioneSyntaxError extends Error {
  override readonly name = 'ValidazioneSyntaxError';
  /** 0-based offset in the source where the problem was found. */
  readonly position: number;

  constructor(source: string, position: number, problem: string) {
    super(
      `Espressione di validazione non valida alla posizione ${position}: ${problem} ` +
        `(validazione syntax error at ${position}) in «${excerpt(source, position)}»`,
    );
    this.position = position;
  }
}

function excerpt(source: string, position: number): string {
  const radius = 30;
  const start = Math.max(0, position - radius);
  const end = Math.min(source.length, position + radius);
  return `${start > 0 ? '…' : ''}${source.slice(start, end)}${end < source.length ? '…' : ''}`;
}

type Token =
  | { type: 'field'; index: number; position: number }
  | { type: 'and' | 'or' | 'open' | 'close'; position: number }
  | { type: 'end'; position: number };

function describeToken(token: Token): string {
  switch (token.type) {
    case 'field':
      return `il campo $${token.index}`;
    case 'and':
      return '"&&"';
    case 'or':
      return '"||"';
    case 'open':
      return '"("';
    case 'close':
      return '")"';
    case 'end':
      return 'la fine dell’espressione';
  }
}

function isDigit(ch: string | undefined): ch is string {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const position = i;
    if (ch === '$') {
      let j = i + 1;
      while (isDigit(source[j])) j++;
      if (j === i + 1)
        throw new ValidazioneSyntaxError(source, position, 'dopo "$" serve il numero del campo');
      if (j - i - 1 > MAX_FIELD_DIGITS)
        throw new ValidazioneSyntaxError(source, position, 'numero di campo troppo grande');
      tokens.push({ type: 'field', index: Number(source.slice(i + 1, j)), position });
      i = j;
    } else if (ch === '&' || ch === '|') {
      if (source[i + 1] !== ch) {
        throw new ValidazioneSyntaxError(
          source,
          position,
          `operatore "${ch}" incompleto: si usa "${ch}${ch}"`,
        );
      }
      tokens.push({ type: ch === '&' ? 'and' : 'or', position });
      i += 2;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'open' : 'close', position });
      i++;
    } else {
      throw new ValidazioneSyntaxError(source, position, `carattere non ammesso ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ type: 'end', position: source.length });
  return tokens;
}

/** Parses a `validazione` source; a blank source means "always satisfied". */
export function parseValidazione(source: string): ValidazioneExpr {
  if (source.length > MAX_VALIDAZIONE_LENGTH) {
    throw new ValidazioneSyntaxError(
      source,
      MAX_VALIDAZIONE_LENGTH,
      `espressione troppo lunga (${source.length} caratteri, massimo ${MAX_VALIDAZIONE_LENGTH})`,
    );
  }
  const tokens = tokenize(source);
  if (tokens.length === 1) return { kind: 'true' };

  let at = 0;
  const peek = (): Token => tokens[at]!;
  const next = (): Token => tokens[at++]!;
  const unexpected = (token: Token, expected: string): ValidazioneSyntaxError =>
    new ValidazioneSyntaxError(source, token.position, `atteso ${expected}, trovato ${describeToken(token)}`);

  // Same-kind children are merged so `$0 && ($1 && $2)` and `$0 && $1 && $2` give one shape.
  const join = (kind: 'and' | 'or', items: ValidazioneExpr[]): ValidazioneExpr => {
    if (items.length === 1) return items[0]!;
    return { kind, items: items.flatMap((item) => (item.kind === kind ? item.items : [item])) };
  };

  const parseOr = (depth: number): ValidazioneExpr => {
    const items = [parseAnd(depth)];
    while (peek().type === 'or') {
      next();
      items.push(parseAnd(depth));
    }
    return join('or', items);
  };

  const parseAnd = (depth: number): ValidazioneExpr => {
    const items = [parsePrimary(depth)];
    while (peek().type === 'and') {
      next();
      items.push(parsePrimary(depth));
    }
    return join('and', items);
  };

  const parsePrimary = (depth: number): ValidazioneExpr => {
    const token = next();
    if (token.type === 'field') return { kind: 'field', index: token.index };
    if (token.type === 'open') {
      if (depth >= MAX_VALIDAZIONE_DEPTH) {
        throw new ValidazioneSyntaxError(
          source,
          token.position,
          `parentesi annidate oltre ${MAX_VALIDAZIONE_DEPTH} livelli`,
        );
      }
      const inner = parseOr(depth + 1);
      const close = next();
      if (close.type !== 'close') throw unexpected(close, '")"');
      return inner;
    }
    throw unexpected(token, 'un campo ($n) o "("');
  };

  const expr = parseOr(0);
  const end = peek();
  if (end.type !== 'end') throw unexpected(end, '"&&", "||" o la fine dell’espressione');
  return expr;
}

/** Prints an expression back to source, with parentheses only where precedence needs them. */
export function printValidazione(expr: ValidazioneExpr): string {
  const simple = simplify(expr);
  if (simple === false)
    throw new RangeError('A "||" without alternatives cannot be written as a validazione');
  return simple.kind === 'true' ? '' : print(simple);
}

function print(expr: ValidazioneExpr): string {
  switch (expr.kind) {
    case 'field':
      return `$${expr.index}`;
    case 'and':
      return expr.items.map((item) => (item.kind === 'or' ? `(${print(item)})` : print(item))).join(' && ');
    case 'or':
      return expr.items.map(print).join(' || ');
    case 'true':
      return '';
  }
}

/**
 * Removes `true` constants from hand-built trees, which the grammar cannot spell; `false` stands
 * for an unsatisfiable `or` with no items.
 */
function simplify(expr: ValidazioneExpr): ValidazioneExpr | false {
  switch (expr.kind) {
    case 'field':
    case 'true':
      return expr;
    case 'and': {
      const items: ValidazioneExpr[] = [];
      for (const item of expr.items) {
        const s = simplify(item);
        if (s === false) return false;
        if (s.kind !== 'true') items.push(s);
      }
      if (items.length === 0) return { kind: 'true' };
      return items.length === 1 ? items[0]! : { kind: 'and', items };
    }
    case 'or': {
      const items: ValidazioneExpr[] = [];
      for (const item of expr.items) {
        const s = simplify(item);
        if (s === false) continue;
        if (s.kind === 'true') return s;
        items.push(s);
      }
      if (items.length === 0) return false;
      return items.length === 1 ? items[0]! : { kind: 'or', items };
    }
  }
}

export function evaluateValidazione(expr: ValidazioneExpr, isFilled: (index: number) => boolean): boolean {
  switch (expr.kind) {
    case 'true':
      return true;
    case 'field':
      return isFilled(expr.index);
    case 'and':
      return expr.items.every((item) => evaluateValidazione(item, isFilled));
    case 'or':
      return expr.items.some((item) => evaluateValidazione(item, isFilled));
  }
}

/** Every `$n` the expression mentions, ascending, without repeats. */
export function referencedFields(expr: ValidazioneExpr): number[] {
  const seen = new Set<number>();
  const walk = (e: ValidazioneExpr): void => {
    if (e.kind === 'field') seen.add(e.index);
    else if (e.kind === 'and' || e.kind === 'or') e.items.forEach(walk);
  };
  walk(expr);
  return [...seen].sort((a, b) => a - b);
}

/** Beyond this many conjunctions in the normal form the exact search gives way to a greedy one. */
export const DEFAULT_MAX_DNF_TERMS = 1024;

/**
 * The smallest set of unfilled fields whose filling makes the expression true, ascending; among
 * equally small sets the one with the lowest indexes. `[]` when it is already true, `null` when
 * nothing can make it true (only a hand-built empty `or` can do that).
 *
 * The expression has no negation, so the sets that satisfy it are exactly the supersets of the
 * terms of its disjunctive normal form: the smallest term is the answer. Should the normal form
 * grow past `maxTerms`, a greedy answer is returned instead — still sufficient, maybe not minimal.
 */
export function missingForValidazione(
  expr: ValidazioneExpr,
  isFilled: (index: number) => boolean,
  options: { maxTerms?: number } = {},
): number[] | null {
  if (evaluateValidazione(expr, isFilled)) return [];
  const terms = dnf(expr, isFilled, options.maxTerms ?? DEFAULT_MAX_DNF_TERMS);
  const candidates = terms ?? greedy(expr, isFilled);
  if (candidates === null || candidates.length === 0) return null;
  return candidates.reduce((best, term) => (compareSets(term, best) < 0 ? term : best));
}

/** Term = sorted unfilled indexes that must all be filled; filled fields already count as true. */
type Term = number[];

class TooManyTerms extends Error {}

function dnf(expr: ValidazioneExpr, isFilled: (index: number) => boolean, maxTerms: number): Term[] | null {
  const walk = (e: ValidazioneExpr): Term[] => {
    switch (e.kind) {
      case 'true':
        return [[]];
      case 'field':
        return [isFilled(e.index) ? [] : [e.index]];
      case 'or': {
        const all = e.items.flatMap(walk);
        if (all.length > maxTerms) throw new TooManyTerms();
        return absorb(all);
      }
      case 'and': {
        let acc: Term[] = [[]];
        for (const item of e.items) {
          const terms = walk(item);
          if (acc.length * terms.length > maxTerms) throw new TooManyTerms();
          acc = absorb(acc.flatMap((a) => terms.map((b) => union(a, b))));
        }
        return acc;
      }
    }
  };
  try {
    return walk(expr);
  } catch (error) {
    if (error instanceof TooManyTerms) return null;
    throw error;
  }
}

/** Each child satisfied its cheapest way: correct by construction, not always minimal. */
function greedy(expr: ValidazioneExpr, isFilled: (index: number) => boolean): Term[] | null {
  const walk = (e: ValidazioneExpr): Term | null => {
    switch (e.kind) {
      case 'true':
        return [];
      case 'field':
        return isFilled(e.index) ? [] : [e.index];
      case 'and': {
        let acc: Term = [];
        for (const item of e.items) {
          const term = walk(item);
          if (term === null) return null;
          acc = union(acc, term);
        }
        return acc;
      }
      case 'or': {
        let best: Term | null = null;
        for (const item of e.items) {
          const term = walk(item);
          if (term !== null && (best === null || compareSets(term, best) < 0)) best = term;
        }
        return best;
      }
    }
  };
  const term = walk(expr);
  return term === null ? null : [term];
}

function union(a: Term, b: Term): Term {
  const out: Term = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) {
      out.push(x!);
      i++;
    } else if (x === undefined || y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  return out;
}

function isSubset(small: Term, big: Term): boolean {
  let j = 0;
  for (const x of small) {
    while (j < big.length && big[j]! < x) j++;
    if (big[j] !== x) return false;
    j++;
  }
  return true;
}

/** Drops duplicates and supersets: they can never be the smallest answer. */
function absorb(terms: Term[]): Term[] {
  const sorted = [...terms].sort(compareSets);
  const kept: Term[] = [];
  for (const term of sorted) {
    if (!kept.some((k) => isSubset(k, term))) kept.push(term);
  }
  return kept;
}

/** Smaller sets first; equal sizes by their lowest differing index. */
function compareSets(a: Term, b: Term): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return 0;
}
