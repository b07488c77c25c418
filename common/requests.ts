import { z } from 'zod';
import { serviceOptionSchema } from './catalog.ts';
import { visengineScopeSchema } from './credentials.ts';
import { environmentSchema } from './environments.ts';
import { appErrorDataSchema } from './errors.ts';
import { grantedPathSchema } from './granted-path.ts';
import { confidenceSchema, readingReasons } from './reading.ts';
import { clerkStates, requestStatuses, type RequestStatus } from './request-states.ts';

/** Raw bytes crossing the bridge (IPC structured clone keeps them; the harness encodes them as base64). */
export const bytesSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
  message: 'Attesi dati binari',
});

export { requestStatuses, type RequestStatus };
export const requestStatusSchema = z.enum(requestStatuses);

/** Where a request is in the clerk's words (common/request-states.ts): what every screen shows. */
export const clerkStateSchema = z.enum(clerkStates);

export const documentsStates = ['none', 'ready', 'failed'] as const;

const euro = z.number();
const millis = z.number().int();

export const attachmentInfoSchema = z.object({
  id: z.string(),
  fieldKey: z.string(),
  /** Order within the field: 0 = fronte, 1 = retro, … */
  position: z.number().int().nonnegative(),
  fileName: z.string(),
  /** The kind the clerk gave (jpeg, png, pdf, …): the stored copy is normalised to JPEG or PDF. */
  sourceKind: z.string(),
  mime: z.string(),
  size: z.number().int(),
  pages: z.number().int(),
  sha256: z.string(),
  /** Small JPEG data URL for images; null for PDFs (the UI renders those itself). */
  thumbnail: z.string().nullable(),
  /** False once the scan was deleted after the request was accepted. */
  available: z.boolean(),
});
export type AttachmentInfo = z.infer<typeof attachmentInfoSchema>;

export const quoteSchema = z.object({
  base: euro,
  ricerca: euro,
  options: z.array(serviceOptionSchema),
  total: euro,
  checkedAt: millis,
});
export type Quote = z.infer<typeof quoteSchema>;

export const draftSchema = z.object({
  id: z.string(),
  environment: environmentSchema,
  serviceHash: z.string(),
  serviceName: z.string(),
  /** Values of the non-file fields, by key ("$0" → "Mario"). */
  fields: z.record(z.string(), z.string()),
  options: z.array(z.string()),
  attachments: z.array(attachmentInfoSchema),
  quote: quoteSchema.nullable(),
  /** Set when an earlier submission created the remote request: the next one reuses it. */
  remoteId: z.string().nullable(),
  lastError: appErrorDataSchema.nullable(),
  createdAt: millis,
  updatedAt: millis,
  /**
   * Values copied from the client's last request when the draft was started for a known client,
   * by key: the form marks a field while it still holds the copied value.
   */
  prefilled: z.record(z.string(), z.string()),
  /** "Invia i documenti anche al cliente": the outputs also go to the form's email (email_target). */
  sendToClient: z.boolean(),
});
export type Draft = z.infer<typeof draftSchema>;

export const draftPatchSchema = z
  .object({
    fields: z.record(z.string().regex(/^\$\d+$/), z.string().max(2000)),
    options: z.array(z.string().max(100)).max(50),
    sendToClient: z.boolean(),
  })
  .partial()
  .strict();
export type DraftPatch = z.infer<typeof draftPatchSchema>;

/** A file the clerk hands over: by its path (dropped or chosen: granted), or as bytes (paste). */
export const attachmentSourceSchema = z.union([
  z.object({ path: grantedPathSchema }).strict(),
  z.object({ name: z.string().min(1).max(255), data: bytesSchema }).strict(),
]);
/** As main's handlers get it: a path already resolved against main's grants. */
export type AttachmentSource = z.output<typeof attachmentSourceSchema>;
/** As the page sends it. */
export type AttachmentSourceInput = z.input<typeof attachmentSourceSchema>;

/**
 * Why a dropped file went where it went: what its pages say (common/reading.ts: the MRZ, the
 * card's barcode, the code on the app's mandato, the words read), else its name, its pages, its
 * side, the form's order. The clerk sees it and can swap.
 */
export const placementReasons = [...readingReasons, 'name', 'pages', 'side', 'order'] as const;
export type PlacementReason = (typeof placementReasons)[number];

/** What the clerk should know of a placement beyond its reason: a mandato printed for another request or client. */
export const placementNotes = ['mandato_other_request', 'mandato_other_client'] as const;
export type PlacementNote = (typeof placementNotes)[number];

/** What one drop of several files did: each file in a slot, or why it could not be taken. */
export const placementSchema = z.object({
  placed: z.array(
    z.object({
      attachmentId: z.string(),
      fileName: z.string(),
      fieldKey: z.string(),
      position: z.number().int(),
      /** What the clerk handed over (jpeg, pdf, …). */
      sourceKind: z.string(),
      reason: z.enum(placementReasons),
      /** `high`: its content proves it; anything less is shown "da verificare". */
      confidence: confidenceSchema,
      note: z.enum(placementNotes).nullable(),
    }),
  ),
  failed: z.array(z.object({ fileName: z.string(), error: appErrorDataSchema })),
});
export type Placement = z.infer<typeof placementSchema>;

/** The file formats this computer reads: what the form offers is exactly what main accepts. */
export const acceptedFormatsSchema = z.object({
  /** For people: "PDF", "JPEG", … */
  names: z.array(z.string()),
  /** For the file dialog: MIME types and extensions. */
  accept: z.record(z.string(), z.array(z.string())),
  /** What main refuses (main/attachments/limits.ts), told on the form before a file is refused. */
  limits: z.object({
    /** Any file handed over, in bytes: photos and scans are then reduced. */
    fileBytes: z.number().int().positive(),
    /** One document (a field's parts), in bytes: a PDF over this cannot be reduced, and is refused. */
    documentBytes: z.number().int().positive(),
    /** All the documents of one request, in bytes. */
    requestBytes: z.number().int().positive(),
  }),
});
export type AcceptedFormats = z.infer<typeof acceptedFormatsSchema>;

export const searchResultSchema = z.object({
  indice: z.number().int(),
  /** A one-line description (denomination, tax code, city). */
  label: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const searchStateSchema = z.object({
  idRicerca: z.string(),
  results: z.array(searchResultSchema),
});
export type SearchState = z.infer<typeof searchStateSchema>;

/**
 * A request on the service that may be the one an uncertain POST created, when the API does not
 * let the app decide alone (VISENGINE.md: recognised only by documented fields).
 */
export const submissionCandidateSchema = z.object({
  remoteId: z.string(),
  /** The service's timestamp_creation, in ms; null when it gave none. */
  createdAt: millis.nullable(),
  /** 0 open, 1 closed, null when the answer has no `state`. */
  state: z.number().int().nullable(),
  stato: z.string(),
  prezzoVisura: euro.nullable(),
  /** `match`: the service echoed this request's data; `none`: it echoes nothing to compare. */
  echo: z.enum(['match', 'none']),
});
export type SubmissionCandidate = z.infer<typeof submissionCandidateSchema>;

/** The clerk's answer to an undecidable POST: this candidate is ours, or none is and we send again. */
export const submissionChoiceSchema = z.union([
  z.object({ adopt: z.string().regex(/^[0-9a-f]{24}$/i, 'Identificativo Visengine non valido') }).strict(),
  z.object({ sendAgain: z.literal(true) }).strict(),
]);
export type SubmissionChoice = z.infer<typeof submissionChoiceSchema>;

/**
 * Something about the Openapi account the office must look at (Home, "Da controllare"): a charge
 * that matches no request of the log, a second charge for one request, an open request of ours
 * nobody wants that the service would not let us close out, a remote request of the account that
 * no request of the log owns (`orphan_request`: a reset after the service committed, another
 * program, the console), or a charge matched only to such a request (`orphan_charge`).
 */
export const accountIssueKinds = [
  'unmatched_charge',
  'doubled_charge',
  'unused_open',
  'orphan_request',
  'orphan_charge',
] as const;
export const accountIssueSchema = z.object({
  kind: z.enum(accountIssueKinds),
  /** The wallet transaction's id, or the remote request's for a request of the account. */
  id: z.string(),
  environment: environmentSchema,
  remoteId: z.string().nullable(),
  /** The local request concerned, when there is one. */
  requestId: z.string().nullable(),
  /** Euro charged (positive), for charges. */
  amount: euro.nullable(),
  at: millis,
  /** Why an unused open request could not be closed out (an error code). */
  detail: z.string().nullable(),
  /** For a remote request of the account: its service's name (from the catalog; null when unknown). */
  serviceName: z.string().nullable(),
  /** For a remote request of the account: the service's words for its state ("In erogazione", …). */
  stato: z.string().nullable(),
  /** For a remote request of the account: open (0) or closed (1) by its word; null when unsaid. */
  transaction: z.enum(['open', 'closed']).nullable(),
});
export type AccountIssue = z.infer<typeof accountIssueSchema>;

export const requestSummarySchema = z.object({
  id: z.string(),
  environment: environmentSchema,
  remoteId: z.string().nullable(),
  serviceHash: z.string(),
  serviceName: z.string(),
  /** "Cognome Nome", or the denomination; empty after a retention purge. */
  clientName: z.string(),
  clientCf: z.string().nullable(),
  status: requestStatusSchema,
  /** The clerk's word for where it is (request-states.ts clerkState): what the screens show. */
  state: clerkStateSchema,
  /** The pratica's number for the client (office prefix, year, sequence); null for a draft. */
  number: z.string().nullable(),
  /** The API's stato_richiesta, as it last said it: shown only on the request page, as the service's. */
  remoteState: z.string().nullable(),
  /** The service's verdict; `motivo`: why it was cancelled, when the service said. */
  esito: z.object({ codice: z.string(), info: z.string(), motivo: z.string().optional() }).nullable(),
  confirmedPrice: euro.nullable(),
  chargedPrice: euro.nullable(),
  createdAt: millis,
  updatedAt: millis,
  submittedAt: millis.nullable(),
  completedAt: millis.nullable(),
  documentsState: z.enum(documentsStates),
  documentCount: z.number().int(),
  lastError: appErrorDataSchema.nullable(),
  /** The clerk must do something: retry, top up, choose a search result, check a failure. */
  needsAttention: z.boolean(),
  awaitingChoice: z.boolean(),
  purged: z.boolean(),
  operator: z.string(),
  /** The counter it was created at (its name; '' before counters were recorded). */
  counter: z.string(),
});
export type RequestSummary = z.infer<typeof requestSummarySchema>;

export const sortableColumns = ['createdAt', 'serviceName', 'clientName', 'status', 'chargedPrice'] as const;

export const requestFilterSchema = z
  .object({
    /** Matches client name, codice fiscale, service name, remote id and the pratica's number. */
    text: z.string().max(200).optional(),
    statuses: z.array(requestStatusSchema).max(6).optional(),
    /** The clerk's states (request-states.ts), as the list's filter shows them. */
    states: z.array(clerkStateSchema).max(clerkStates.length).optional(),
    /** `current`: the environment the counter works in when main reads the filter. */
    environment: z.union([environmentSchema, z.literal('current')]).optional(),
    /** Creation time range, inclusive, in ms. */
    from: millis.optional(),
    to: millis.optional(),
    /** The counter it was created at, exactly (requestChoicesSchema lists those in the log). */
    counter: z.string().max(100).optional(),
    /** The operator who created it, exactly. */
    operator: z.string().max(200).optional(),
    sortBy: z.enum(sortableColumns).optional(),
    sortDir: z.enum(['asc', 'desc']).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type RequestFilter = z.infer<typeof requestFilterSchema>;
/** The filter as the register reads it: `current` already resolved to the counter's environment. */
export type RegisterFilter = Omit<RequestFilter, 'environment'> & {
  environment?: z.infer<typeof environmentSchema> | undefined;
};

/** The counters and operators the log holds: the list's filter choices, each sorted, none empty. */
export const requestChoicesSchema = z.object({
  counters: z.array(z.string()),
  operators: z.array(z.string()),
});
export type RequestChoices = z.infer<typeof requestChoicesSchema>;

export const requestPageSchema = z.object({
  rows: z.array(requestSummarySchema),
  total: z.number().int(),
});
export type RequestPage = z.infer<typeof requestPageSchema>;

export const eventKinds = [
  'created',
  'validated',
  'submitted',
  'accepted',
  'status_changed',
  'downloaded',
  'opened',
  'exported',
  'deleted',
  'scans_deleted',
  'cancel_requested',
  'search_chosen',
  /** The clerk decided an uncertain POST: adopted a candidate, or sent again knowingly. */
  'decided',
  /** An open request of ours nobody wants was closed out (DELETE) on the service. */
  'closed_out',
  /** Someone checked a charge anomaly of the account. */
  'checked',
  /** The office's IT person ran the service probe (Impostazioni → Verifica del servizio). */
  'probed',
  'purged',
  'error',
  'duplicate_acknowledged',
  'consent_granted',
  'consent_revoked',
  'documents_kept',
  'documents_reused',
  'documents_expired',
  /** A counter was granted the documents on file's key (no request: the office-wide trail). */
  'documents_access_granted',
  'receipt_printed',
  /** A request of the account that no request owned was linked to this one by the clerk. */
  'account_linked',
  /** …said by the clerk not to be the office's (no request: the trail's office-wide events). */
  'account_foreign',
  /** …cancelled by the clerk from Home while it was open. */
  'account_cancelled',
] as const;
export const eventKindSchema = z.enum(eventKinds);
export type EventKind = z.infer<typeof eventKindSchema>;

export const requestEventSchema = z.object({
  kind: z.string(),
  at: millis,
  operator: z.string(),
  /** The counter where it happened ('' before counters were recorded). */
  counter: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});

export const outputDocumentSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  kind: z.string(),
  size: z.number().int(),
  path: z.string(),
  available: z.boolean(),
});
export type OutputDocument = z.infer<typeof outputDocumentSchema>;

/** Why a file of a request's outputs was left out while the others were kept (documents/unzip.ts). */
export const leftOutReasons = [
  /** A program, a script, active content, or a type that is not an output. */
  'disallowed_type',
  /** The bytes are not what the extension says. */
  'content_mismatch',
  /** An office document with macros or other active content, or one that cannot be checked. */
  'macro',
  /** A signed file (.p7m) that cannot be read as CAdES. */
  'unreadable_signature',
  'encrypted',
  'entry_too_large',
  /** Compressed far more than any document: the shape of a zip bomb. */
  'ratio',
] as const;
export type LeftOutReason = (typeof leftOutReasons)[number];

/** What the last download of a request's outputs said beyond the files it kept. */
export const outputsReportSchema = z.object({
  /** Files of the service's zip not kept, each with why. */
  leftOut: z.array(z.object({ fileName: z.string(), reason: z.enum(leftOutReasons) })),
  /** Signed files (.p7m) kept, with the file taken out of each; null when it carries none. */
  signed: z.array(z.object({ fileName: z.string(), content: z.string().nullable() })),
});
export type OutputsReport = z.infer<typeof outputsReportSchema>;

export const requestDetailSchema = requestSummarySchema.extend({
  /** The fields as sent; codici fiscali masked. */
  fields: z.array(z.object({ key: z.string(), nome: z.string(), tipo: z.string(), value: z.string() })),
  options: z.array(serviceOptionSchema),
  attachments: z.array(attachmentInfoSchema),
  documents: z.array(outputDocumentSchema),
  outputs: outputsReportSchema,
  events: z.array(requestEventSchema),
  search: searchStateSchema.nullable(),
  archiveFolder: z.string().nullable(),
  /** Where the outputs also go by email (email_target), when the clerk asked for it. */
  emailTarget: z.string().nullable(),
  /** What the office asks the client for it (euro), as set when it was sent; null before. */
  clientPrice: euro.nullable(),
  canCancel: z.boolean(),
  /**
   * Why cancelling cannot be done from here although the request could be cancelled: the account
   * lacks `DELETE /richiesta` (`scope_missing`), or the service does not answer it (`not_offered`).
   */
  cancelBlocked: z.enum(['scope_missing', 'not_offered']).nullable(),
  /** The needed scopes the credentials of its environment lack (e.g. `GET /documento`: no outputs). */
  missingScopes: z.array(visengineScopeSchema),
  canRetry: z.boolean(),
  /** When an uncertain POST needs the clerk: the requests on the service it may have created. */
  candidates: z.array(submissionCandidateSchema),
});
export type RequestDetail = z.infer<typeof requestDetailSchema>;
