import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePart } from '../../../main/attachments/normalize.ts';
import { extractOutputs } from '../../../main/documents/unzip.ts';
import { AppError } from '../../../main/errors.ts';
import { buildZip } from '../../../main/simulator/documents.ts';
import { pngImage, photoJpeg, textPdf } from '../../support/files.ts';

/*
 * The hand-made hostile corpus lives beside each service (test/unit/documents/unzip.test.ts,
 * test/unit/attachments/*). Here, the same code meets mutants of valid files: flipped bytes,
 * cut tails, spliced blocks. Whatever comes in, the answer is a result or an AppError the clerk
 * can read, never a crash, a hang or a foreign exception.
 */

/** Random damage to a valid file: overwritten bytes, a truncation, a duplicated or removed block. */
function mutant(original: Uint8Array) {
  return fc
    .record({
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.option(fc.nat()),
      splice: fc.option(fc.tuple(fc.nat(), fc.nat({ max: 512 }), fc.nat())),
    })
    .map(({ flips, cut, splice }) => {
      let bytes = Buffer.from(original);
      for (const [at, value] of flips) bytes[at % bytes.length] = value;
      if (splice) {
        const [from, length, to] = splice;
        const block = bytes.subarray(from % bytes.length, (from % bytes.length) + length);
        const at = to % bytes.length;
        bytes = Buffer.concat([bytes.subarray(0, at), block, bytes.subarray(at)]);
      }
      if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      return new Uint8Array(bytes);
    });
}

async function onlyAppErrors(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
}

describe('hostile mutants of valid files', () => {
  it('unzip: any damaged zip of PDFs is read or refused with an AppError', async () => {
    const pdf = await textPdf(1);
    const zip = await buildZip(
      [
        { name: 'visura.pdf', data: pdf },
        { name: 'dati/ricevuta.xml', data: Buffer.from('<?xml version="1.0"?><r>ok</r>') },
      ],
      new Date(Date.UTC(2026, 0, 1)),
    );
    await fc.assert(
      fc.asyncProperty(mutant(zip), async (bytes) => onlyAppErrors(extractOutputs(bytes))),
      { numRuns: 400, seed: 17 },
    );
  });

  it('attachments: any damaged JPEG, PNG or PDF is normalised or refused with an AppError', async () => {
    const samples = [await photoJpeg(320, 240), await pngImage(200, 120), await textPdf(1)];
    for (const [i, sample] of samples.entries()) {
      await fc.assert(
        fc.asyncProperty(mutant(sample), async (bytes) => onlyAppErrors(normalizePart(bytes, `scan-${i}`))),
        { numRuns: 60, seed: 18 + i },
      );
    }
  }, 120_000);
});

describe('hostile attachments that are whole files', () => {
  it('refuses files that claim to be images or PDFs but are not, with an AppError', async () => {
    const corpus: [string, Uint8Array][] = [
      ['empty', new Uint8Array()],
      ['jpeg magic only', Uint8Array.from([0xff, 0xd8, 0xff])],
      ['png magic only', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
      ['pdf header only', Buffer.from('%PDF-1.7\n')],
      [
        'pdf with a script and no pages',
        Buffer.from(
          '%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF',
        ),
      ],
      ['html polyglot', Buffer.from('%PDF-1.4<html><script>alert(1)</script></html>')],
      ['zip named as a scan', Buffer.from('PK\u0003\u0004 not really a zip')],
      ['executable', Buffer.from('MZ\u0090\u0000 This program cannot be run in DOS mode')],
    ];
    for (const [name, bytes] of corpus) {
      const outcome = await normalizePart(bytes, `${name}.pdf`).then(
        () => null,
        (e: unknown) => e,
      );
      expect(outcome, name).toBeInstanceOf(AppError);
    }
  });
});
