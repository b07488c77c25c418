import { z } from 'zod';
import type { serviceDetailWireSchema } from '../engine/visengine/schemas.ts';
import data from './catalog.json' with { type: 'json' };

/*
 * The simulator's catalog: what `GET /visure` and `GET /visure/{hash}` answer in the "Prova"
 * environment and in every test. It is data (catalog.json), checked here against a schema when it
 * loads. The list is the spec's own example (92 services, in its order; two hashes of the real
 * list are not hexadecimal — the "con Ricerca" services — kept as they are, on purpose). Every
 * service has a detail: hand-written for the ones a CAF/Patronato counter uses most, with the
 * quirks the real API shows (missing `ordine`, unknown `tipo`s, integer prices, stray spaces in
 * `validazione`, `opzioni: null`), plausible for the rest. The instructions are kept as readable
 * HTML in the file and sent base64-encoded, as the API sends them.
 */

const campoSchema = z
  .object({
    nome: z.string(),
    tipo: z.string(),
    null: z.boolean(),
    ordine: z.string().regex(/^\d+$/).optional(),
    istruzioni: z.string(),
    opzioni: z.string().optional(),
  })
  .strict();

const opzioneSchema = z
  .object({ tipo: z.string(), prezzo: z.number().nonnegative(), nome: z.string() })
  .strict();

const serviceSchema = z
  .object({
    nome_visura: z.string().min(1),
    nome_categoria: z.string(),
    hash_visura: z.string().min(1),
    ricerca: z.boolean(),
    sincrona: z.boolean(),
    prezzo_visura: z.number().nonnegative(),
    prezzo_ricerca: z.number().nonnegative(),
    opzioni: z.array(opzioneSchema).nullable(),
    fornitori: z.array(z.unknown()).optional(),
    json_struttura: z
      .object({
        campi: z.record(z.string().regex(/^\$\d+$/), campoSchema),
        validazione: z.string(),
        /** Readable HTML here; base64-encoded on the wire. */
        istruzioni_html: z.string(),
        istruzioni_ricerca_html: z.string(),
      })
      .strict(),
  })
  .strict();

/** The forms documents.ts builds, by the end of the output's name. */
const OUTPUT_NAME = /\.(pdf|pdf\.p7m|xml|txt|docm)$/iu;
const outputSchema = z.object({ name: z.string().regex(OUTPUT_NAME), title: z.string() }).strict();

const coded = z.object({ '!cod': z.string(), '!': z.string() }).strict();

/** One result of a company search, shaped like the spec's `json_risultato` entries. */
const companySchema = z
  .object({
    Cciaa: z.string(),
    NRea: z.string(),
    Denominazione: z.string(),
    CodFisc: z.string(),
    PIva: z.string().regex(/^\d{11}$/),
    NatGiu: coded.extend({ '!gruppo': z.string() }),
    StatoAttivitaR: coded.extend({ '!semaforo': z.string() }),
    Ateco07: coded.optional(),
    Indirizzo: z
      .object({
        Provincia: z.object({ '!regione': z.string(), '!': z.string() }).strict(),
        Comune: z.string(),
        Toponimo: z.string(),
        Via: z.string(),
        NCivico: z.string(),
        Cap: z.string(),
      })
      .strict(),
    '!completa': z.string(),
    '!idBicAzienda': z.string(),
  })
  .strict();

const listItemSchema = z.object({
  nome_visura: z.string(),
  nome_categoria: z.string(),
  hash_visura: z.string(),
});

/** The file's shape: the list, every service's detail and outputs, and the companies a search finds. */
export const catalogFileSchema = z
  .object({
    list: z.array(listItemSchema),
    services: z.record(
      z.string(),
      z
        .object({
          detail: serviceSchema,
          outputs: z.array(outputSchema),
          /** The service starts with a company search (`ricerca`), run over `companies`. */
          search: z.literal('companies').optional(),
        })
        .strict(),
    ),
    companies: z.array(companySchema),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const item of file.list) {
      const entry = file.services[item.hash_visura];
      if (!entry) ctx.addIssue({ code: 'custom', message: `no detail for ${item.hash_visura}` });
      else if (entry.detail.hash_visura !== item.hash_visura)
        ctx.addIssue({ code: 'custom', message: `detail of ${item.hash_visura} names another hash` });
    }
  });

/** What the real API may send for one service detail (the engine parses it leniently). */
export type WireServiceDetail = z.input<typeof serviceDetailWireSchema>;
export type SimCampo = z.infer<typeof campoSchema>;
export type SimOpzione = z.infer<typeof opzioneSchema>;
/** A detail as it goes on the wire (instructions base64-encoded). */
export type SimService = Omit<z.infer<typeof serviceSchema>, 'json_struttura'> & {
  json_struttura: {
    campi: Record<string, SimCampo>;
    validazione: string;
    istruzioni: string;
    istruzioni_ricerca: string;
  };
};
export type SimOutput = z.infer<typeof outputSchema>;
export type SimSearchResult = z.infer<typeof companySchema>;
export type CatalogListItem = z.infer<typeof listItemSchema>;

export type SimSearch = {
  /** Every company the search can find; the matches of a search become `indice_0`, `indice_1`, … */
  results: readonly SimSearchResult[];
  /** The results matching a submitted `json_visura`, in catalog order (empty when none). */
  find: (jsonVisura: Readonly<Record<string, string | undefined>>) => SimSearchResult[];
};

/** Simulator-only metadata stays outside `detail`, which is exactly what goes on the wire. */
export type SimServiceEntry = {
  detail: SimService;
  outputs: SimOutput[];
  search?: SimSearch;
};

// Compile-time proof that what we send is something the API could send.
const _wireCompatible = (s: SimService): WireServiceDetail => s;
void _wireCompatible;

export function b64(html: string): string {
  return Buffer.from(html, 'utf8').toString('base64');
}

const file = catalogFileSchema.parse(data);

const COMPANIES: readonly SimSearchResult[] = file.companies;

function normaliseText(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

function normaliseId(s: string): string {
  return s
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/^IT(?=\d{11}$)/, '');
}

/** The company search: by denomination ($0, a part of it) and/or partita IVA or codice fiscale ($1). */
function findCompanies(jsonVisura: Readonly<Record<string, string | undefined>>): SimSearchResult[] {
  const name = normaliseText(jsonVisura.$0 ?? '');
  const id = normaliseId(jsonVisura.$1 ?? '');
  if (!name && !id) return [];
  return COMPANIES.filter(
    (c) =>
      (!name || normaliseText(c.Denominazione).includes(name)) &&
      (!id || c.PIva === id || c.CodFisc.toUpperCase() === id),
  );
}

export const CATALOG_LIST: readonly CatalogListItem[] = file.list;

export const SERVICE_DETAILS: Readonly<Record<string, SimServiceEntry>> = Object.fromEntries(
  Object.entries(file.services).map(([hash, entry]) => {
    const { istruzioni_html, istruzioni_ricerca_html, ...struttura } = entry.detail.json_struttura;
    const detail: SimService = {
      ...entry.detail,
      json_struttura: {
        ...struttura,
        istruzioni: istruzioni_html ? b64(istruzioni_html) : '',
        istruzioni_ricerca: istruzioni_ricerca_html ? b64(istruzioni_ricerca_html) : '',
      },
    };
    const wired: SimServiceEntry = { detail, outputs: entry.outputs };
    if (entry.search) wired.search = { results: COMPANIES, find: findCompanies };
    return [hash, wired];
  }),
);

/**
 * The detail of a service of the list, or null for an unknown hash. A copy each time, so a
 * caller that changes it (e.g. a test raising a price) cannot leak into the next answer.
 */
export function detailFor(hash: string): SimServiceEntry | null {
  const entry = SERVICE_DETAILS[hash];
  if (!entry) return null;
  const copy: SimServiceEntry = {
    detail: structuredClone(entry.detail),
    outputs: entry.outputs.map((o) => ({ ...o })),
  };
  if (entry.search) copy.search = entry.search;
  return copy;
}
