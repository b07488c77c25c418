import { z } from 'zod';

/*
 * What reading a document's pages found (main/reading/): which of the papers the app knows it is,
 * from what evidence and how sure, and what it carries — the identity in a machine-readable zone,
 * the codice fiscale in a card's barcode, the request a mandato printed by the app belongs to.
 */

/** The codice fiscale read from the Code 39 barcode on the back of a tessera sanitaria / CIE. */
export const cardBarcodeSchema = z.object({
  /** As read, upper case. */
  cf: z.string(),
  valid: z.boolean(),
  /** Why the code is not a valid CF (Italian); null when valid. */
  issue: z.string().nullable(),
  /** `yyyy-mm-dd`; null for an invalid or numeric code. */
  birthDate: z.string().nullable(),
  sex: z.enum(['M', 'F']).nullable(),
  /** Belfiore code of the birthplace, and its name when known. */
  placeCode: z.string().nullable(),
  placeName: z.string().nullable(),
  /** 'medium' when only a turned image read it, 'low' for an invalid code: ask the clerk to check. */
  confidence: z.enum(['high', 'medium', 'low']),
});
export type CardBarcodeReading = z.infer<typeof cardBarcodeSchema>;

/** The papers a page can be recognised as (common/papers.ts names the fields that take them). */
export const readPapers = ['identita', 'codice_fiscale', 'mandato'] as const;
export type ReadPaper = (typeof readPapers)[number];

/**
 * What told the paper: the MRZ (check digits valid), the codice fiscale barcode, the code the app
 * prints on its mandato, the words recognised on the page.
 */
export const readingReasons = ['mrz', 'barcode', 'mandato_code', 'ocr'] as const;
export type ReadingReason = (typeof readingReasons)[number];

/** `high`: machine-checked evidence or unambiguous words; below that the clerk must look. */
export const confidences = ['high', 'medium', 'low'] as const;
export const confidenceSchema = z.enum(confidences);
export type Confidence = z.infer<typeof confidenceSchema>;

/** The holder of an identity document, from its machine-readable zone (every check digit valid). */
export const documentIdentitySchema = z.object({
  /** CIE and other identity cards (TD1), passports (TD3). */
  document: z.enum(['carta_identita', 'passaporto']),
  cognome: z.string(),
  nome: z.string(),
  /** yyyy-mm-dd (the century that does not put the birth in the future); null when unreadable. */
  birthDate: z.string().nullable(),
  sex: z.enum(['M', 'F']).nullable(),
  documentNumber: z.string(),
  /** yyyy-mm-dd */
  expiry: z.string().nullable(),
  /** ICAO code of the issuing state (ITA). */
  issuingState: z.string(),
});
export type DocumentIdentity = z.infer<typeof documentIdentitySchema>;

/** What the code printed on the app's own mandato says: its draft, and a short key of the client. */
export const mandatoCodeSchema = z.object({
  draftId: z.string(),
  clientKey: z.string(),
});
export type MandatoCode = z.infer<typeof mandatoCodeSchema>;

export const documentReadingSchema = z.object({
  /** Null when nothing on the pages says which paper it is. */
  paper: z.enum(readPapers).nullable(),
  /** For a card: which side was read (the CIE's MRZ and barcode are on its back). */
  side: z.enum(['fronte', 'retro']).nullable(),
  reason: z.enum(readingReasons).nullable(),
  confidence: confidenceSchema,
  identity: documentIdentitySchema.nullable(),
  card: cardBarcodeSchema.nullable(),
  mandato: mandatoCodeSchema.nullable(),
});
export type DocumentReading = z.infer<typeof documentReadingSchema>;

/** A reading that found nothing. */
export const unread: DocumentReading = {
  paper: null,
  side: null,
  reason: null,
  confidence: 'low',
  identity: null,
  card: null,
  mandato: null,
};

/**
 * Whose a mandato read on an attachment is, against the draft it was put in: printed for it, for
 * another request of the same client, for another client, or for another request whose client
 * cannot be compared (the draft has no codice fiscale yet).
 */
export const mandatoOwners = ['this_request', 'same_client', 'other_client', 'other_request'] as const;
export type MandatoOwner = (typeof mandatoOwners)[number];

/** A stored attachment read again (`attachments.read`): the reading, and whose mandato it is. */
export const attachmentReadingSchema = documentReadingSchema.extend({
  mandatoOf: z.enum(mandatoOwners).nullable(),
});
export type AttachmentReading = z.infer<typeof attachmentReadingSchema>;
