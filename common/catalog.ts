import { z } from 'zod';

/** One input of a service form, normalised from the API's `json_struttura.campi["$n"]`. */
export const fieldSchema = z.object({
  /** The API key of the field: "$0", "$1", … */
  key: z.string(),
  index: z.number().int().nonnegative(),
  /** The API's `nome`, as given (often upper case). */
  nome: z.string(),
  /** The API's `tipo`; unknown types are kept and rendered as text. */
  tipo: z.string(),
  /** The API's `null` flag: true when the field may be left empty. `validazione` is what decides. */
  nullable: z.boolean(),
  /**
   * Display order; null when the API omits it. A missing `ordine` is the field's own number: in both
   * seeds only `$0` (Nome) lacks it, and it comes first (VISENGINE.md, "What the spec leaves open").
   */
  ordine: z.number().nullable(),
  istruzioni: z.string(),
  /** Free-form choices text some fields carry. */
  opzioni: z.string().nullable(),
});
export type Field = z.infer<typeof fieldSchema>;

export const serviceOptionSchema = z.object({
  /** The key to send back in `opzioni`: "opzione_0", … */
  nome: z.string(),
  tipo: z.string(),
  prezzo: z.number(),
});
export type ServiceOption = z.infer<typeof serviceOptionSchema>;

export const serviceSummarySchema = z.object({
  hash: z.string(),
  nome: z.string(),
  categoria: z.string(),
});
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;

export const serviceDetailSchema = serviceSummarySchema.extend({
  ricerca: z.boolean(),
  sincrona: z.boolean(),
  prezzo: z.number(),
  prezzoRicerca: z.number(),
  opzioni: z.array(serviceOptionSchema),
  /** Fields in display order. */
  fields: z.array(fieldSchema),
  validazione: z.string(),
  /** Decoded from base64 but NOT sanitised: the renderer sanitises before showing. */
  istruzioniHtml: z.string(),
  istruzioniRicercaHtml: z.string(),
});
export type ServiceDetail = z.infer<typeof serviceDetailSchema>;
