import { z } from 'zod';
import { compareFields } from '../../../common/catalog-order.ts';
import type { Field, ServiceDetail, ServiceOption, ServiceSummary } from '../../../common/catalog.ts';

/*
 * Visengine's wire format, parsed leniently (the API's types drift between endpoints and over
 * time) and normalised: the catalog straight into the app's shapes (common/catalog.ts), requests
 * into camel-cased wire records that mapping.ts turns into the Engine port's facts. Input types
 * (z.input) describe what the API may send; the simulator produces them. Extra keys are always
 * accepted.
 */

/** Numbers that may arrive as integers, decimals, or numeric strings ("14.70", "14,70"). */
const looseNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(?:[.,]\d+)?$/)
    .transform((s) => Number(s.replace(',', '.'))),
]);

const looseInt = looseNumber.pipe(z.number().int());

/** Booleans that may arrive as 0/1 or "0"/"1"/"true". */
const looseBoolean = z.union([
  z.boolean(),
  z.literal(0).transform(() => false),
  z.literal(1).transform(() => true),
  z.enum(['0', '1', 'true', 'false']).transform((s) => s === '1' || s === 'true'),
]);

const optionalText = z
  .string()
  .nullish()
  .transform((s) => s ?? '');

const nullableText = z
  .string()
  .nullish()
  .transform((s) => s ?? null);

/** The envelope of every answer: `{ data, success, message, error }`. */
export const envelopeSchema = z.looseObject({
  success: z.boolean(),
  data: z.unknown().optional(),
  message: z.unknown().optional(),
  error: z.unknown().optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

// ---------------------------------------------------------------------------------------------
// Catalog

export const serviceListItemSchema = z
  .looseObject({
    nome_visura: z.string(),
    nome_categoria: optionalText,
    hash_visura: z.string().min(1),
  })
  .transform((v): ServiceSummary => ({
    hash: v.hash_visura,
    nome: v.nome_visura.trim(),
    categoria: v.nome_categoria.trim(),
  }));

export const serviceListSchema = z.array(serviceListItemSchema);

export const campoSchema = z.looseObject({
  nome: optionalText,
  tipo: z
    .string()
    .nullish()
    .transform((s) => (s && s.trim() ? s.trim() : 'testo')),
  null: looseBoolean.nullish().transform((b) => b ?? true),
  ordine: z
    .union([looseNumber, z.literal('')])
    .nullish()
    .transform((n) => (typeof n === 'number' ? n : null)),
  istruzioni: optionalText,
  opzioni: z.unknown().optional(),
});

const campiSchema = z
  .union([z.record(z.string(), campoSchema), z.array(campoSchema)])
  .transform((campi): Field[] => {
    const entries = Array.isArray(campi) ? campi.map((c, i) => [`$${i}`, c] as const) : Object.entries(campi);
    const fields: Field[] = [];
    for (const [key, c] of entries) {
      const m = /^\$(\d+)$/.exec(key);
      if (!m?.[1]) continue; // not a field key: ignore rather than fail the whole service
      fields.push({
        key,
        index: Number(m[1]),
        nome: c.nome.trim(),
        tipo: c.tipo,
        nullable: c.null,
        ordine: c.ordine,
        istruzioni: c.istruzioni,
        opzioni:
          typeof c.opzioni === 'string' ? c.opzioni : c.opzioni == null ? null : JSON.stringify(c.opzioni),
      });
    }
    return fields.sort(compareFields);
  });

export const opzioneSchema = z
  .looseObject({ nome: z.string(), tipo: optionalText, prezzo: looseNumber.catch(0) })
  .transform((o): ServiceOption => ({ nome: o.nome, tipo: o.tipo, prezzo: o.prezzo }));

/** `opzioni` is an array in answers, sometimes null, sometimes an object keyed by name. */
const opzioniSchema = z
  .union([z.array(opzioneSchema), z.record(z.string(), z.unknown()), z.literal(false)])
  .nullish()
  .transform((o): ServiceOption[] => {
    if (Array.isArray(o)) return o;
    if (!o) return [];
    const out: ServiceOption[] = [];
    for (const [nome, value] of Object.entries(o)) {
      const parsed = opzioneSchema.safeParse(
        typeof value === 'object' && value !== null ? { nome, ...value } : { nome },
      );
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  });

/** `json_struttura.istruzioni` is base64 of HTML; tolerate plain HTML/text too. */
export function decodeInstructions(value: string): string {
  const s = value.trim();
  if (!s) return '';
  if (/^[A-Za-z0-9+/=\r\n]+$/.test(s) && s.replace(/[\r\n]/g, '').length % 4 === 0) {
    const text = Buffer.from(s, 'base64').toString('utf8');
    // Accept only if decoding yields text, not binary noise from a word that looked like base64.
    if (!text.includes('\uFFFD') && !hasControlChars(text)) return text;
  }
  return s;
}

function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

export const jsonStrutturaSchema = z.looseObject({
  campi: campiSchema.nullish().transform((c) => c ?? []),
  validazione: optionalText,
  istruzioni: optionalText,
  istruzioni_ricerca: optionalText,
});

export const serviceDetailWireSchema = z
  .looseObject({
    nome_visura: z.string(),
    nome_categoria: optionalText,
    hash_visura: z.string().min(1),
    ricerca: looseBoolean.nullish().transform((b) => b ?? false),
    sincrona: looseBoolean.nullish().transform((b) => b ?? false),
    prezzo_visura: looseNumber,
    prezzo_ricerca: looseNumber.nullish().transform((n) => n ?? 0),
    opzioni: opzioniSchema,
    json_struttura: jsonStrutturaSchema,
  })
  .transform((v): ServiceDetail => ({
    hash: v.hash_visura,
    nome: v.nome_visura.trim(),
    categoria: v.nome_categoria.trim(),
    ricerca: v.ricerca,
    sincrona: v.sincrona,
    prezzo: v.prezzo_visura,
    prezzoRicerca: v.prezzo_ricerca,
    opzioni: v.opzioni,
    fields: v.json_struttura.campi,
    validazione: v.json_struttura.validazione.trim(),
    istruzioniHtml: decodeInstructions(v.json_struttura.istruzioni),
    istruzioniRicercaHtml: decodeInstructions(v.json_struttura.istruzioni_ricerca),
  }));

// ---------------------------------------------------------------------------------------------
// Requests

/** The states the API documents; others are kept as text and treated as "in progress". */
export const STATI = {
  inRicerca: 'In ricerca',
  inErogazione: 'In erogazione',
  datiDisponibili: 'Dati disponibili',
  evasa: 'Visura evasa',
  annullata: 'Annullata',
} as const;

const timestamp = looseInt.nullish().transform((n) => n ?? null);

export const ricercaSchema = z.looseObject({
  id_ricerca: z.string(),
  stato_ricerca: optionalText,
  json_ricerca: z.unknown().optional(),
  json_mappato: z.unknown().optional(),
  /** A JSON string `{"indice_0": {…}, "indice_1": {…}}`, or null until the search is done. */
  json_risultato: z.unknown().optional(),
});
export type Ricerca = z.output<typeof ricercaSchema>;

/** A non-empty text, or null (anything else: absent). */
const reasonText = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' && v.trim() ? v.trim() : null));

const esitoSchema = z
  .looseObject({
    codice: z.union([z.string(), z.number()]).transform(String),
    info: z.unknown().optional(),
    motivo_annullamento: reasonText,
    motivo: reasonText,
  })
  .nullish()
  .transform((e) => ({
    codice: e?.codice ?? '0',
    info: typeof e?.info === 'string' ? e.info : e?.info == null ? '' : JSON.stringify(e.info),
    motivo: e?.motivo_annullamento ?? e?.motivo ?? null,
  }));

/** Fields common to the list (summary) form and the full form of a request. */
const richiestaBase = {
  _id: z.string().min(1),
  /** 0 open, 1 closed; null when the answer omits it, which never means closed (VISENGINE.md). */
  state: looseInt.nullish().transform((n) => n ?? null),
  hash_visura: optionalText,
  nome: optionalText,
  ricerca: looseBoolean.nullish().transform((b) => b ?? false),
  id_ricerca: nullableText,
  /** Null when the answer omits it: never read as "free". */
  prezzo_visura: looseNumber.nullish().transform((n) => n ?? null),
  prezzo_ricerca: looseNumber.nullish().transform((n) => n ?? null),
  indice_ricerca: looseInt.nullish().transform((n) => n ?? null),
  stato_richiesta: optionalText,
  email_target: z
    .union([z.string(), z.literal(false)])
    .nullish()
    .transform((s) => s || null),
  timestamp_creation: timestamp,
  timestamp_last_update: timestamp,
  owner: nullableText,
  sincrona: looseBoolean.nullish().transform((b) => b ?? false),
};

export const richiestaSummarySchema = z.looseObject(richiestaBase).transform((r) => ({
  id: r._id,
  state: r.state,
  hash: r.hash_visura,
  nome: r.nome,
  ricerca: r.ricerca,
  prezzoVisura: r.prezzo_visura,
  prezzoRicerca: r.prezzo_ricerca,
  stato: r.stato_richiesta,
  emailTarget: r.email_target,
  createdAt: r.timestamp_creation,
  updatedAt: r.timestamp_last_update,
  owner: r.owner,
}));
export type RichiestaSummary = z.output<typeof richiestaSummarySchema>;
export const richiestaListSchema = z.array(richiestaSummarySchema);

export const richiestaSchema = z
  .looseObject({
    ...richiestaBase,
    allegati: z
      .array(z.unknown())
      .nullish()
      .transform((a) => (a ?? []).filter((x): x is string => typeof x === 'string')),
    timestamp_stati: z
      .union([z.record(z.string(), looseInt.nullable()), z.array(z.never())])
      .nullish()
      .transform((t) => {
        const out: Record<string, number> = {};
        if (t && !Array.isArray(t)) for (const [k, v] of Object.entries(t)) if (v !== null) out[k] = v;
        return out;
      }),
    callback_data: z.unknown().optional(),
    opzioni: opzioniSchema,
    ricerche: z
      .array(ricercaSchema)
      .nullish()
      .transform((r) => r ?? []),
    esito: esitoSchema,
    /**
     * Not in the spec: why a cancelled request was cancelled (the motive of a DELETE, a refusal), as
     * a member of its own or inside `esito` (`esito.motivo_annullamento`, `esito.motivo`).
     */
    motivo_annullamento: reasonText,
  })
  .transform((r) => ({
    id: r._id,
    state: r.state,
    hash: r.hash_visura,
    nome: r.nome,
    ricerca: r.ricerca,
    idRicerca: r.id_ricerca,
    indiceRicerca: r.indice_ricerca,
    prezzoVisura: r.prezzo_visura,
    prezzoRicerca: r.prezzo_ricerca,
    stato: r.stato_richiesta,
    emailTarget: r.email_target,
    allegati: r.allegati,
    createdAt: r.timestamp_creation,
    updatedAt: r.timestamp_last_update,
    timestampStati: r.timestamp_stati,
    opzioni: r.opzioni,
    owner: r.owner,
    sincrona: r.sincrona,
    ricerche: r.ricerche,
    esito: { codice: r.esito.codice, info: r.esito.info },
    motivoAnnullamento: r.motivo_annullamento ?? r.esito.motivo,
  }));
export type Richiesta = z.output<typeof richiestaSchema>;

/**
 * The answer to a `test:true` POST. The spec says only that it "simulates the validation and returns
 * the prices": it may be the request as it would be, just the prices, prices as strings, or nothing.
 * Everything is optional; `opzioni` is ignored (never a price source). A real `_id` would mean the
 * service ignored `test` and created a request: the caller must know, to close it out.
 */
export const priceCheckSchema = z.unknown().transform((data) => {
  const one = Array.isArray(data) && data.length === 1 ? (data[0] as unknown) : data;
  const record = typeof one === 'object' && one !== null ? (one as Record<string, unknown>) : {};
  const price = (value: unknown) => {
    const parsed = looseNumber.safeParse(value);
    return parsed.success && Number.isFinite(parsed.data) && parsed.data >= 0 ? parsed.data : null;
  };
  const id = typeof record._id === 'string' && /^[0-9a-f]{24}$/i.test(record._id) ? record._id : null;
  const prezzoVisura = price(record.prezzo_visura);
  // What the answer looked like, for the probe's report (main/probe/probe.ts).
  const shape =
    prezzoVisura === null
      ? ('empty' as const)
      : typeof record.prezzo_visura === 'string'
        ? ('strings' as const)
        : 'hash_visura' in record || 'stato_richiesta' in record
          ? ('request' as const)
          : ('prices' as const);
  return { prezzoVisura, prezzoRicerca: price(record.prezzo_ricerca), createdId: id, shape };
});
export type PriceCheckAnswer = z.output<typeof priceCheckSchema>;

/**
 * `GET /documento` as the client validates it: `file` (the base64 zip) is decoded while the answer
 * streams in (documentStream.ts), so the schema sees it as "" and keeps only the other members.
 */
export const documentoSchema = z
  .looseObject({
    nome: optionalText,
    dimensione: looseNumber.nullish().transform((n) => n ?? null),
    file: z.string(),
  })
  .transform((d) => ({ nome: d.nome, dimensione: d.dimensione }));

export interface Documento {
  nome: string;
  /** The zip's size as the server states it; null when it does not. */
  dimensione: number | null;
  /** The decoded zip. */
  zip: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Bodies the client sends (typed here so the simulator reads the same shapes)

export type JsonVisura = Record<string, string>;

export interface CreateRequestBody {
  hash_visura: string;
  json_visura: JsonVisura;
  state?: 0 | 1;
  test?: boolean;
  email_target?: string;
  opzioni?: Record<string, boolean>;
  callback_data?: { url: string; method: 'JSON' | 'POST'; field: string; data?: Record<string, unknown> };
}

export interface UpdateRequestBody {
  state?: 0 | 1;
  json_visura?: JsonVisura;
  email_target?: string;
  [field: `json_visura.$${number}`]: string;
}
