import { describe, expect, it } from 'vitest';
import { oleActiveContent } from '../../../main/documents/ole.ts';
import { extractOutputs } from '../../../main/documents/unzip.ts';
import { craftCfb, wordFib } from '../../support/cfbCraft.ts';
import { craftZip } from '../../support/zipCraft.ts';

const word = (...extra: Parameters<typeof craftCfb>[0]) =>
  craftCfb([
    { name: 'WordDocument', data: wordFib() },
    { name: '1Table', data: Buffer.alloc(600, 1) },
    ...extra,
  ]);

describe('Word 97-2003 documents (.doc)', () => {
  it('keeps a plain Word 97 document', () => {
    expect(oleActiveContent(word())).toBeNull();
    expect(
      oleActiveContent(word({ name: '\u0005SummaryInformation', data: Buffer.alloc(700, 2) })),
    ).toBeNull();
  });

  it.each([
    ['a Macros storage (Word’s VBA project)', [{ name: 'Macros' }, { name: 'VBA' }]],
    ['a VBA project in capitals', [{ name: 'MACROS' }]],
    ['a _VBA_PROJECT stream', [{ name: '_VBA_PROJECT', data: Buffer.alloc(520, 3) }]],
    ['Excel’s _VBA_PROJECT_CUR', [{ name: '_VBA_PROJECT_CUR' }]],
    ['an embedded OLE object', [{ name: 'ObjectPool' }]],
  ])('refuses a document with %s', (_what, extra) => {
    expect(oleActiveContent(word(...extra))).not.toBeNull();
  });

  it('refuses Word 6/95 (WordBasic macros live in the text), an encrypted one, and one that is not Word', () => {
    expect(oleActiveContent(craftCfb([{ name: 'WordDocument', data: wordFib(0x0065) }]))).toBe(
      'WordDocument (Word 6/95)',
    );
    expect(oleActiveContent(craftCfb([{ name: 'WordDocument', data: wordFib(0x00c1, 0x0100) }]))).toBe(
      'WordDocument (encrypted)',
    );
    expect(oleActiveContent(craftCfb([{ name: 'Workbook', data: Buffer.alloc(5000) }]))).toBe(
      'no_word_document',
    );
    expect(oleActiveContent(craftCfb([{ name: 'WordDocument', data: Buffer.alloc(4096) }]))).toBe(
      'WordDocument',
    );
  });

  describe('hostile files are refused as unreadable, never an exception or a hang', () => {
    it('a chain that loops, in the directory or the FAT', () => {
      // Sector 1 is the directory: pointing it at itself makes its chain endless.
      expect(
        oleActiveContent(craftCfb([{ name: 'WordDocument', data: wordFib() }], { fat: { 1: 1 } })),
      ).toMatch(/^unreadable: chain loops/);
    });

    it('sector numbers outside the file, and more FAT sectors than the file holds', () => {
      expect(
        oleActiveContent(
          craftCfb([{ name: 'WordDocument', data: wordFib() }], { header: [{ offset: 0x30, value: 9_999 }] }),
        ),
      ).toMatch(/^unreadable: sector 9999/);
      expect(
        oleActiveContent(
          craftCfb([{ name: 'WordDocument', data: wordFib() }], {
            header: [{ offset: 0x2c, value: 0x7fffffff }],
          }),
        ),
      ).toMatch(/^unreadable: .*FAT sectors/);
      expect(
        oleActiveContent(craftCfb([{ name: 'WordDocument', data: wordFib() }], { fat: { 1: 0xfffffffa } })),
      ).not.toBeNull();
    });

    it('a sector size that is not 512 or 4096, and a truncated file', () => {
      expect(oleActiveContent(craftCfb([], { header: [{ offset: 0x1e, value: 30, bits: 16 }] }))).toBe(
        'unreadable: sector shift 30',
      );
      const whole = word();
      // Cut in the header, the FAT, the directory, the WordDocument stream's first sector.
      for (const cut of [100, 512, 1024, 1500, 1600, 2000])
        expect(oleActiveContent(whole.subarray(0, cut))).not.toBeNull();
    });

    it('a WordDocument too small to be in regular sectors, and bytes that are not a compound file', () => {
      expect(oleActiveContent(craftCfb([{ name: 'WordDocument', data: Buffer.alloc(100) }]))).toMatch(
        /mini stream/,
      );
      expect(oleActiveContent(Buffer.from('%PDF-1.7'))).toBe('not_a_compound_file');
    });
  });

  it('in a zip: keeps a plain .doc and leaves out one with macros, saying why', async () => {
    const { files, leftOut } = await extractOutputs(
      craftZip([
        { name: 'lettera.doc', data: word() },
        { name: 'modulo.doc', data: word({ name: 'Macros' }) },
        { name: 'finto.doc', data: '%PDF-1.7\n%%EOF' },
      ]),
    );
    expect(files.map((f) => [f.name, f.kind])).toEqual([['lettera.doc', 'office']]);
    expect(leftOut.map((f) => [f.name, f.reason, f.details['part']])).toEqual([
      ['modulo.doc', 'macro', 'Macros'],
      ['finto.doc', 'content_mismatch', undefined],
    ]);
  });
});
