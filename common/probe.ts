import { z } from 'zod';
import { environmentSchema } from './environments.ts';

/*
 * What a scripted first contact with a real Visengine found out about the questions the spec leaves
 * open (VISENGINE.md, "What the spec leaves open"): the service's profile. `unknown` where the probe
 * could not tell (a step failed, or the service never got that far in the time allowed).
 */

export const serviceProfileSchema = z.object({
  /** When the wallet is charged: already when the request is created open, or when it is closed. */
  charge: z.enum(['open', 'close', 'unknown']),
  /** Whether answers echo the submitted data in `ricerche[].json_ricerca`. */
  echo: z.enum(['ricerche', 'none', 'unknown']),
  /** `opzioni` in answers: the chosen options, always null, or every option of the service. */
  opzioni: z.enum(['chosen', 'null', 'all', 'unknown']),
  /** The shape of the answer to a `test:true` price check. */
  priceCheck: z.enum(['request', 'prices', 'strings', 'empty', 'unknown']),
  /** Whether answers carry `state`. */
  state: z.enum(['present', 'absent', 'unknown']),
  /** What a PUT on an open request that was cancelled answers: 239, 404, or something else. */
  cancelledPut: z.enum(['already-closed', 'not-found', 'other', 'unknown']),
  /** The unit of `dimensione` in GET /documento. */
  dimensione: z.enum(['bytes', 'base64', 'absent', 'other', 'unknown']),
  /** Whether `DELETE /richiesta/{id}` (not in the spec) is answered. */
  delete: z.enum(['supported', 'absent', 'unknown']),
  /**
   * What an open request (state 0) reads: "In ricerca", or already "In erogazione" (`state` is the
   * transaction, `stato_richiesta` only the phase). Profiles saved before it was asked say unknown.
   */
  openPhase: z.enum(['in-ricerca', 'in-erogazione', 'other', 'unknown']).default('unknown'),
  /** Whether a `test:true` price check refuses data the service would refuse at the close. */
  testCheck: z.enum(['data', 'none', 'unknown']).default('unknown'),
  /** Whether the wallet's transactions take the price net of IVA or with it. */
  transactionAmounts: z.enum(['net', 'gross', 'unknown']),
  /** A Visengine charge's description in the wallet's transactions, as seen. */
  transactionDescription: z.string().nullable(),
});
export type ServiceProfile = z.infer<typeof serviceProfileSchema>;

export const UNKNOWN_PROFILE: ServiceProfile = {
  charge: 'unknown',
  echo: 'unknown',
  opzioni: 'unknown',
  priceCheck: 'unknown',
  state: 'unknown',
  cancelledPut: 'unknown',
  dimensione: 'unknown',
  delete: 'unknown',
  openPhase: 'unknown',
  testCheck: 'unknown',
  transactionAmounts: 'unknown',
  transactionDescription: null,
};

export const probeStepSchema = z.object({
  /** What was tried, in Italian. */
  step: z.string(),
  ok: z.boolean(),
  /** What the service answered, in a line. */
  detail: z.string(),
});
export type ProbeStep = z.infer<typeof probeStepSchema>;

export const probeReportSchema = z.object({
  environment: environmentSchema,
  baseUrl: z.string(),
  startedAt: z.number(),
  finishedAt: z.number(),
  steps: z.array(probeStepSchema),
  profile: serviceProfileSchema,
  /**
   * The profile in the simulator's reading form (`charge=open,echo=none,…`), only what was
   * determined: `npm run simulator -- --reading-from <report>` plays what the service answered.
   */
  reading: z.string(),
  /** The requests the probe created on the service (open and closed), for the office's records. */
  requests: z.array(z.string()),
  /** What each of them costs, net of IVA (the service's price and its first option). */
  requestPrice: z.number().nullable(),
});
export type ProbeReport = z.infer<typeof probeReportSchema>;
