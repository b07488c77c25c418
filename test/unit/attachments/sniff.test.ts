import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIME_OF, sniff } from '../../../main/attachments/sniff.ts';
import type { FileKind } from '../../../main/attachments/sniff.ts';
import { heicContainer, plainImage, textPdf } from './samples.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  );

/** An ISO-BMFF `ftyp` box with the given major and compatible brands, then a little of the file. */
const ftyp = (major: string, ...compatible: string[]) => {
  const body = bytes(major, [0, 0, 0, 0], compatible.join(''));
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return bytes([...size], 'ftyp', [...body], [0, 0, 0, 8], 'meta');
};

describe('sniff: the kind of a file from its first bytes', () => {
  it.each<[FileKind, () => Promise<Uint8Array>]>([
    ['pdf', () => textPdf(1)],
    ['jpeg', () => plainImage('jpeg', 8, 8)],
    ['png', () => plainImage('png', 8, 8)],
    ['webp', () => plainImage('webp', 8, 8)],
    ['tiff', () => plainImage('tiff', 8, 8)],
    ['avif', () => plainImage('avif', 8, 8)],
    ['heic', async () => heicContainer(8, 8)],
  ])('recognises a real %s file', async (kind, make) => {
    expect(sniff(await make())).toBe(kind);
  });

  it('recognises big-endian TIFF as well as little-endian', () => {
    expect(sniff(bytes('II', [0x2a, 0x00, 8, 0, 0, 0]))).toBe('tiff');
    expect(sniff(bytes('MM', [0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
  });

  it('accepts a PDF with up to 1 KB of junk before its header, as PDF readers do', () => {
    expect(sniff(bytes('\r\n', '%PDF-1.4\n'))).toBe('pdf');
    expect(sniff(Buffer.concat([Buffer.alloc(1024, 0x20), bytes('%PDF-1.4\n')]))).toBe('pdf');
    expect(sniff(Buffer.concat([Buffer.alloc(1025, 0x20), bytes('%PDF-1.4\n')]))).toBeNull();
  });

  describe('HEIF brands', () => {
    it.each([
      ['an iPhone photo', ftyp('heic', 'mif1', 'heic'), 'heic'],
      ['a HEIC sequence', ftyp('hevc', 'msf1', 'hevc'), 'heic'],
      ['an extended-range HEIC', ftyp('heix', 'mif1'), 'heic'],
      ['a generic HEIF image', ftyp('mif1', 'miaf'), 'heic'],
      ['an AVIF image', ftyp('avif', 'mif1', 'miaf'), 'avif'],
      ['an AVIF sequence', ftyp('avis', 'msf1', 'miaf'), 'avif'],
      ['a generic HEIF that declares AVIF', ftyp('mif1', 'avif', 'miaf'), 'avif'],
    ] as const)('reads %s', (_label, file, kind) => {
      expect(sniff(file)).toBe(kind);
    });

    it('does not take an MP4 video or a QuickTime movie for a photo', () => {
      expect(sniff(ftyp('isom', 'iso2', 'avc1', 'mp41'))).toBeNull();
      expect(sniff(ftyp('qt  ', 'qt  '))).toBeNull();
    });
  });

  describe('refuses what a clerk may have renamed to .pdf or .jpg', () => {
    it.each([
      ['a ZIP (or a .docx, which is one)', bytes('PK', [3, 4, 20, 0, 0, 0], 'word/document.xml')],
      ['a Windows program', bytes('MZ', [0x90, 0, 3, 0, 0, 0], 'This program cannot be run in DOS mode')],
      ['plain text', bytes('Gentile Patronato, allego il documento richiesto.\n')],
      ['an HTML page saved by the browser', bytes('<!DOCTYPE html><html><body>Documento</body></html>')],
      ['a GIF', bytes('GIF89a', [1, 0, 1, 0])],
      ['a WAV file (RIFF but not WebP)', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
      ['an empty file', bytes()],
      ['a lone JPEG marker', bytes([0xff, 0xd8])],
    ])('%s', (_label, file) => {
      expect(sniff(file)).toBeNull();
    });
  });

  it('gives every kind its MIME type', () => {
    expect(MIME_OF).toEqual({
      pdf: 'application/pdf',
      jpeg: 'image/jpeg',
      png: 'image/png',
      webp: 'image/webp',
      tiff: 'image/tiff',
      heic: 'image/heic',
      avif: 'image/avif',
    });
  });

  it('never throws, whatever the bytes', () => {
    const kinds = [null, ...Object.keys(MIME_OF)];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (input) => {
        expect(kinds).toContain(sniff(input));
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          bytes([0, 0, 0, 0], 'ftyp'),
          bytes([0, 0, 0, 255], 'ftyp'),
          bytes('RIFF'),
          bytes('%PDF'),
        ),
        fc.uint8Array({ maxLength: 64 }),
        (prefix, rest) => {
          expect(kinds).toContain(sniff(Buffer.concat([prefix, rest])));
        },
      ),
      { numRuns: 200 },
    );
  });
});
