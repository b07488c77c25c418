import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../common/api-error.ts';
import { errorCodes, type AppErrorData } from '../../../common/errors.ts';
import { describeError, describeScanProblem } from '../../../renderer/lib/errors.ts';

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

  it('says the counter’s cap is reached, and which scope is missing with what it blocks', () => {
    expect(describeError(new ApiError({ code: 'spending_cap', message: 'Token limit reached' }))).toMatch(
      /^Tetto di spesa raggiunto per questo sportello: .*non ha addebitato nulla/,
    );
    const scope = (details?: Record<string, unknown>) =>
      describeError(new ApiError({ code: 'scope_missing', message: 'x', ...(details ? { details } : {}) }));
    expect(scope({ scope: 'DELETE /richiesta' })).toBe(
      'Operazione non tentata: sul conto Openapi manca il permesso DELETE /richiesta (senza DELETE /richiesta non si annullano le pratiche). Attivatelo nella console Openapi, poi premete «Prova connessione» in Impostazioni.',
    );
    // A scope the renderer does not know, or none: the general sentence, never a raw placeholder.
    expect(scope({ scope: 'PATCH /altro' })).not.toMatch(/\{\{/);
    expect(scope()).toMatch(/permesso/);
  });

  it('names the other counter of the office that sends a request or holds its scans', () => {
    const at = (code: 'claimed_elsewhere' | 'files_elsewhere', counter?: string) =>
      describeError(new ApiError({ code, message: 'x', ...(counter ? { details: { counter } } : {}) }));
    expect(at('claimed_elsewhere', 'Sportello 2')).toMatch(/altro sportello \(Sportello 2\)/);
    expect(at('claimed_elsewhere')).toMatch(/altro sportello/);
    expect(at('files_elsewhere', 'Sportello 3')).toMatch(/«Sportello 3»/);
    expect(at('files_elsewhere')).toMatch(/sportello che l'ha creata/);
  });

  it('tells a counter not yet granted the documents on file where a colleague grants them', () => {
    expect(describeError(new ApiError({ code: 'documents_not_granted', message: 'x' }))).toBe(
      "Questo sportello non ha ancora l'accesso ai documenti conservati: chiedete a un collega di concederlo da Impostazioni → Ufficio.",
    );
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

describe('the sentence comes from the code and its details, never from main’s message', () => {
  /** Failures as main sends them, with the sentence the clerk must read for each. */
  const cases: [string, Omit<AppErrorData, 'message'>, RegExp | string][] = [
    [
      'a network folder picked for the archive',
      { code: 'invalid_argument', details: { setting: 'archiveRoot', reason: 'network' } },
      /^Le cartelle di rete \(\\\\server\\condivisione\) non sono ammesse/,
    ],
    [
      'a relative folder',
      { code: 'invalid_argument', details: { setting: 'watchFolder', reason: 'relative' } },
      /percorso completo/,
    ],
    [
      'a scanner outside the office’s network',
      {
        code: 'invalid_argument',
        details: { setting: 'esclScanners', reason: 'not_local', host: '8.8.8.8' },
      },
      /rete locale dell’ufficio .*: 8\.8\.8\.8 non lo è\.$/,
    ],
    [
      'a scanner named instead of numbered',
      {
        code: 'invalid_argument',
        details: { setting: 'esclScanners', reason: 'host_name', host: 'scanner.local' },
      },
      /indirizzo IP .* non con un nome/,
    ],
    [
      'arguments refused by the contract (a bug, not the clerk’s doing)',
      { code: 'invalid_argument' },
      'Dati non validi: ricontrollate il modulo e riprovate.',
    ],
    [
      'an identity document already expired',
      { code: 'invalid_argument', details: { reason: 'document_expired', field: 'documentExpiry' } },
      /già passata/,
    ],
    [
      'a mandato without the client’s name',
      { code: 'validation_failed', details: { purpose: 'mandato', fields: ['nome', 'cognome'] } },
      'Per il mandato servono nome e cognome dell’assistito: compilateli nel modulo.',
    ],
    [
      'a mandato without the codice fiscale',
      { code: 'validation_failed', details: { purpose: 'mandato', fields: ['codiceFiscale'] } },
      'Per il mandato serve il codice fiscale dell’assistito: compilatelo nel modulo.',
    ],
    [
      'a mandato with a wrong codice fiscale',
      {
        code: 'validation_failed',
        details: {
          purpose: 'mandato',
          fields: ['codiceFiscale'],
          issue: { code: 'cf.date', message: 'Codice fiscale non valido: la data di nascita non esiste' },
        },
      },
      'Codice fiscale non valido: la data di nascita non esiste. Correggetelo nel modulo, poi preparate il mandato.',
    ],
    [
      'a form main found incomplete before sending',
      { code: 'validation_failed', details: { fields: {}, missing: ['$5'] } },
      /^Il modulo non è completo/,
    ],
    [
      'a value main refused before sending',
      {
        code: 'validation_failed',
        details: { fields: { $3: { code: 'email.format', message: 'Email non valida' } }, missing: [] },
      },
      'I dati non sono stati accettati: Email non valida.',
    ],
    [
      'a jammed scanner',
      { code: 'scanner_unavailable', details: { reason: 'jammed' } },
      'Carta inceppata nello scanner: liberatela e riprovate.',
    ],
    [
      'a mode the scanner does not offer',
      { code: 'invalid_argument', details: { reason: 'unsupported' } },
      /non offre questa modalità/,
    ],
    ['a scanner failure with no reason', { code: 'scanner_unavailable' }, /^Scanner non disponibile/],
    [
      'data changed after the price was checked',
      { code: 'price_changed', details: { reason: 'data_changed' } },
      /I dati sono cambiati dopo il controllo del prezzo/,
    ],
    [
      'a receipt asked for a request not sent',
      { code: 'not_allowed', details: { reason: 'not_sent' } },
      /si stampa quando la pratica è stata inviata/,
    ],
    [
      'a client never seen before',
      { code: 'not_found', details: { reason: 'unknown_client' } },
      /Nessuna pratica precedente/,
    ],
    [
      'a reason this renderer does not know yet',
      { code: 'not_allowed', details: { reason: 'something_new' } },
      'Operazione non consentita.',
    ],
  ];

  it.each(cases)('%s', (_what, data, expected) => {
    const said = describeError(new ApiError({ ...data, message: 'x' }));
    if (typeof expected === 'string') expect(said).toBe(expected);
    else expect(said).toMatch(expected);
    // Whatever main wrote as its message, the clerk reads the same sentence, and none of it.
    fc.assert(
      fc.property(
        fc.string().map((text) => `§${text}§`),
        (message) => {
          const again = describeError(new ApiError({ ...data, message }));
          return again === said && !again.includes('§');
        },
      ),
      { numRuns: 50 },
    );
    // The same from plain data (a draft's lastError, a placement's failed file).
    expect(describeError({ ...data, message: 'Argomenti non validi per drafts.get: ✖ Invalid' })).toBe(said);
  });

  it('every code reads the same whatever its message', () => {
    for (const code of errorCodes) {
      const a = describeError(new ApiError({ code, message: 'Argomenti non validi per x: ✖ Invalid UUID' }));
      const b = describeError(new ApiError({ code, message: '' }));
      expect(a, code).toBe(b);
    }
  });

  it('names the server the kept office password belongs to, and asks for it again', () => {
    expect(
      describeError(
        new ApiError({
          code: 'office_password_bound',
          message: 'x',
          details: {
            host: 'db.ufficio',
            port: 5432,
            database: 'sportello',
            user: 'sportello',
            tls: 'verify-full',
          },
        }),
      ),
    ).toBe(
      'La password conservata vale solo per il server db.ufficio:5432 (database «sportello», utente «sportello», connessione cifrata): digitatela di nuovo.',
    );
  });

  it('tells why a scanner backend found nothing, by backend and reason', () => {
    expect(describeScanProblem({ backend: 'sane', reason: 'missing_tool' })).toMatch(/^SANE: .*sane-utils/);
    expect(describeScanProblem({ backend: 'escl', reason: 'timeout' })).toBe(
      'eSCL: Lo scanner non risponde: controllate che sia acceso e collegato.',
    );
  });
});
