import { describe, expect, it } from 'vitest';
import {
  documentoSchema,
  envelopeSchema,
  richiestaListSchema,
  richiestaSchema,
  serviceDetailWireSchema,
  serviceListSchema,
} from '../../../main/engine/visengine/schemas.ts';
import { specExamples } from '../../support/spec.ts';

const successSchemas: Record<string, { safeParse(v: unknown): { success: boolean; error?: unknown } }> = {
  'GET /visure': serviceListSchema,
  'GET /visure/{hash_visura}': serviceDetailWireSchema,
  'GET /richiesta': richiestaListSchema,
  'POST /richiesta': richiestaSchema,
  'GET /richiesta/{_id}': richiestaSchema,
  'POST /richiesta/{_id}': richiestaSchema,
  'PUT /richiesta/{_id}': richiestaSchema,
  'PUT /richiesta/{_id}/ricerche': richiestaSchema,
  'GET /documento/{_id}': documentoSchema,
};

describe('response schemas', () => {
  describe('every example of visengine.openapi.json', () => {
    const examples = specExamples();

    it('covers every documented endpoint', () => {
      const ok = new Set(examples.filter((e) => e.status === 200).map((e) => `${e.method} ${e.path}`));
      expect([...ok].sort()).toEqual(Object.keys(successSchemas).sort());
    });

    for (const example of examples) {
      it(`parses ${example.method} ${example.path} → ${example.status}`, () => {
        expect(envelopeSchema.safeParse(example.body).success).toBe(true);
        if (example.status === 200) {
          const result = successSchemas[`${example.method} ${example.path}`]!.safeParse(example.body.data);
          expect(result.error).toBeUndefined();
        } else {
          expect(example.body.success).toBe(false);
          expect(Number.isInteger(example.body.error)).toBe(true);
        }
      });
    }
  });

  describe('documented looseness', () => {
    const detail = (overrides: Record<string, unknown> = {}, campi: Record<string, unknown> = {}) => ({
      nome_visura: 'Servizio',
      nome_categoria: 'Patronato',
      hash_visura: 'a'.repeat(32),
      ricerca: false,
      prezzo_visura: 14.7,
      prezzo_ricerca: 0,
      opzioni: null,
      json_struttura: {
        campi: { $0: { nome: 'Nome', tipo: 'testo', null: false, istruzioni: '' }, ...campi },
        validazione: '$0',
        istruzioni: '',
        istruzioni_ricerca: '',
      },
      ...overrides,
    });

    it('accepts integer, decimal and numeric-string prices', () => {
      for (const [raw, expected] of [
        [21, 21],
        [14.7, 14.7],
        ['14.70', 14.7],
        ['14,70', 14.7],
      ] as const) {
        expect(serviceDetailWireSchema.parse(detail({ prezzo_visura: raw })).prezzo).toBe(expected);
      }
    });

    it('refuses a price that is not a number', () => {
      expect(serviceDetailWireSchema.safeParse(detail({ prezzo_visura: 'gratis' })).success).toBe(false);
    });

    it('keeps unknown field types and places a field without ordine at its own number', () => {
      const parsed = serviceDetailWireSchema.parse(
        detail(
          {},
          {
            $1: {
              nome: 'Stato civile',
              tipo: 'select_stato_civile',
              null: true,
              istruzioni: '',
              opzioni: 'a;b',
            },
            $2: { nome: 'Cognome', tipo: 'testo', null: false, ordine: '1', istruzioni: '' },
            $3: { nome: 'Note', tipo: null, null: true, ordine: '', istruzioni: null },
          },
        ),
      );
      // $0 and $1 stand at 0 and 1, $2 has ordine 1 (after $1, by index), $3 at 3.
      expect(parsed.fields.map((f) => f.key)).toEqual(['$0', '$1', '$2', '$3']);
      expect(parsed.fields[1]).toMatchObject({ tipo: 'select_stato_civile', opzioni: 'a;b', nullable: true });
      expect(parsed.fields[3]).toMatchObject({ tipo: 'testo', istruzioni: '', ordine: null });
    });

    it('accepts extra keys and options as an array, an object or null', () => {
      const withArray = serviceDetailWireSchema.parse(
        detail({
          fornitori: [],
          nuovo_campo: { x: 1 },
          opzioni: [{ tipo: 'urgenza', prezzo: '4', nome: 'opzione_0' }],
        }),
      );
      expect(withArray.opzioni).toEqual([{ nome: 'opzione_0', tipo: 'urgenza', prezzo: 4 }]);
      const withObject = serviceDetailWireSchema.parse(
        detail({ opzioni: { opzione_0: { tipo: 'urgenza', prezzo: 4 } } }),
      );
      expect(withObject.opzioni).toEqual([{ nome: 'opzione_0', tipo: 'urgenza', prezzo: 4 }]);
    });

    it('decodes base64 HTML instructions and keeps plain text as it is', () => {
      const html = '<p>Servizio <strong>Patronato</strong> à è</p>';
      const b64 = Buffer.from(html).toString('base64');
      const parsed = serviceDetailWireSchema.parse(
        detail({
          json_struttura: { campi: {}, validazione: '', istruzioni: b64, istruzioni_ricerca: 'Cerca' },
        }),
      );
      expect(parsed.istruzioniHtml).toBe(html);
      expect(parsed.istruzioniRicercaHtml).toBe('Cerca');
    });

    it('reads a request with callback_data false, esito codice as a number and empty timestamp_stati', () => {
      const parsed = richiestaSchema.parse({
        _id: '5f2829ce065afc21cc60ad0e',
        state: '1',
        hash_visura: 'h',
        nome: 'n',
        prezzo_visura: 14,
        stato_richiesta: 'Stato nuovo mai visto',
        callback_data: false,
        timestamp_stati: [],
        opzioni: null,
        esito: { codice: 0, info: 'OK' },
        allegati: ['a.pdf', 3],
      });
      expect(parsed).toMatchObject({
        state: 1,
        prezzoVisura: 14,
        stato: 'Stato nuovo mai visto',
        allegati: ['a.pdf'],
      });
      expect(parsed.esito).toEqual({ codice: '0', info: 'OK' });
      expect(parsed.timestampStati).toEqual({});
      expect(parsed.opzioni).toEqual([]);
    });

    it('reads why a request was cancelled wherever the answer puts it, and nothing when it says nothing', () => {
      const base = { _id: '5f2829ce065afc21cc60ad0e', stato_richiesta: 'Annullata' };
      const of = (extra: Record<string, unknown>) =>
        richiestaSchema.parse({ ...base, ...extra }).motivoAnnullamento;
      expect(of({ motivo_annullamento: ' Richiesta del cliente ' })).toBe('Richiesta del cliente');
      expect(of({ esito: { codice: '0', info: 'OK', motivo_annullamento: 'Doppione' } })).toBe('Doppione');
      expect(of({ esito: { codice: '0', info: 'OK', motivo: 'Errore di compilazione' } })).toBe(
        'Errore di compilazione',
      );
      // The member of its own first; an empty or odd one is no reason.
      expect(of({ motivo_annullamento: 'A', esito: { codice: '0', motivo: 'B' } })).toBe('A');
      expect(of({ motivo_annullamento: '', esito: { codice: '0', motivo: 42 } })).toBeNull();
      expect(of({})).toBeNull();
      expect(
        richiestaSchema.parse({ ...base, esito: { codice: '0', info: 'OK', motivo: 'x' } }).esito,
      ).toEqual({
        codice: '0',
        info: 'OK',
      });
    });

    it('refuses a request without an _id', () => {
      expect(richiestaSchema.safeParse({ state: 1 }).success).toBe(false);
    });
  });
});
