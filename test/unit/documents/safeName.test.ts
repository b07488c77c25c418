import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberedName, safeName, splitExtension } from '../../../main/documents/safeName.ts';

const windowsDevice = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/iu;
const unsafeCharacter = /[\p{Cc}<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

/** Strings built from the pieces that break file names, mixed with arbitrary text. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'CON',
        'con',
        'Aux',
        'nul',
        'LPT1',
        'com¹',
        'conin$',
        '.',
        '..',
        ' ',
        '\t',
        '/',
        '\\',
        ':',
      ),
      fc.constantFrom(
        '*',
        '?',
        '"',
        '<',
        '>',
        '|',
        '\u0000',
        '\u001f',
        '\u007f',
        '\u202e',
        '\ufeff',
        '\ud800',
      ),
      fc.constantFrom('e\u0301', 'à', '👨‍👩‍👧', '.pdf', '.p7m', ' .', '. ', 'a', 'Z', '-'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ maxLength: 400 }),
  hostileText,
);

function expectSafe(name: string, maxLength = 120): void {
  expect(name.length).toBeGreaterThan(0);
  expect(name.length).toBeLessThanOrEqual(maxLength);
  expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(255);
  expect(name).not.toMatch(unsafeCharacter);
  expect(name).not.toMatch(loneSurrogate);
  expect(name).not.toMatch(/^[\s.]|[\s.]$/u);
  expect(windowsDevice.test((name.split('.')[0] ?? '').trimEnd())).toBe(false);
  expect(name.normalize('NFC')).toBe(name);
}

describe('safe names', () => {
  describe('for any string', () => {
    it('yields a non-empty name without separators, control characters or device names', () => {
      fc.assert(
        fc.property(anyText, (raw) => {
          expectSafe(safeName(raw));
        }),
        { numRuns: 2000 },
      );
    });

    it('holds for folder names and short limits too', () => {
      fc.assert(
        fc.property(
          anyText,
          fc.integer({ min: 8, max: 200 }),
          fc.boolean(),
          (raw, maxLength, keepExtension) => {
            expectSafe(safeName(raw, { maxLength, keepExtension }), maxLength + 1);
          },
        ),
      );
    });

    it('is idempotent: a safe name stays as it is', () => {
      fc.assert(
        fc.property(anyText, (raw) => {
          const once = safeName(raw);
          expect(safeName(once)).toBe(once);
        }),
        { numRuns: 1000 },
      );
    });

    it('keeps numbered names safe and within the limit', () => {
      fc.assert(
        fc.property(anyText, fc.integer({ min: 2, max: 10_000 }), (raw, n) => {
          const numbered = numberedName(safeName(raw), n);
          expectSafe(numbered);
          expect(numbered).toContain(`(${n})`);
        }),
      );
    });
  });

  describe('examples', () => {
    it.each([
      ['esito.pdf', 'esito.pdf'],
      ['CON', '_CON'],
      ['con.txt', '_con.txt'],
      ['nul .pdf', '_nul .pdf'],
      ['COM1.tar.gz', '_COM1.tar.gz'],
      ['console.pdf', 'console.pdf'],
      ['a/b\\c.pdf', 'a_b_c.pdf'],
      ['fattura: "marzo" <2026>?*|.pdf', 'fattura_ _marzo_ _2026____.pdf'],
      ['riga\nnuova\ttab.pdf', 'riga nuova tab.pdf'],
      ['  spazi   multipli  .pdf  ', 'spazi multipli .pdf'],
      ['.nascosto.pdf', 'nascosto.pdf'],
      ['finisce con punti...', 'finisce con punti'],
      ['Indennita\u0300', 'Indennità'],
      ['', 'senza nome'],
      ['. . .', 'senza nome'],
    ])('%j → %j', (raw, expected) => {
      expect(safeName(raw)).toBe(expected);
    });

    it('uses the fallback when nothing usable is left, and can report that with an empty fallback', () => {
      expect(safeName('...', { fallback: 'documento' })).toBe('documento');
      expect(safeName('   ', { fallback: '' })).toBe('');
    });

    it('shortens a long stem at a whole grapheme and keeps the extension', () => {
      const name = safeName(`${'👨‍👩‍👧'.repeat(60)}.pdf`);
      expect(name.endsWith('👨‍👩‍👧.pdf')).toBe(true);
      expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(240);
    });

    it('treats a dot followed by words as part of the name, not an extension', () => {
      expect(splitExtension('Rossi S.r.l. Servizi')).toEqual({ stem: 'Rossi S.r.l. Servizi', extension: '' });
      expect(splitExtension('domanda.pdf.p7m')).toEqual({ stem: 'domanda.pdf', extension: '.p7m' });
      expect(splitExtension('senza estensione')).toEqual({ stem: 'senza estensione', extension: '' });
    });

    it('numbers a duplicate before its extension', () => {
      expect(numberedName('esito.pdf', 2)).toBe('esito (2).pdf');
      expect(numberedName('esito', 3)).toBe('esito (3)');
      const long = numberedName(`${'x'.repeat(120)}.pdf`, 12);
      expect(long.length).toBeLessThanOrEqual(120);
      expect(long.endsWith(' (12).pdf')).toBe(true);
    });
  });
});
