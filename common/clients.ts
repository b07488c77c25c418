import { z } from 'zod';
import { clientFileKinds } from './client-files.ts';
import {
  clerkStateSchema,
  outputDocumentSchema,
  requestStatusSchema,
  requestSummarySchema,
} from './requests.ts';

/*
 * A client of the counter, known by codice fiscale: every request sent for that code, the outputs
 * they produced and, when the client agreed, the identity document and the codice fiscale card
 * kept (encrypted) for the next request.
 */

export const clientFileKindSchema = z.enum(clientFileKinds);

/** A codice fiscale as the contract takes it: 16 letters and digits, or 11 digits (temporary). */
export const clientCfSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(?:[A-Z0-9]{16}|\d{11})$/, 'Codice fiscale non valido');

/** `yyyy-mm-dd`, a calendar day. */
export const isoDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Data non valida');

export const clientFileSchema = z.object({
  id: z.string(),
  kind: clientFileKindSchema,
  fileName: z.string(),
  pages: z.number().int(),
  size: z.number().int(),
  createdAt: z.number().int(),
  /** When it is deleted: the document's expiry, at most KEEP_MONTHS after it was kept. */
  expiresAt: z.number().int(),
});
export type ClientFile = z.infer<typeof clientFileSchema>;

export const consentSchema = z.object({
  grantedAt: z.number().int(),
  operator: z.string(),
  /** The identity document's expiry, as the clerk read it from the document (asked once). */
  documentExpiry: isoDaySchema.nullable(),
});
export type Consent = z.infer<typeof consentSchema>;

export const clientMatchSchema = z.object({
  cf: z.string(),
  /** "Cognome Nome" from the latest request. */
  name: z.string(),
  requests: z.number().int(),
  lastAt: z.number().int(),
});
export type ClientMatch = z.infer<typeof clientMatchSchema>;

export const clientSchema = z.object({
  cf: z.string(),
  nome: z.string().nullable(),
  cognome: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  requests: z.array(requestSummarySchema),
  outputs: z.array(
    z.object({ requestId: z.string(), serviceName: z.string(), document: outputDocumentSchema }),
  ),
  files: z.array(clientFileSchema),
  consent: consentSchema.nullable(),
  /** With consent: until when documents kept today would stay (see keptUntil). */
  keepUntil: z.number().int().nullable(),
  /** False when this computer cannot encrypt what would be kept: consent cannot be taken here. */
  canKeepFiles: z.boolean(),
  /**
   * False when this counter cannot open some of `files` yet (their key was not granted to it): it
   * says so, and a colleague grants it from Impostazioni → Ufficio.
   */
  filesReadable: z.boolean(),
});
export type Client = z.infer<typeof clientSchema>;

/** Where a counter stands with the office's documents on file (main/clients/keyring.ts). */
export const filesAccessStateSchema = z.enum(['first', 'granted', 'partial', 'waiting', 'unavailable']);

/** Impostazioni → Ufficio: who may open the documents on file, and this counter's key. */
export const filesAccessSchema = z.object({
  self: z.object({
    counterId: z.string(),
    name: z.string(),
    /** Its public key's short fingerprint, which a colleague compares before granting; null without keystore. */
    fingerprint: z.string().nullable(),
    state: filesAccessStateSchema,
  }),
  /** The other counters that published a key in the register, by name. */
  counters: z.array(
    z.object({
      counterId: z.string(),
      name: z.string(),
      fingerprint: z.string(),
      /** Since when this key of the counter is in the register. */
      publishedAt: z.number().int(),
      /** Whether it holds every document key some counter holds. */
      granted: z.boolean(),
      /** Whether this counter holds a key it lacks (and so can grant it). */
      canGrant: z.boolean(),
    }),
  ),
});
export type FilesAccess = z.infer<typeof filesAccessSchema>;

/** A request already sent for the same client and service, lately, at any counter of the register. */
export const duplicateSchema = z.object({
  id: z.string(),
  serviceName: z.string(),
  status: requestStatusSchema,
  /** Where it is, in the clerk's words (request-states.ts). */
  state: clerkStateSchema,
  remoteState: z.string().nullable(),
  sentAt: z.number().int(),
  operator: z.string(),
  /** The counter it was created at ('' before counters were recorded). */
  counter: z.string(),
  /** True once the clerk confirmed, for this draft, that a new request is wanted anyway. */
  acknowledged: z.boolean(),
});
export type Duplicate = z.infer<typeof duplicateSchema>;
