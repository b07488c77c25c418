import { describe, expect, it } from 'vitest';
import { ApiError, errorCodes } from '../../../common/errors.ts';
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
});
