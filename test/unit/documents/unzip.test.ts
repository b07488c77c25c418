import { createHash, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import yazl from 'yazl';
import { extractOutputs } from '../../../main/documents/unzip.ts';
import type { UnzipLimits } from '../../../main/documents/unzip.ts';
import { AppError } from '../../../main/errors.ts';
import { craftZip, deflatedZeros, STORED, unixMode, zipFlags } from '../../support/zipCraft.ts';
import type { CraftEntry } from '../../support/zipCraft.ts';

const MB = 1024 * 1024;

const pdf = (label = 'documento') =>
  Buffer.from(`%PDF-1.7\n%\xe2\xe3\xcf\xd3\n% ${label}\ntrailer<<>>\n%%EOF\n`, 'latin1');
const p7m = Buffer.from([
  0x30, 0x82, 0x01, 0x0a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
]);
const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<esito codice="0"/>\n');
const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const tiff = Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]);
const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(56)]);
const docx = craftZip([{ name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' }]);
const odt = craftZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: STORED }]);
const docxWithMacros = craftZip([
  { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
  { name: 'word/vbaProject.bin', data: 'Attribute VB_Name' },
]);

function zipOf(files: Record<string, Uint8Array | string>): Buffer {
  return craftZip(Object.entries(files).map(([name, data]) => ({ name, data })));
}

/** As the simulator and ordinary servers write them (yazl: deflate, data descriptors off). */
function yazlZip(files: Record<string, Uint8Array>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files))
    zip.addBuffer(Buffer.from(data), name, { compress: true });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

async function refusal(zip: Uint8Array, limits?: Partial<UnzipLimits>): Promise<AppError> {
  try {
    await extractOutputs(zip, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('the archive was accepted');
}

async function expectRefused(
  zip: Uint8Array,
  reason: string,
  limits?: Partial<UnzipLimits>,
): Promise<Record<string, unknown>> {
  const error = await refusal(zip, limits);
  expect(error.code).toBe('unsafe_archive');
  expect(error.details?.['reason']).toBe(reason);
  expect(error.message).toMatch(/^Il documento ricevuto .*: non è stato salvato nulla$/u);
  return error.details ?? {};
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Counts the inflations started, on either path (small entries in one call, large ones streamed):
 * a refusal "before inflating" must leave it at zero.
 */
function watchInflation() {
  const spies = [vi.spyOn(zlib, 'inflateRawSync'), vi.spyOn(zlib, 'createInflateRaw')];
  return { calls: () => spies.reduce((n, spy) => n + spy.mock.calls.length, 0) };
}

describe('safe unzip', () => {
  describe('good archives', () => {
    it('extracts a single PDF with its bytes, kind and sha256', async () => {
      const bytes = pdf('esito');
      const files = await extractOutputs(zipOf({ '5f2829ce065afc21cc60ad0e.pdf': bytes }));
      expect(files).toEqual([
        {
          name: '5f2829ce065afc21cc60ad0e.pdf',
          originalName: '5f2829ce065afc21cc60ad0e.pdf',
          bytes: new Uint8Array(bytes),
          kind: 'pdf',
          sha256: sha256(bytes),
        },
      ]);
    });

    it('keeps several PDFs, a signed p7m and an XML, in archive order', async () => {
      const files = await extractOutputs(
        zipOf({
          'domanda.pdf': pdf('1'),
          'ricevuta.pdf': pdf('2'),
          'domanda.pdf.p7m': p7m,
          'esito.xml': xml,
        }),
      );
      expect(files.map((f) => [f.name, f.kind])).toEqual([
        ['domanda.pdf', 'pdf'],
        ['ricevuta.pdf', 'pdf'],
        ['domanda.pdf.p7m', 'p7m'],
        ['esito.xml', 'xml'],
      ]);
    });

    it('reads a zip written by an ordinary library', async () => {
      const files = await extractOutputs(await yazlZip({ 'a.pdf': pdf('a'), 'cartella/b.pdf': pdf('b') }));
      expect(files.map((f) => f.name)).toEqual(['a.pdf', 'b.pdf']);
      expect(Buffer.from(files[1]!.bytes).toString('latin1')).toContain('% b');
    });

    it('inflates deflated entries and takes stored ones as they are', async () => {
      const inflation = watchInflation();
      const stored = pdf('stored');
      const files = await extractOutputs(
        craftZip([
          { name: 'deflated.pdf', data: pdf('deflated') },
          { name: 'stored.pdf', data: stored, method: STORED },
        ]),
      );
      expect(inflation.calls()).toBe(1);
      expect(Buffer.from(files[1]!.bytes).equals(stored)).toBe(true);
      expect(files[1]!.sha256).toBe(sha256(stored));
    });

    it('streams a large entry (over 8 MB) through the thread pool, with its bytes and sha256', async () => {
      // Noise: a large entry must not be refused on the compression ratio.
      const big = Buffer.concat([pdf('grande'), randomBytes(9 * MB)]);
      const files = await extractOutputs(zipOf({ 'grande.pdf': big }));
      expect(files).toHaveLength(1);
      expect(files[0]!.bytes.length).toBe(big.length);
      expect(Buffer.from(files[0]!.bytes).equals(big)).toBe(true);
      expect(files[0]!.sha256).toBe(sha256(big));
    });

    it('accepts images, office documents, UTF-8 text and CSV', async () => {
      const files = await extractOutputs(
        zipOf({
          'foto.png': png,
          'foto.JPG': jpeg,
          'scansione.tiff': tiff,
          'lettera.docx': docx,
          'lettera.odt': odt,
          'note.txt': 'Perché è così',
          'righe.csv': 'nome;importo\nRossi;14,70\n',
          'esito-bom.xml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<esito/>')]),
        }),
      );
      expect(files.map((f) => f.kind)).toEqual([
        'image',
        'image',
        'image',
        'office',
        'office',
        'text',
        'text',
        'xml',
      ]);
    });

    it('gives duplicate basenames from different folders distinct names, ignoring case', async () => {
      const files = await extractOutputs(
        zipOf({ 'a/ricevuta.pdf': pdf('a'), 'b/ricevuta.pdf': pdf('b'), 'c/RICEVUTA.pdf': pdf('c') }),
      );
      expect(files.map((f) => f.name)).toEqual(['ricevuta.pdf', 'ricevuta (2).pdf', 'RICEVUTA (3).pdf']);
      expect(files.map((f) => f.originalName)).toEqual([
        'a/ricevuta.pdf',
        'b/ricevuta.pdf',
        'c/RICEVUTA.pdf',
      ]);
    });

    it('skips folders, __MACOSX and system junk', async () => {
      const files = await extractOutputs(
        zipOf({
          'esiti/': '',
          'esiti/esito.pdf': pdf(),
          '__MACOSX/esiti/._esito.pdf': 'apple double',
          'esiti/.DS_Store': 'finder',
          'esiti/Thumbs.db': 'explorer',
          'esiti/._esito.pdf': 'apple double',
        }),
      );
      expect(files.map((f) => f.name)).toEqual(['esito.pdf']);
    });

    it('prefixes Windows device names', async () => {
      const files = await extractOutputs(zipOf({ 'CON.pdf': pdf(), 'aux.xml': xml, 'lpt1.txt': 'x' }));
      expect(files.map((f) => f.name)).toEqual(['_CON.pdf', '_aux.xml', '_lpt1.txt']);
    });

    it('cleans names: reserved and control characters, trailing dots and spaces, NFC', async () => {
      const files = await extractOutputs(
        zipOf({
          'fattura<1>:"bis"|?*.pdf': pdf('1'),
          'riga\u0001\u001fnuova.pdf': pdf('2'),
          'Cittadinanza. . .pdf. . ': pdf('3'),
          'Indennita\u0300.pdf': pdf('4'),
          'fdp\u202e.pdf': pdf('5'),
        }),
      );
      expect(files.map((f) => f.name)).toEqual([
        'fattura_1___bis____.pdf',
        'riga__nuova.pdf',
        'Cittadinanza. . .pdf',
        'Indennità.pdf',
        'fdp_.pdf',
      ]);
    });

    it('keeps a PDF with no or an unknown extension and appends .pdf', async () => {
      const files = await extractOutputs(zipOf({ documento: pdf('1'), 'esito.dat': pdf('2') }));
      expect(files.map((f) => [f.name, f.kind])).toEqual([
        ['documento.pdf', 'pdf'],
        ['esito.dat.pdf', 'pdf'],
      ]);
    });

    it('shortens very long names and keeps the extension', async () => {
      const [file] = await extractOutputs(zipOf({ [`${'lungo '.repeat(60)}.pdf`]: pdf() }));
      expect(file!.name.length).toBeLessThanOrEqual(120);
      expect(file!.name).toMatch(/^lungo lungo .*[^ ]\.pdf$/u);
    });

    it('lets small, very compressible files through the ratio check', async () => {
      const [file] = await extractOutputs(zipOf({ 'note.txt': 'a'.repeat(900 * 1024) }));
      expect(file!.bytes.length).toBe(900 * 1024);
    });
  });

  describe('hostile archives', () => {
    describe('names', () => {
      for (const name of [
        '../../evil.pdf',
        '..\\evil.pdf',
        'a/../../b.pdf',
        'ok/.. /evil.pdf',
        'a\\...\\b.pdf',
      ]) {
        it(`refuses the path traversal ${JSON.stringify(name)}`, async () => {
          await expectRefused(zipOf({ 'buono.pdf': pdf(), [name]: pdf() }), 'traversal');
        });
      }

      for (const name of ['/etc/x.pdf', 'C:\\x.pdf', 'c:x.pdf', '\\\\server\\share\\x.pdf']) {
        it(`refuses the absolute name ${JSON.stringify(name)}`, async () => {
          await expectRefused(zipOf({ [name]: pdf() }), 'absolute_path');
        });
      }

      it('refuses a symlink entry before inflating anything', async () => {
        const inflation = watchInflation();
        const link: CraftEntry = {
          name: 'esito.pdf',
          data: '/etc/passwd',
          method: STORED,
          externalAttributes: unixMode(0o120777),
        };
        const details = await expectRefused(craftZip([{ name: 'a.pdf', data: pdf() }, link]), 'symlink');
        expect(details['entry']).toBe('esito.pdf');
        expect(inflation.calls()).toBe(0);
      });

      it('refuses other special files (a FIFO)', async () => {
        const fifo = { name: 'coda.pdf', data: '', externalAttributes: unixMode(0o010644) };
        await expectRefused(craftZip([fifo]), 'disallowed_type');
      });
    });

    describe('sizes', () => {
      it('counts 10 000 entries from the central directory and refuses them before reading any', async () => {
        const inflation = watchInflation();
        const entries = Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}.pdf`, data: pdf() }));
        const details = await expectRefused(craftZip(entries), 'too_many_entries');
        expect(details).toMatchObject({ count: 10_000, limit: 200 });
        expect(inflation.calls()).toBe(0);
      });

      it('applies a lower entry limit when given', async () => {
        await expectRefused(zipOf({ 'a.pdf': pdf(), 'b.pdf': pdf(), 'c.pdf': pdf() }), 'too_many_entries', {
          maxEntries: 2,
        });
      });

      describe('a zip bomb declared honestly (200 MB of zeros)', () => {
        let bomb: Buffer;
        beforeAll(async () => {
          const zeros = await deflatedZeros(200 * MB);
          bomb = craftZip([
            { name: 'bomba.pdf', payload: zeros.payload, crc32: zeros.crc32, uncompressedSize: 200 * MB },
          ]);
        });

        it('refuses a zip bomb before inflating it', async () => {
          const inflation = watchInflation();
          const details = await expectRefused(bomb, 'entry_too_large');
          expect(details).toMatchObject({ entry: 'bomba.pdf', declared: 200 * MB, limit: 100 * MB });
          expect(inflation.calls()).toBe(0);
        });

        it('refuses it on the ratio when the size limit would let it through', async () => {
          const inflation = watchInflation();
          const details = await expectRefused(bomb, 'ratio', {
            maxEntryBytes: 1024 * MB,
            maxTotalBytes: 1024 * MB,
          });
          expect(details['ratio']).toBeGreaterThan(200);
          expect(inflation.calls()).toBe(0);
        });
      });

      it('refuses entries that together exceed the total limit, before inflating', async () => {
        const inflation = watchInflation();
        const zip = zipOf({ 'a.pdf': pdf('a'.repeat(1000)), 'b.pdf': pdf('b'.repeat(1000)) });
        const details = await expectRefused(zip, 'total_too_large', { maxTotalBytes: 1500 });
        expect(details['limit']).toBe(1500);
        expect(inflation.calls()).toBe(0);
      });

      it('stops a bomb that lies in its header (1 KB declared, 50 MB inside) as soon as it overflows', async () => {
        const zeros = await deflatedZeros(50 * MB);
        const liar = {
          name: 'piccolo.pdf',
          payload: zeros.payload,
          crc32: zeros.crc32,
          uncompressedSize: 1024,
        };
        const details = await expectRefused(craftZip([liar]), 'entry_too_large');
        expect(details['declared']).toBe(1024);
        expect(details['inflated']).toBeGreaterThan(1024);
        expect(details['inflated']).toBeLessThan(MB);
      });

      it('stops a large lying entry (9 MB declared, 50 MB inside) within a chunk of its declaration', async () => {
        const zeros = await deflatedZeros(50 * MB);
        const liar = {
          name: 'grande.pdf',
          payload: zeros.payload,
          crc32: zeros.crc32,
          uncompressedSize: 9 * MB,
        };
        const details = await expectRefused(craftZip([liar]), 'entry_too_large');
        expect(details['declared']).toBe(9 * MB);
        expect(details['inflated']).toBeGreaterThan(9 * MB);
        expect(details['inflated']).toBeLessThanOrEqual(10 * MB);
      });

      it('refuses a large entry that holds less than it declares', async () => {
        const short = { name: 'grande.pdf', data: randomBytes(9 * MB), uncompressedSize: 10 * MB };
        const details = await expectRefused(craftZip([short]), 'corrupt');
        expect(details['problem']).toBe('short entry');
      });

      it('refuses an entry that holds less than it declares', async () => {
        const zip = craftZip([{ name: 'a.pdf', data: pdf(), uncompressedSize: 4096 }]);
        await expectRefused(zip, 'corrupt');
      });

      it('refuses entries that share their bytes (overlapping local headers), before inflating', async () => {
        const inflation = watchInflation();
        const zip = craftZip([
          { name: 'a.pdf', data: pdf() },
          { name: 'b.pdf', data: pdf(), localHeaderOffset: 0 },
        ]);
        await expectRefused(zip, 'corrupt');
        expect(inflation.calls()).toBe(0);
      });
    });

    describe('encryption', () => {
      it('refuses an entry with the encryption flag', async () => {
        await expectRefused(
          craftZip([{ name: 'a.pdf', data: pdf(), flags: zipFlags.encrypted }]),
          'encrypted',
        );
      });

      it('refuses strong encryption and AES entries', async () => {
        await expectRefused(
          craftZip([{ name: 'a.pdf', data: pdf(), flags: zipFlags.encrypted | zipFlags.strongEncryption }]),
          'encrypted',
        );
        await expectRefused(
          craftZip([{ name: 'a.pdf', data: pdf(), method: 99, flags: zipFlags.encrypted }]),
          'encrypted',
        );
      });
    });

    describe('content', () => {
      it('refuses an EXE renamed .pdf', async () => {
        const details = await expectRefused(
          zipOf({ 'buono.pdf': pdf(), 'fattura.pdf': exe }),
          'content_mismatch',
        );
        expect(details).toMatchObject({ entry: 'fattura.pdf', extension: '.pdf', detected: 'executable' });
      });

      it('refuses a ZIP renamed .pdf', async () => {
        const details = await expectRefused(zipOf({ 'fattura.pdf': docx }), 'content_mismatch');
        expect(details['detected']).toBe('zip');
      });

      it('refuses a PDF whose signature is not within the first KB', async () => {
        await expectRefused(
          zipOf({ 'tardi.pdf': Buffer.concat([Buffer.alloc(1100, 0x20), pdf()]) }),
          'content_mismatch',
        );
      });

      it('refuses text with NUL bytes or invalid UTF-8, and XML without a declaration or BOM', async () => {
        await expectRefused(zipOf({ 'note.txt': Buffer.from('a\0b') }), 'content_mismatch');
        await expectRefused(
          zipOf({ 'righe.csv': Buffer.from([0x50, 0x65, 0x72, 0x63, 0x68, 0xe9]) }),
          'content_mismatch',
        );
        await expectRefused(zipOf({ 'esito.xml': '<html><script>x</script></html>' }), 'content_mismatch');
      });

      it('refuses an image or a p7m whose bytes are something else', async () => {
        await expectRefused(zipOf({ 'foto.png': jpeg }), 'content_mismatch');
        await expectRefused(zipOf({ 'firma.p7m': pdf() }), 'content_mismatch');
      });

      for (const name of [
        'setup.exe',
        'pagina.html',
        'pagina.htm',
        'logo.svg',
        'script.js',
        'avvio.bat',
        'macro.docm',
        'conti.xlsm',
        'esito.pdf.lnk',
      ]) {
        it(`refuses ${name} from its name alone, before inflating`, async () => {
          const inflation = watchInflation();
          const details = await expectRefused(zipOf({ 'a.pdf': pdf(), [name]: pdf() }), 'disallowed_type');
          expect(details['entry']).toBe(name);
          expect(inflation.calls()).toBe(0);
        });
      }

      it('refuses a disallowed extension hidden behind trailing dots', async () => {
        await expectRefused(zipOf({ 'setup.exe. . ': exe }), 'disallowed_type');
      });

      it('refuses an unknown extension whose bytes are not a PDF', async () => {
        const details = await expectRefused(zipOf({ 'dati.json': '{"a":1}' }), 'disallowed_type');
        expect(details).toMatchObject({ extension: '.json', detected: 'text' });
      });

      it('refuses an office document carrying macros', async () => {
        const details = await expectRefused(zipOf({ 'lettera.docx': docxWithMacros }), 'disallowed_type');
        expect(details['detected']).toBe('macro');
      });
    });

    describe('broken archives', () => {
      it('refuses bytes that are not a zip', async () => {
        await expectRefused(Buffer.from('questo non è uno zip, ma una pagina di errore HTML'), 'corrupt');
      });

      it('refuses a truncated zip', async () => {
        const zip = zipOf({ 'a.pdf': pdf(), 'b.pdf': pdf() });
        await expectRefused(zip.subarray(0, zip.length - 30), 'corrupt');
      });

      it('refuses an entry whose CRC does not match', async () => {
        await expectRefused(craftZip([{ name: 'a.pdf', data: pdf(), crc32: 0x12345678 }]), 'corrupt');
      });

      it('refuses deflate data that does not inflate', async () => {
        await expectRefused(
          craftZip([
            { name: 'a.pdf', data: pdf(), payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) },
          ]),
          'corrupt',
        );
      });

      it('refuses an entry whose declared data runs past the end of the zip', async () => {
        const zip = craftZip([
          { name: 'a.pdf', data: pdf(), method: STORED, compressedSize: 50 * MB, uncompressedSize: 50 * MB },
        ]);
        const details = await expectRefused(zip, 'corrupt');
        expect(details['problem']).toMatch(/overflows file bounds/u);
      });

      it('refuses an unsupported compression method', async () => {
        await expectRefused(craftZip([{ name: 'a.pdf', data: pdf(), method: 12 }]), 'corrupt');
      });
    });

    describe('empty archives', () => {
      it('refuses zero bytes', async () => {
        await expectRefused(new Uint8Array(0), 'empty');
      });

      it('refuses a zip with no entries', async () => {
        await expectRefused(craftZip([]), 'empty');
      });

      it('refuses a zip holding only folders and junk', async () => {
        await expectRefused(zipOf({ 'esiti/': '', '__MACOSX/._a.pdf': 'x', '.DS_Store': 'x' }), 'empty');
      });
    });
  });
});
