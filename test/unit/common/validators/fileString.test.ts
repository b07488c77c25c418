import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_FILE_NAME_LENGTH,
  checkFileString,
  encodeFileString,
  isBase64,
  parseFileString,
  sanitizeFileName,
} from '../../../../common/validators/fileString.ts';

const PDF = Buffer.from('%PDF-1.7\n').toString('base64');

describe('file strings', () => {
  describe('encoding', () => {
    it('joins name, mime and payload the way Visengine expects', () => {
      expect(encodeFileString('documento.pdf', 'application/pdf', PDF)).toBe(
        `documento.pdf|data:application/pdf;base64,${PDF}`,
      );
    });

    it('writes the mime in lower case', () => {
      expect(encodeFileString('a.pdf', ' Application/PDF ', PDF)).toBe(
        `a.pdf|data:application/pdf;base64,${PDF}`,
      );
    });

    it('refuses a malformed mime or payload, which would be a bug of the caller', () => {
      expect(() => encodeFileString('a.pdf', 'pdf', PDF)).toThrow(RangeError);
      expect(() => encodeFileString('a.pdf', 'application/pdf; charset=x', PDF)).toThrow(RangeError);
      expect(() => encodeFileString('a.pdf', 'application/pdf', '')).toThrow(RangeError);
      expect(() => encodeFileString('a.pdf', 'application/pdf', 'JVBERi0*')).toThrow(RangeError);
    });
  });

  describe('file names', () => {
    it.each([
      ['C:\\Users\\banco\\Scansioni\\carta identità.pdf', 'carta identità.pdf'],
      ['/home/banco/scan 1.jpg', 'scan 1.jpg'],
      ['fronte|retro.pdf', 'fronte-retro.pdf'],
      ['  mandato  firmato .pdf  ', 'mandato firmato.pdf'],
      ['doc\u0000umento\n.pdf', 'documento.pdf'],
      ['fattura\u202Efdp.exe', 'fatturafdp.exe'],
      ['documento.pdf...', 'documento.pdf'],
      ['.pdf', 'documento.pdf'],
      ['', 'documento'],
      ['cartella/', 'documento'],
      ['|||', '---'],
    ])('makes %j safe as %j', (input, output) => {
      expect(sanitizeFileName(input)).toBe(output);
    });

    it(`cuts long names to ${MAX_FILE_NAME_LENGTH} characters and keeps the extension`, () => {
      const name = sanitizeFileName(`${'à'.repeat(300)}.pdf`);
      expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
      expect(name.endsWith('.pdf')).toBe(true);
    });

    it('never splits an emoji when cutting', () => {
      const name = sanitizeFileName(`${'😀'.repeat(200)}.jpg`);
      expect(name).toBe(`${'😀'.repeat(MAX_FILE_NAME_LENGTH - 4)}.jpg`);
    });

    it('joins the spaces a removed control character separated (found by the property below)', () => {
      expect(sanitizeFileName('!\t\u0000\t!')).toBe('! !');
      expect(sanitizeFileName('a\u200b \u200bb.pdf')).toBe('a b.pdf');
    });

    it('gives any name a safe, stable form', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary' }),
            fc.string({ unit: fc.constantFrom('a', '.', ' ', '|', '/', '\\', '\n', 'é') }),
          ),
          (raw) => {
            const name = sanitizeFileName(raw);
            expect(name.trim()).not.toBe('');
            expect(name).toBe(name.trim());
            expect(name).not.toMatch(/[|/\\\p{Cc}\p{Cf}]/u);
            expect(name).not.toMatch(/[. ]$/);
            expect([...name].length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
            expect(sanitizeFileName(name)).toBe(name);
          },
        ),
        { numRuns: 1000 },
      );
    });
  });

  describe('parsing', () => {
    it('splits a well-formed string', () => {
      expect(parseFileString(`documento.pdf|data:application/pdf;base64,${PDF}`)).toEqual({
        name: 'documento.pdf',
        mime: 'application/pdf',
        base64: PDF,
      });
    });

    it.each([
      ['no separator', `data:application/pdf;base64,${PDF}`],
      ['no name', `|data:application/pdf;base64,${PDF}`],
      ['a blank name', `  |data:application/pdf;base64,${PDF}`],
      ['two separators', `a|b.pdf|data:application/pdf;base64,${PDF}`],
      ['no data: prefix', `a.pdf|application/pdf;base64,${PDF}`],
      ['no mime', `a.pdf|data:;base64,${PDF}`],
      ['a mime without subtype', `a.pdf|data:application;base64,${PDF}`],
      ['mime parameters', `a.pdf|data:text/plain;charset=utf-8;base64,${PDF}`],
      ['no base64 marker', `a.pdf|data:application/pdf,${PDF}`],
      ['an empty payload', 'a.pdf|data:application/pdf;base64,'],
      ['a payload with a bad character', 'a.pdf|data:application/pdf;base64,JVBE*i0x'],
      ['a payload with whitespace', 'a.pdf|data:application/pdf;base64,JVBE Ri0x'],
      ['a payload of wrong length', 'a.pdf|data:application/pdf;base64,JVBERi0'],
      ['padding in the middle', 'a.pdf|data:application/pdf;base64,JV==Ri0x'],
      ['three padding characters', 'a.pdf|data:application/pdf;base64,J==='],
      ['url-safe base64', 'a.pdf|data:application/pdf;base64,JVBE_i0-'],
      ['a control character in the name', `a\n.pdf|data:application/pdf;base64,${PDF}`],
    ])('refuses a string with %s', (_, value) => {
      expect(parseFileString(value)).toBeNull();
      expect(checkFileString(value)).toMatchObject({ ok: false, issue: { code: 'file.format' } });
    });

    it('round-trips any name and any bytes', () => {
      const mime = fc.constantFrom(
        'application/pdf',
        'image/jpeg',
        'image/png',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      );
      fc.assert(
        fc.property(
          fc.string(),
          mime,
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          (name, type, bytes) => {
            const base64 = Buffer.from(bytes).toString('base64');
            const parsed = parseFileString(encodeFileString(name, type, base64));
            expect(parsed).toEqual({ name: sanitizeFileName(name), mime: type, base64 });
            expect(Buffer.from(parsed!.base64, 'base64')).toEqual(Buffer.from(bytes));
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('checking a field value', () => {
    it('accepts a well-formed string as is and reports name, mime and decoded size', () => {
      const value = `documento.pdf|data:application/pdf;base64,${PDF}`;
      expect(checkFileString(value)).toEqual({
        ok: true,
        value,
        info: { kind: 'file', name: 'documento.pdf', mime: 'application/pdf', bytes: 9 },
      });
    });

    it('computes the decoded size from the padding', () => {
      for (const length of [1, 2, 3, 4, 5, 6]) {
        const base64 = Buffer.alloc(length).toString('base64');
        const result = checkFileString(`a.bin|data:application/octet-stream;base64,${base64}`);
        expect(result.ok && result.info?.bytes).toBe(length);
      }
    });

    it('calls a blank value empty', () => {
      expect(checkFileString('')).toMatchObject({ ok: false, issue: { code: 'file.empty' } });
    });

    it('scans a payload of several megabytes quickly', () => {
      const base64 = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
      const started = performance.now();
      expect(checkFileString(`scan.pdf|data:application/pdf;base64,${base64}`).ok).toBe(true);
      expect(performance.now() - started).toBeLessThan(1000);
    });
  });

  describe('base64', () => {
    it('accepts whatever a standard encoder produces', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
          expect(isBase64(Buffer.from(bytes).toString('base64'))).toBe(true);
          expect(isBase64(btoa(String.fromCharCode(...bytes)))).toBe(true);
        }),
      );
    });
  });
});
