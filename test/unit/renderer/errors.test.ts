import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../common/api-error.ts';
import { errorCodes } from '../../../common/errors.ts';
import { describeError } from '../../../renderer/lib/errors.ts';

describe('the clerk’s error messages', () => {
  it('has an Italian sentence for every error code', () => {
    for (const code of errorCodes) {
      const text = describeError(new ApiError({ code, message: 'technical detail' }));
      expect(text, code).not.toMatch(/^errors\./);
      expect(text.length, code).toBeGreaterThan(10);
    }
  });

  it('never shows the API’s own English text, nor the schema library’s', () => {
    const api = describeError(
      new ApiError({
        code: 'validation_failed',
        message: 'POST /richiesta: Insufficient data to start the request',
        details: { status: 412, apiCode: 250 },
      }),
    );
    expect(api).not.toMatch(/Insufficient|POST/);
    expect(api).toMatch(/non ha accettato i dati/);
    const schema = describeError(
      new ApiError({
        code: 'invalid_argument',
        message: 'Argomenti non validi per drafts.get: ✖ Invalid UUID',
      }),
    );
    expect(schema).not.toMatch(/Invalid/);
  });

  it('names the balance when the credit is short, and the new price when it changed', () => {
    expect(
      describeError(new ApiError({ code: 'insufficient_credit', message: 'x', details: { balance: 5.5 } })),
    ).toMatch(/5,50\s€/);
    expect(
      describeError(new ApiError({ code: 'price_changed', message: 'x', details: { price: 18.7 } })),
    ).toMatch(/18,70\s€/);
  });

  it('says an uncertain submission is checked before anything is sent again', () => {
    expect(describeError(new ApiError({ code: 'timeout', message: 'x', ambiguous: true }))).toMatch(
      /senza addebiti doppi/,
    );
  });

  it('tells a refused token (401) from a token without the call’s scope (403)', () => {
    const refused = describeError(
      new ApiError({ code: 'unauthorized', message: 'x', details: { status: 401 } }),
    );
    const forbidden = describeError(
      new ApiError({ code: 'unauthorized', message: 'x', details: { status: 403 } }),
    );
    expect(refused).toMatch(/non ha accettato le credenziali/);
    expect(forbidden).toMatch(/non ha il permesso/);
    expect(forbidden).toMatch(/Prova connessione/);
  });

  it('says what is wrong with each bad file, from the data main sends, never one fixed text', () => {
    const say = (
      code: 'file_type' | 'file_too_large' | 'budget_exceeded',
      details: Record<string, unknown>,
    ) => describeError(new ApiError({ code, message: 'testo tecnico da non mostrare', details }));
    const empty = say('file_type', { name: 'vuoto.pdf', kind: null, reason: 'empty' });
    const damagedPdf = say('file_type', { name: 'rotto.pdf', kind: 'pdf', reason: 'damaged' });
    const truncated = say('file_type', { name: 'troncata.jpg', kind: 'jpeg', reason: 'damaged' });
    const unknown = say('file_type', {
      name: 'lettera.docx',
      kind: null,
      reason: 'unknown',
      accepted: ['PDF', 'JPEG', 'AVIF'],
    });
    expect(empty).toBe('Il file «vuoto.pdf» è vuoto: salvatelo o scansionatelo di nuovo.');
    expect(damagedPdf).toMatch(/^Il PDF «rotto\.pdf» è danneggiato/);
    expect(truncated).toMatch(/^L’immagine «troncata\.jpg» è danneggiata/);
    expect(unknown).toContain('si accettano PDF, JPEG e AVIF');
    expect(new Set([empty, damagedPdf, truncated, unknown]).size).toBe(4);
    for (const text of [empty, damagedPdf, truncated, unknown]) {
      expect(text).not.toContain('testo tecnico');
      expect(text).not.toContain('HEIC');
    }
    expect(say('file_type', { name: 'foto.heic', kind: 'heic', reason: 'heic_unsupported' })).toMatch(/JPEG/);
    expect(
      say('file_too_large', {
        name: 'enorme.pdf',
        measure: 'bytes',
        size: 4.2 * 1024 * 1024,
        limit: 4 * 1024 * 1024,
      }),
    ).toBe('Il file «enorme.pdf» pesa 4,2 MB: il massimo è 4 MB. Riducetelo o scansionatelo a 200 dpi.');
    expect(
      say('budget_exceeded', {
        scope: 'request',
        total: 16 * 1024 * 1024,
        limit: 15 * 1024 * 1024,
        documents: [{ name: 'a.pdf', bytes: 9 * 1024 * 1024 }],
      }),
    ).toMatch(/16 MB.*15 MB.*«a\.pdf» \(9 MB\)/);
  });
});
