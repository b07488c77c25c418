import { describe, expect, it } from 'vitest';
import {
  checkRequestBudget,
  formatMegabytes,
  MAX_DOCUMENT_BYTES,
  MAX_INPUT_BYTES,
  MAX_REQUEST_BYTES,
  TARGET_PAGE_BYTES,
} from '../../../main/attachments/limits.ts';
import { MB, thrown } from './samples.ts';

const doc = (fieldKey: string, name: string, megabytes: number) => ({
  fieldKey,
  name,
  bytes: Math.floor(megabytes * MB),
});

describe('attachment budgets', () => {
  it('are the documented sizes', () => {
    expect(MAX_INPUT_BYTES).toBe(40 * MB);
    expect(MAX_DOCUMENT_BYTES).toBe(4 * MB);
    expect(MAX_REQUEST_BYTES).toBe(15 * MB);
    expect(TARGET_PAGE_BYTES).toBe(1 * MB);
  });

  it('keep the base64 JSON body of a full request near 20 MB', () => {
    expect((MAX_REQUEST_BYTES * 4) / 3).toBeLessThanOrEqual(20 * MB);
  });

  describe('checkRequestBudget', () => {
    it('lets a usual request through: identity card, CF card and mandate', () => {
      expect(() =>
        checkRequestBudget([
          doc('$5', 'documento_identita.pdf', 1.4),
          doc('$6', 'codice_fiscale.pdf', 0.9),
          doc('$7', 'mandato.pdf', 0.3),
        ]),
      ).not.toThrow();
    });

    it('lets a request with no files through', () => {
      expect(() => checkRequestBudget([])).not.toThrow();
    });

    it('accepts documents exactly at the limits', () => {
      expect(() =>
        checkRequestBudget([
          { fieldKey: '$1', name: 'a.pdf', bytes: MAX_DOCUMENT_BYTES },
          { fieldKey: '$2', name: 'b.pdf', bytes: MAX_DOCUMENT_BYTES },
          { fieldKey: '$3', name: 'c.pdf', bytes: MAX_DOCUMENT_BYTES },
          { fieldKey: '$4', name: 'd.pdf', bytes: MAX_REQUEST_BYTES - 3 * MAX_DOCUMENT_BYTES },
        ]),
      ).not.toThrow();
    });

    it('refuses a single document over 4 MB, naming it and saying how to fix it', () => {
      const error = thrown(() =>
        checkRequestBudget([doc('$5', 'documento_identita.pdf', 1.2), doc('$7', 'mandato.pdf', 4.01)]),
      );

      expect(error.code).toBe('budget_exceeded');
      expect(error.message).toBe(
        'Il documento «mandato.pdf» pesa 4,1 MB: il massimo per un documento è 4 MB. ' +
          'Togliete le pagine che non servono o scansionatelo di nuovo a 200 dpi',
      );
      expect(error.details).toEqual({
        scope: 'document',
        limit: MAX_DOCUMENT_BYTES,
        documents: [doc('$7', 'mandato.pdf', 4.01)],
      });
    });

    it('names the heaviest of several oversized documents first', () => {
      const error = thrown(() =>
        checkRequestBudget([
          doc('$5', 'documento.pdf', 4.5),
          doc('$6', 'cf.pdf', 6),
          doc('$7', 'mandato.pdf', 1),
        ]),
      );

      expect(error.message).toMatch(/^Il documento «cf\.pdf» pesa 6 MB/);
      expect((error.details?.documents as { name: string }[]).map((d) => d.name)).toEqual([
        'cf.pdf',
        'documento.pdf',
      ]);
    });

    it('refuses a request over 15 MB in all, naming the three heaviest documents, heaviest first', () => {
      const error = thrown(() =>
        checkRequestBudget([
          doc('$1', 'busta_paga.pdf', 2.5),
          doc('$2', 'documento_identita.pdf', 3.9),
          doc('$3', 'codice_fiscale.pdf', 3.2),
          doc('$4', 'mandato.pdf', 1.1),
          doc('$5', 'certificato.pdf', 3.8),
          doc('$6', 'isee.pdf', 0.7),
        ]),
      );

      expect(error.code).toBe('budget_exceeded');
      expect(error.message).toBe(
        'Gli allegati pesano in tutto 15,2 MB: il massimo per una pratica è 15 MB. I più pesanti: ' +
          '«documento_identita.pdf» (3,9 MB), «certificato.pdf» (3,8 MB), «codice_fiscale.pdf» (3,2 MB). ' +
          'Scansionateli di nuovo a 200 dpi',
      );
      expect(error.details).toMatchObject({
        scope: 'request',
        limit: MAX_REQUEST_BYTES,
        documents: [
          doc('$2', 'documento_identita.pdf', 3.9),
          doc('$5', 'certificato.pdf', 3.8),
          doc('$3', 'codice_fiscale.pdf', 3.2),
        ],
      });
      expect(error.details?.total).toBeGreaterThan(MAX_REQUEST_BYTES);
    });
  });

  describe('formatMegabytes', () => {
    it('writes sizes the Italian way, rounded up to a tenth', () => {
      expect(formatMegabytes(4 * MB)).toBe('4 MB');
      expect(formatMegabytes(4 * MB + 1)).toBe('4,1 MB');
      expect(formatMegabytes(15.25 * MB)).toBe('15,3 MB');
      expect(formatMegabytes(300 * 1024)).toBe('0,3 MB');
    });
  });
});
