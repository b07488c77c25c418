import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/i18n/en.ts';
import { it as italian } from '../../../renderer/i18n/it.ts';

/*
 * The English UI is a full translation, not Italian with holes: i18next would fill a missing key
 * with Italian silently, and a lost {{placeholder}} would show a sentence without its figure.
 */

type Tree = { readonly [key: string]: string | Tree };

/** Every leaf as "path.to.key" → its text. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();

/** What differs between two translations, one line per problem (empty when they agree). */
function differences(reference: Tree, translation: Tree): string[] {
  const a = leaves(reference);
  const b = leaves(translation);
  const problems: string[] = [];
  for (const key of a.keys()) if (!b.has(key)) problems.push(`missing in en: ${key}`);
  for (const key of b.keys()) if (!a.has(key)) problems.push(`extra in en: ${key}`);
  for (const [key, text] of a) {
    const other = b.get(key);
    if (other === undefined) continue;
    const want = placeholders(text).join(',');
    const got = placeholders(other).join(',');
    if (want !== got) problems.push(`placeholders of ${key}: it {${want}} en {${got}}`);
  }
  return problems;
}

describe('the English translation', () => {
  it('has every key of the Italian one, no extra key, and the same {{placeholders}} in each', () => {
    expect(differences(italian, en as Tree)).toEqual([]);
  });

  it('leaves no Italian behind in its texts', () => {
    // Words a clerk's Italian sentence can hardly do without, and no English one uses.
    const italianWords =
      /\b(?:il|della|delle|degli|che|sono|non è|questo|questa|nessun[ao]?|pratic(?:a|he)|documenti|servizio|premete|controllate)\b/i;
    // The service's own names stay Italian in both languages (they are what Openapi shows).
    const names = /(In ricerca|In erogazione|in ricerche|congedo|Patronato|visura|Sportello)/g;
    const italianLeft = [...leaves(en as Tree)]
      .filter(([, text]) => italianWords.test(text.replace(names, '')))
      .map(([key, text]) => `${key}: ${text}`);
    expect(italianLeft).toEqual([]);
  });

  describe('the comparison itself', () => {
    it('catches a missing key, an extra key and a lost placeholder', () => {
      const reference = { a: { b: 'Ciao {{name}}', c: 'Due' }, d: 'Tre' };
      const translation = { a: { b: 'Hello', e: 'Extra' }, d: 'Three' };
      expect(differences(reference, translation)).toEqual([
        'missing in en: a.c',
        'extra in en: a.e',
        'placeholders of a.b: it {name} en {}',
      ]);
    });
  });
});
