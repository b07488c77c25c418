import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import zlib from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import yazl from 'yazl';
import type { LeftOutReason } from '../../../common/requests.ts';
import { signCades } from '../../../main/simulator/cades.ts';
import { extractOutputs } from '../../../main/documents/unzip.ts';
import type { ExtractedFile, UnzipLimits } from '../../../main/documents/unzip.ts';
import { AppError } from '../../../main/errors.ts';
import { craftZip, deflatedZeros, STORED, unixMode, zipFlags } from '../../support/zipCraft.ts';
import type { CraftEntry } from '../../support/zipCraft.ts';

const MB = 1024 * 1024;

const pdf = (label = 'documento') =>
  Buffer.from(`%PDF-1.7\n%\xe2\xe3\xcf\xd3\n% ${label}\ntrailer<<>>\n%%EOF\n`, 'latin1');
const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<esito codice="0"/>\n');
const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const tiff = Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]);
const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(56)]);
const docx = craftZip([{ name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' }]);
const odt = craftZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: STORED }]);
/** A CMS SignedData with no content: the signature of a file sent apart. */
function detachedSignature(): Uint8Array {
  const context0 = (value: asn1js.AsnType) =>
    new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [value] });
  const signedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Set({ value: [] }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
      new asn1js.Set({ value: [] }),
    ],
  });
  const info = new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.2' }), context0(signedData)],
  });
  return new Uint8Array(info.toBER(false));
}
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

/** The files kept from an archive that must leave nothing out. */
async function kept(zip: Uint8Array): Promise<ExtractedFile[]> {
  const { files, leftOut } = await extractOutputs(zip);
  expect(leftOut).toEqual([]);
  return files;
}

/** The archive is read, the file `name` left out for `reason`; the other files are kept. */
async function expectLeftOut(
  zip: Uint8Array,
  name: string,
  reason: LeftOutReason,
  limits?: Partial<UnzipLimits>,
): Promise<{ details: Record<string, unknown>; files: ExtractedFile[] }> {
  const { files, leftOut } = await extractOutputs(zip, limits);
  expect(leftOut.map((f) => [f.name, f.reason])).toEqual([[name, reason]]);
  return { details: leftOut[0]!.details, files };
}

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
      const files = await kept(zipOf({ '5f2829ce065afc21cc60ad0e.pdf': bytes }));
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

    it('keeps several PDFs, a signed p7m with its PDF beside it and an XML, in archive order', async () => {
      const files = await kept(
        zipOf({
          'ricevuta.pdf': pdf('1'),
          'domanda.pdf.p7m': await signCades(pdf('firmata'), new Date()),
          'esito.xml': xml,
        }),
      );
      expect(files.map((f) => [f.name, f.kind, f.signedIn])).toEqual([
        ['ricevuta.pdf', 'pdf', undefined],
        ['domanda.pdf.p7m', 'p7m', undefined],
        ['domanda.pdf', 'pdf', 'domanda.pdf.p7m'],
        ['esito.xml', 'xml', undefined],
      ]);
      expect(Buffer.from(files[2]!.bytes).equals(pdf('firmata'))).toBe(true);
      expect(files[2]!.sha256).toBe(sha256(pdf('firmata')));
      expect(files[2]!.originalName).toBe('domanda.pdf.p7m');
    });

    it('reads a zip written by an ordinary library', async () => {
      const files = await kept(await yazlZip({ 'a.pdf': pdf('a'), 'cartella/b.pdf': pdf('b') }));
      expect(files.map((f) => f.name)).toEqual(['a.pdf', 'b.pdf']);
      expect(Buffer.from(files[1]!.bytes).toString('latin1')).toContain('% b');
    });

    it('inflates deflated entries and takes stored ones as they are', async () => {
      const inflation = watchInflation();
      const stored = pdf('stored');
      const files = await kept(
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
      const files = await kept(zipOf({ 'grande.pdf': big }));
      expect(files).toHaveLength(1);
      expect(files[0]!.bytes.length).toBe(big.length);
      expect(Buffer.from(files[0]!.bytes).equals(big)).toBe(true);
      expect(files[0]!.sha256).toBe(sha256(big));
    });

    it('accepts images, office documents, UTF-8 text and CSV', async () => {
      const files = await kept(
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
      const files = await kept(
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
      const files = await kept(
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
      const files = await kept(zipOf({ 'CON.pdf': pdf(), 'aux.xml': xml, 'lpt1.txt': 'x' }));
      expect(files.map((f) => f.name)).toEqual(['_CON.pdf', '_aux.xml', '_lpt1.txt']);
    });

    it('cleans names: reserved and control characters, trailing dots and spaces, NFC', async () => {
      const files = await kept(
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
      const files = await kept(zipOf({ documento: pdf('1'), 'esito.dat': pdf('2') }));
      expect(files.map((f) => [f.name, f.kind])).toEqual([
        ['documento.pdf', 'pdf'],
        ['esito.dat.pdf', 'pdf'],
      ]);
    });

    it('shortens very long names and keeps the extension', async () => {
      const [file] = await kept(zipOf({ [`${'lungo '.repeat(60)}.pdf`]: pdf() }));
      expect(file!.name.length).toBeLessThanOrEqual(120);
      expect(file!.name).toMatch(/^lungo lungo .*[^ ]\.pdf$/u);
    });

    it('lets small, very compressible files through the ratio check', async () => {
      const [file] = await kept(zipOf({ 'note.txt': 'a'.repeat(900 * 1024) }));
      expect(file!.bytes.length).toBe(900 * 1024);
    });
  });

  describe('signed files (CAdES .p7m)', () => {
    it('writes the PDF of x.pdf.p7m beside the signed original, named after it', async () => {
      const files = await kept(zipOf({ 'Esito INPS.pdf.p7m': await signCades(pdf('esito'), new Date()) }));
      expect(files.map((f) => [f.name, f.kind, f.signedIn])).toEqual([
        ['Esito INPS.pdf.p7m', 'p7m', undefined],
        ['Esito INPS.pdf', 'pdf', 'Esito INPS.pdf.p7m'],
      ]);
    });

    it('takes the innermost content of a file signed twice, keeping only the original and the PDF', async () => {
      const twice = await signCades(await signCades(pdf('controfirmato'), new Date()), new Date());
      const files = await kept(zipOf({ 'atto.pdf.p7m.p7m': twice }));
      expect(files.map((f) => [f.name, f.kind])).toEqual([
        ['atto.pdf.p7m.p7m', 'p7m'],
        ['atto.pdf', 'pdf'],
      ]);
      expect(Buffer.from(files[1]!.bytes).equals(pdf('controfirmato'))).toBe(true);
    });

    it('names a content without an extension of its own from its bytes, and an XML by its name', async () => {
      const files = await kept(
        zipOf({
          'ricevuta.p7m': await signCades(pdf('senza nome'), new Date()),
          'IT01234567890_00001.xml.p7m': await signCades(xml, new Date()),
        }),
      );
      expect(files.map((f) => [f.name, f.kind])).toEqual([
        ['ricevuta.p7m', 'p7m'],
        ['ricevuta.pdf', 'pdf'],
        ['IT01234567890_00001.xml.p7m', 'p7m'],
        ['IT01234567890_00001.xml', 'xml'],
      ]);
    });

    it('numbers a content whose name another file of the zip already has', async () => {
      const files = await kept(
        zipOf({
          'domanda.pdf': pdf('in chiaro'),
          'domanda.pdf.p7m': await signCades(pdf('firmata'), new Date()),
        }),
      );
      expect(files.map((f) => [f.name, f.signedIn])).toEqual([
        ['domanda.pdf', undefined],
        ['domanda.pdf.p7m', undefined],
        ['domanda (2).pdf', 'domanda.pdf.p7m'],
      ]);
    });

    it('keeps a signed file in base64 or PEM as it came, with its content beside it', async () => {
      const der = Buffer.from(await signCades(pdf('base64'), new Date()));
      const files = await kept(
        zipOf({
          'a.pdf.p7m': der.toString('base64'),
          'b.pdf.p7m': `-----BEGIN CMS-----
${der.toString('base64')}
-----END CMS-----
`,
        }),
      );
      expect(files.map((f) => f.name)).toEqual(['a.pdf.p7m', 'a.pdf', 'b.pdf.p7m', 'b.pdf']);
    });

    it('leaves out a signed program, before inflating it, whatever the signature', async () => {
      const inflation = watchInflation();
      const { files } = await expectLeftOut(
        zipOf({ 'esito.pdf': pdf(), 'setup.exe.p7m': await signCades(exe, new Date()) }),
        'setup.exe.p7m',
        'disallowed_type',
      );
      expect(files.map((f) => f.name)).toEqual(['esito.pdf']);
      expect(inflation.calls()).toBe(1);
    });

    it('leaves out a signed file whose content would be left out, saying why', async () => {
      const { details } = await expectLeftOut(
        zipOf({ 'finto.pdf.p7m': await signCades(exe, new Date()) }),
        'finto.pdf.p7m',
        'content_mismatch',
      );
      expect(details).toMatchObject({ signed: true, detected: 'executable' });
      await expectLeftOut(
        zipOf({ 'lettera.docx.p7m': await signCades(docxWithMacros, new Date()) }),
        'lettera.docx.p7m',
        'macro',
      );
    });

    it('leaves out a .p7m that is not CAdES (truncated, a PDF, garbage) and keeps the rest', async () => {
      const der = await signCades(pdf('tagliato'), new Date());
      const { files, leftOut } = await extractOutputs(
        zipOf({
          'buono.pdf': pdf(),
          'tagliato.pdf.p7m': der.subarray(0, der.length - 40),
          'pdf.p7m': pdf(),
          'rumore.p7m': Buffer.concat([Buffer.from([0x30]), randomBytes(500)]),
        }),
      );
      expect(files.map((f) => f.name)).toEqual(['buono.pdf']);
      expect(leftOut.map((f) => [f.name, f.reason])).toEqual([
        ['tagliato.pdf.p7m', 'unreadable_signature'],
        ['pdf.p7m', 'content_mismatch'],
        ['rumore.p7m', 'unreadable_signature'],
      ]);
    });

    it('keeps a detached signature (no content) alone', async () => {
      const files = await kept(zipOf({ 'firma.p7m': detachedSignature() }));
      expect(files.map((f) => [f.name, f.kind])).toEqual([['firma.p7m', 'p7m']]);
    });

    it('leaves out a file signed more times than any office does', async () => {
      let bytes: Uint8Array = pdf('matrioska');
      for (let i = 0; i < 5; i++) bytes = await signCades(bytes, new Date());
      await expectLeftOut(
        zipOf({ 'a.pdf.p7m.p7m.p7m.p7m.p7m': bytes }),
        'a.pdf.p7m.p7m.p7m.p7m.p7m',
        'unreadable_signature',
      );
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

        it('leaves out a zip bomb without inflating it', async () => {
          const inflation = watchInflation();
          const { details } = await expectLeftOut(bomb, 'bomba.pdf', 'entry_too_large');
          expect(details).toMatchObject({ declared: 200 * MB, limit: 100 * MB });
          expect(inflation.calls()).toBe(0);
        });

        it('leaves it out on the ratio when the size limit would let it through', async () => {
          const inflation = watchInflation();
          const { details } = await expectLeftOut(bomb, 'bomba.pdf', 'ratio', {
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
      it('leaves out an entry with the encryption flag, never inflating it', async () => {
        const inflation = watchInflation();
        const { files } = await expectLeftOut(
          craftZip([
            { name: 'a.pdf', data: pdf(), flags: zipFlags.encrypted },
            { name: 'b.pdf', data: pdf() },
          ]),
          'a.pdf',
          'encrypted',
        );
        expect(files.map((f) => f.name)).toEqual(['b.pdf']);
        expect(inflation.calls()).toBe(1);
      });

      it('leaves out an AES entry', async () => {
        await expectLeftOut(
          craftZip([{ name: 'a.pdf', data: pdf(), method: 99, flags: zipFlags.encrypted }]),
          'a.pdf',
          'encrypted',
        );
      });

      it('refuses the whole archive for strong encryption, whose central directory yauzl will not read', async () => {
        await expectRefused(
          craftZip([{ name: 'a.pdf', data: pdf(), flags: zipFlags.encrypted | zipFlags.strongEncryption }]),
          'encrypted',
        );
      });
    });

    describe('content', () => {
      it('leaves out an EXE renamed .pdf and keeps the good PDF beside it', async () => {
        const { details, files } = await expectLeftOut(
          zipOf({ 'buono.pdf': pdf(), 'fattura.pdf': exe }),
          'fattura.pdf',
          'content_mismatch',
        );
        expect(details).toMatchObject({ extension: '.pdf', detected: 'executable' });
        expect(files.map((f) => f.name)).toEqual(['buono.pdf']);
      });

      it('leaves out a ZIP renamed .pdf', async () => {
        const { details } = await expectLeftOut(
          zipOf({ 'fattura.pdf': docx }),
          'fattura.pdf',
          'content_mismatch',
        );
        expect(details['detected']).toBe('zip');
      });

      it('leaves out a PDF whose signature is not within the first KB', async () => {
        await expectLeftOut(
          zipOf({ 'tardi.pdf': Buffer.concat([Buffer.alloc(1100, 0x20), pdf()]) }),
          'tardi.pdf',
          'content_mismatch',
        );
      });

      it('leaves out text with NUL bytes or invalid UTF-8, and XML without a declaration or BOM', async () => {
        await expectLeftOut(zipOf({ 'note.txt': Buffer.from('a\0b') }), 'note.txt', 'content_mismatch');
        await expectLeftOut(
          zipOf({ 'righe.csv': Buffer.from([0x50, 0x65, 0x72, 0x63, 0x68, 0xe9]) }),
          'righe.csv',
          'content_mismatch',
        );
        await expectLeftOut(
          zipOf({ 'esito.xml': '<html><script>x</script></html>' }),
          'esito.xml',
          'content_mismatch',
        );
      });

      it('leaves out an image whose bytes are something else', async () => {
        await expectLeftOut(zipOf({ 'foto.png': jpeg }), 'foto.png', 'content_mismatch');
      });

      it('reads an archive whose every file is left out, keeping none and saying why for each', async () => {
        const { files, leftOut } = await extractOutputs(zipOf({ 'setup.exe': exe, 'dati.json': '{}' }));
        expect(files).toEqual([]);
        expect(leftOut.map((f) => [f.name, f.reason])).toEqual([
          ['setup.exe', 'disallowed_type'],
          ['dati.json', 'disallowed_type'],
        ]);
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
        it(`leaves out ${name} from its name alone, never inflating it`, async () => {
          const inflation = watchInflation();
          const { files } = await expectLeftOut(
            zipOf({ 'a.pdf': pdf(), [name]: pdf() }),
            name,
            'disallowed_type',
          );
          expect(files.map((f) => f.name)).toEqual(['a.pdf']);
          // a.pdf only.
          expect(inflation.calls()).toBe(1);
        });
      }

      it('leaves out a disallowed extension hidden behind trailing dots', async () => {
        await expectLeftOut(zipOf({ 'setup.exe. . ': exe }), 'setup.exe', 'disallowed_type');
      });

      it('leaves out an unknown extension whose bytes are not a PDF', async () => {
        const { details } = await expectLeftOut(
          zipOf({ 'dati.json': '{"a":1}' }),
          'dati.json',
          'disallowed_type',
        );
        expect(details).toMatchObject({ extension: '.json', detected: 'text' });
      });

      it('leaves out an office document carrying macros', async () => {
        const { details } = await expectLeftOut(
          zipOf({ 'lettera.docx': docxWithMacros }),
          'lettera.docx',
          'macro',
        );
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
