import { z } from 'zod';
import { outputDocumentSchema, requestStatusSchema, requestSummarySchema } from './requests.ts';

/*
 * A client of the counter, known by codice fiscale: every request sent for that code, the outputs
 * they produced and, when the client agreed, the identity document and the codice fiscale card
 * kept (encrypted) for the next request.
 */

/** The two documents a client may let the office keep: nothing else is ever kept. */
export const clientFileKinds = ['identita', 'codice_fiscale'] as const;
export const clientFileKindSchema = z.enum(clientFileKinds);
export type ClientFileKind = z.infer<typeof clientFileKindSchema>;

/** How long kept documents may stay at most, whatever the document's own expiry. */
export const KEEP_MONTHS = 12;

/**
 * Which kept document a file field of a service asks for, by the field's name ("COPIA DOCUMENTO
 * D`IDENTITÀ FRONTE RETRO", "COPIA CODICE FISCALE FRONTE RETRO", "Tessera sanitaria"…); null for
 * every other paper (mandato, payslips…), which is never kept.
 */
export function clientFileKindOf(fieldName: string): ClientFileKind | null {
  const name = fieldName.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (/mandato|delega/i.test(name)) return null;
  if (/identit|\bcie\b|passaporto|patente/i.test(name)) return 'identita';
  if (/codice fiscale|tessera sanitaria|\btessera\b/i.test(name)) return 'codice_fiscale';
  return null;
}

/** The last moment of a calendar day `yyyy-mm-dd`, local time. */
export function endOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 59, 999).getTime();
}

/**
 * Until when documents kept at `from` stay: the identity document's expiry, and never more than
 * KEEP_MONTHS after `from`.
 */
export function keptUntil(consent: { documentExpiry: string | null }, from: number): number {
  const date = new Date(from);
  date.setMonth(date.getMonth() + KEEP_MONTHS);
  const cap = date.getTime();
  return consent.documentExpiry ? Math.min(endOfDay(consent.documentExpiry), cap) : cap;
}

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
});
export type Client = z.infer<typeof clientSchema>;

/** A request this counter already sent for the same client and service, lately. */
export const duplicateSchema = z.object({
  id: z.string(),
  serviceName: z.string(),
  status: requestStatusSchema,
  remoteState: z.string().nullable(),
  sentAt: z.number().int(),
  operator: z.string(),
  /** True once the clerk confirmed, for this draft, that a new request is wanted anyway. */
  acknowledged: z.boolean(),
});
export type Duplicate = z.infer<typeof duplicateSchema>;
