import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFileString,
  encodeFileString,
  isBase64,
  parseFileString,
  sanitizeFileName,
} from '../../../common/validators/fileString.ts';

const token = fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,20}$/);
const mimeArb = fc.tuple(token, token).map(([type, sub]) => `${type}/${sub}`);
const nameArb = fc.oneof(
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.constantFrom(
    'a|b.pdf',
    '../../etc/passwd',
    'C:\\fakepath\\scan.jpg',
    'fdp\u202e.exe',
    '...',
    '   ',
    '\ud800x.pdf',
  ),
);

describe('file string encoder and parser', () => {
  it('round-trips any name, mime and payload: the parsed parts are the sanitized name and the same bytes', () => {
    fc.assert(
      fc.property(nameArb, mimeArb, fc.uint8Array({ minLength: 1, maxLength: 300 }), (name, mime, bytes) => {
        const base64 = Buffer.from(bytes).toString('base64');
        const encoded = encodeFileString(name, mime.toUpperCase(), base64);
        const parts = parseFileString(encoded);
        expect(parts).toEqual({ name: sanitizeFileName(name), mime, base64 });
        expect(Buffer.from(parts!.base64, 'base64')).toEqual(Buffer.from(bytes));
        const check = checkFileString(encoded);
        expect(check.ok && check.info?.bytes).toBe(bytes.length);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('sanitizes names to something stable, short and free of separators and controls', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        const clean = sanitizeFileName(name);
        expect(sanitizeFileName(clean)).toBe(clean);
        expect(clean).not.toMatch(/[|/\\\p{Cc}\p{Cf}\p{Cs}]/u);
        expect([...clean].length).toBeLessThanOrEqual(120);
        expect(clean.trim()).not.toBe('');
      }),
      { numRuns: 3000, seed: 10 },
    );
  });

  it('never throws on arbitrary strings, and refuses what is not a file string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const parts = parseFileString(text);
        const check = checkFileString(text);
        expect(check.ok).toBe(parts !== null);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('counts the decoded size of any payload it accepts as Node decodes it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: fc.constantFrom(...'ABCxyz019+/=-_ ') }), (text) => {
        if (!isBase64(text)) return;
        const check = checkFileString(`a.pdf|data:application/pdf;base64,${text}`);
        expect(check.ok && check.info?.bytes).toBe(Buffer.from(text, 'base64').length);
      }),
      { numRuns: 3000, seed: 12 },
    );
  });
});
