import { z } from 'zod';
import { serviceDetailSchema, serviceSummarySchema } from './catalog.ts';
import {
  clientCfSchema,
  clientMatchSchema,
  clientSchema,
  consentSchema,
  duplicateSchema,
  filesAccessSchema,
  isoDaySchema,
} from './clients.ts';
import {
  accountEmailSchema,
  connectionCheckSchema,
  credentialStatusSchema,
  secretSchema,
  spendingCapSchema,
  spendingSchema,
} from './credentials.ts';
import { environmentSchema } from './environments.ts';
import {
  officeCheckSchema,
  officeFormSchema,
  officeLinkSchema,
  officePreparedSchema,
  officePrepareSchema,
  officeStatusSchema,
} from './office.ts';
import { probeReportSchema, probeStepSchema, serviceProfileSchema } from './probe.ts';
import { refusedPathSchema } from './register-paths.ts';
import type { Outcome } from './errors.ts';
import {
  acceptedFormatsSchema,
  attachmentInfoSchema,
  attachmentSourceSchema,
  bytesSchema,
  draftPatchSchema,
  draftSchema,
  placementSchema,
  quoteSchema,
  requestDetailSchema,
  requestChoicesSchema,
  requestFilterSchema,
  requestPageSchema,
  requestSummarySchema,
  submissionChoiceSchema,
  accountIssueSchema,
} from './requests.ts';
import { attachmentReadingSchema, cardBarcodeSchema } from './reading.ts';
import {
  generatedPdfSchema,
  recentScanSchema,
  scanFolderStatusSchema,
  scannerIdSchema,
  scannerSurveySchema,
  scanOptionsSchema,
  scanProgressSchema,
} from './scanning.ts';
import { creditSchema, folderSettingSchema, preferencesPatchSchema, preferencesSchema } from './settings.ts';

/**
 * The whole surface between the renderer and main, declared once. Main registers a handler per
 * channel (main/ipc.ts, test/harness), the preload and the harness shim build `window.api` by
 * iterating these keys: there is no second list anywhere.
 */
function channel<const A extends z.ZodTuple, const R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

const idSchema = z.uuid('Identificativo non valido');
const fieldKeySchema = z.string().regex(/^\$\d+$/, 'Campo non valido');
/** A request's id on the service (Visengine: 24 hex characters; kept loose for another engine). */
const remoteIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'Identificativo della richiesta non valido');
const euroSchema = z.number().finite().min(0).max(100_000);
// Hashes are 32 hex characters, except two in the spec's own catalog: accept letters and digits.
const hashSchema = z.string().regex(/^[0-9a-z]{32}$/i, 'Codice servizio non valido');

export const contract = {
  'app.info': channel(
    z.tuple([]),
    z.object({
      version: z.string(),
      environment: environmentSchema,
      /** Base URL of the current environment (the simulator's when Prova). */
      baseUrl: z.string(),
      dataDir: z.string(),
    }),
  ),
  /** The Openapi credit left in the current environment, if known; never fails for a network problem. */
  'app.credit': channel(z.tuple([]), creditSchema),

  'catalog.list': channel(z.tuple([]), z.array(serviceSummarySchema)),
  'catalog.detail': channel(z.tuple([hashSchema]), serviceDetailSchema),

  /** A new draft; for a known client, prefilled from their last request (`clientCf`). */
  'drafts.create': channel(
    z.tuple([hashSchema, z.object({ clientCf: clientCfSchema }).strict().optional()]),
    draftSchema,
  ),
  'drafts.get': channel(z.tuple([idSchema]), draftSchema),
  'drafts.list': channel(z.tuple([]), z.array(draftSchema)),
  'drafts.update': channel(z.tuple([idSchema, draftPatchSchema]), draftSchema),
  'drafts.discard': channel(z.tuple([idSchema]), z.null()),

  /** Adds a part at the end of a file field, or at `position` (0 = fronte, 1 = retro) moving the rest on. */
  'attachments.add': channel(
    z.tuple([idSchema, fieldKeySchema, attachmentSourceSchema, z.number().int().min(0).max(50).optional()]),
    attachmentInfoSchema,
  ),
  /**
   * One drop of several files: each goes to the field its pages say it is (MRZ, card barcode, the
   * mandato's code, words), else its name or pages suggest, the rest in form order from the field
   * dropped on (`hint`); each placement says why and how sure.
   */
  'attachments.place': channel(
    z.tuple([idSchema, z.array(attachmentSourceSchema).min(1).max(20), fieldKeySchema.optional()]),
    placementSchema,
  ),
  /**
   * What a part's pages say (main/reading/): the paper and why, the identity in its MRZ, the
   * codice fiscale in its barcode, whose mandato it is. The form fills itself from it.
   */
  'attachments.read': channel(z.tuple([idSchema, idSchema]), attachmentReadingSchema),
  /** Moves a part to another file field (swapping the two when that empties its own). */
  'attachments.move': channel(z.tuple([idSchema, idSchema, fieldKeySchema]), draftSchema),
  /** The file formats this computer reads: what the form offers. */
  'attachments.formats': channel(z.tuple([]), acceptedFormatsSchema),
  'attachments.remove': channel(z.tuple([idSchema, idSchema]), draftSchema),
  'attachments.preview': channel(
    z.tuple([idSchema, idSchema]),
    z.object({ mime: z.string(), data: bytesSchema }),
  ),

  /** Validates the draft (here and with `test:true`) and prices it: the price the clerk confirms. */
  'requests.quote': channel(z.tuple([idSchema]), quoteSchema),
  /** Sends the draft, exactly once, at the confirmed price (euro, VAT excluded). */
  'requests.submit': channel(z.tuple([idSchema, euroSchema]), requestSummarySchema),
  /** Completes a submission left mid-way, or downloads outputs again. */
  'requests.retry': channel(z.tuple([idSchema]), requestSummarySchema),
  'requests.list': channel(z.tuple([requestFilterSchema]), requestPageSchema),
  /** The counters and operators the log holds: the list's filter choices. */
  'requests.choices': channel(z.tuple([]), requestChoicesSchema),
  'requests.get': channel(z.tuple([idSchema]), requestDetailSchema),
  'requests.refresh': channel(z.tuple([idSchema]), requestSummarySchema),
  'requests.refreshAll': channel(
    z.tuple([]),
    z.object({ checked: z.number().int(), changed: z.number().int() }),
  ),
  'requests.cancel': channel(z.tuple([idSchema, z.string().trim().min(1).max(500)]), requestSummarySchema),
  'requests.chooseResult': channel(
    z.tuple([idSchema, z.string().min(1).max(100), z.number().int().min(0)]),
    requestSummarySchema,
  ),
  /** Records in the trail that the clerk exported the log (who, when, what kind, how many rows). */
  'requests.recordExport': channel(
    z.tuple([z.enum(['rows', 'costs']), z.number().int().min(0).max(10_000_000)]),
    z.null(),
  ),
  'requests.home': channel(
    z.tuple([]),
    z.object({
      attention: z.array(requestSummarySchema),
      inProgress: z.array(requestSummarySchema),
      doneToday: z.array(requestSummarySchema),
      /** The drafts, last touched first: with their client and age, each opening its form. */
      drafts: z.array(requestSummarySchema),
      /** Charges and requests on the Openapi account that the office must look at. */
      accountIssues: z.array(accountIssueSchema),
      /** Requests of the account owned by no request beyond those listed in `accountIssues`. */
      moreOrphans: z.number().int().min(0),
    }),
  ),
  /**
   * The clerk's decision on an uncertain submission the API could not settle: adopt one of the
   * candidates shown, or send again knowingly. Recorded in the trail.
   */
  'requests.resolveSubmission': channel(z.tuple([idSchema, submissionChoiceSchema]), requestSummarySchema),
  /** Someone checked a charge anomaly shown on Home (recorded with who and when). */
  'requests.checkIssue': channel(z.tuple([environmentSchema, z.string().min(1).max(200)]), z.null()),
  /**
   * A request of the Openapi account that no request owns (Home, "Da controllare"): linked to a
   * request of the log, marked as not the office's, or — while open — cancelled. Each in the trail.
   */
  'account.link': channel(z.tuple([environmentSchema, remoteIdSchema, idSchema]), z.null()),
  'account.disown': channel(z.tuple([environmentSchema, remoteIdSchema]), z.null()),
  'account.cancel': channel(z.tuple([environmentSchema, remoteIdSchema]), z.null()),

  /** The same client (codice fiscale) and service sent in the last 30 days: asked before paying. */
  'duplicates.check': channel(z.tuple([idSchema]), z.array(duplicateSchema)),
  /** The clerk goes on knowingly: written in the trail; the send is then allowed. */
  'duplicates.acknowledge': channel(
    z.tuple([idSchema, z.array(idSchema).min(1).max(50)]),
    z.array(duplicateSchema),
  ),

  /**
   * The register's rows whose paths this counter refused (they pointed outside its archive, scans
   * or clients' folders): Home lists them under «Da controllare».
   */
  'register.refusedPaths': channel(z.tuple([]), z.array(refusedPathSchema)),

  /** The one-page receipt of a sent request, for the client. */
  'receipt.generate': channel(z.tuple([idSchema]), generatedPdfSchema),

  /** Clients by name or codice fiscale (at least 2 characters). */
  'clients.search': channel(z.tuple([z.string().trim().min(2).max(100)]), z.array(clientMatchSchema)),
  /** A client's requests, outputs, documents on file and consent. */
  'clients.get': channel(z.tuple([clientCfSchema]), clientSchema),
  /** The client agrees to have the ID and CF card kept (identity document's expiry; request at hand). */
  'clients.consent': channel(
    z.tuple([clientCfSchema, isoDaySchema.nullable(), idSchema.nullable()]),
    consentSchema,
  ),
  /** Revokes the consent: the documents on file are deleted at once. */
  'clients.revokeConsent': channel(z.tuple([clientCfSchema, idSchema.nullable()]), clientSchema),
  /** Puts the client's documents on file into the draft's empty matching fields. */
  'clients.useFiles': channel(z.tuple([idSchema]), z.array(attachmentInfoSchema)),
  /** Impostazioni → Ufficio: this counter's key fingerprint and who may open the documents on file. */
  'clients.filesAccess': channel(z.tuple([]), filesAccessSchema),
  /** Grants a counter the documents on file's key, once the clerk confirms its fingerprint in main's dialog. */
  'clients.grantFilesAccess': channel(z.tuple([idSchema]), filesAccessSchema),

  'documents.open': channel(z.tuple([idSchema]), z.null()),
  'documents.showInFolder': channel(z.tuple([idSchema]), z.null()),
  /** An output's bytes, to print or preview it inside the app. */
  'documents.read': channel(
    z.tuple([idSchema]),
    z.object({ mime: z.string(), data: bytesSchema, fileName: z.string() }),
  ),

  'settings.get': channel(z.tuple([]), preferencesSchema),
  'settings.update': channel(z.tuple([preferencesPatchSchema]), preferencesSchema),
  /** Opens main's folder dialog for the archive or the watched scans; unchanged if the clerk cancels. */
  'settings.chooseFolder': channel(z.tuple([folderSettingSchema]), preferencesSchema),
  /** Each environment's Openapi credentials as far as the renderer may know them: never a secret. */
  'settings.credentials': channel(z.tuple([]), z.array(credentialStatusSchema)),
  /** The account email and API key: main makes a token with the scopes it needs, and renews it. */
  'settings.setApiKey': channel(
    z.tuple([environmentSchema, accountEmailSchema, secretSchema]),
    credentialStatusSchema,
  ),
  /** A ready token instead: Visengine works, the wallet cannot be read. */
  'settings.setToken': channel(z.tuple([environmentSchema, secretSchema]), credentialStatusSchema),
  'settings.clearCredentials': channel(z.tuple([environmentSchema]), credentialStatusSchema),
  /** This counter's spending cap (euro per token, null: none): main makes its token anew with it. */
  'settings.setSpendingCap': channel(
    z.tuple([environmentSchema, spendingCapSchema.nullable()]),
    credentialStatusSchema,
  ),
  /** This counter's token spending beside what its log says (the current environment by default). */
  'settings.spending': channel(z.tuple([environmentSchema.optional()]), spendingSchema),
  /**
   * A scripted first contact with the environment's Visengine (main/probe/probe.ts): it creates two
   * requests (Sandbox credit), reports how the service answers where the spec is silent, and saves
   * that profile. Refused in Produzione (it would be charged) and pointless in Prova.
   */
  'settings.probe': channel(z.tuple([z.literal('sandbox')]), probeReportSchema),
  /** The profile the last probe saved for an environment, with when; null when never probed. */
  'settings.serviceProfile': channel(
    z.tuple([environmentSchema]),
    serviceProfileSchema.extend({ at: z.number() }).nullable(),
  ),
  /** "Prova connessione": the catalog, each needed scope (what a missing one blocks), the wallet. */
  'settings.testConnection': channel(z.tuple([environmentSchema.optional()]), connectionCheckSchema),

  /** Impostazioni → Ufficio: the office's register this counter joined (never its password), and its link. */
  'office.status': channel(z.tuple([]), officeStatusSchema),
  /** Opens main's file dialog for the office's CA certificate (TLS verify-full). */
  'office.chooseCaFile': channel(z.tuple([]), officeStatusSchema),
  /**
   * "Prova connessione" with the form's values (password null: the one kept, for its own server
   * only), confirmed in main's dialog before anything is sent.
   */
  'office.test': channel(z.tuple([officeFormSchema]), officeCheckSchema),
  /** Joins the office's register (confirmed in main's dialog, then checked); applies after a restart. */
  'office.join': channel(z.tuple([officeFormSchema]), officeStatusSchema),
  /** "Prepara il database" as its owner (confirmed in main's dialog; the owner's password never kept). */
  'office.prepare': channel(z.tuple([officePrepareSchema]), officePreparedSchema),
  /** Leaves it (confirmed in main's dialog; a local copy kept); applies after a restart. */
  'office.leave': channel(z.tuple([]), officeStatusSchema),

  /** Every backend's scanners, and why some found none (tool missing, …). */
  'scanning.devices': channel(z.tuple([]), scannerSurveySchema),
  /** Scans now and adds each page to the draft's file field; progress comes as `scanProgress`. */
  'scanning.scan': channel(
    z.tuple([idSchema, fieldKeySchema, scannerIdSchema, scanOptionsSchema]),
    z.array(attachmentInfoSchema),
  ),
  /** Stops the scan running on that device (its `scanning.scan` fails as cancelled). */
  'scanning.cancel': channel(z.tuple([scannerIdSchema]), z.null()),

  /** The watched folder's new files, newest first; changes come as `scansChanged`. */
  'scans.recent': channel(z.tuple([]), z.array(recentScanSchema)),
  'scans.status': channel(z.tuple([]), scanFolderStatusSchema),
  /** Puts a recent scan into a file field (at `position`, as attachments.add) and takes it off the tray. */
  'scans.use': channel(
    z.tuple([idSchema, fieldKeySchema, idSchema, z.number().int().min(0).max(50).optional()]),
    attachmentInfoSchema,
  ),
  'scans.dismiss': channel(z.tuple([idSchema]), z.null()),

  /** The codice fiscale barcode of a card attached to a draft (draft id, attachment id); null if none. */
  'barcode.read': channel(z.tuple([idSchema, idSchema]), cardBarcodeSchema.nullable()),
  /** The same, from a file of the watched folder. */
  'barcode.readScan': channel(z.tuple([idSchema]), cardBarcodeSchema.nullable()),

  /** The prefilled "mandato di assistenza e rappresentanza" for a draft's client, to print and sign. */
  'mandato.generate': channel(z.tuple([idSchema]), generatedPdfSchema),
} as const;

/** Push events from main to the renderer, each with its payload schema. */
export const events = {
  requestChanged: requestSummarySchema,
  /** A step of the service probe (Impostazioni → Verifica del servizio), as it ends. */
  probeProgress: probeStepSchema,
  catalogUpdated: z.object({ count: z.number().int() }),
  settingsChanged: preferencesSchema,
  /** The office register's link changed: unreachable (the banner says why), or back. */
  officeLink: officeLinkSchema,
  /** What the screen shows of the requests may be stale (the office's notices were missed): read it again. */
  requestsStale: z.object({}),
  scanProgress: scanProgressSchema,
  scansChanged: z.array(recentScanSchema),
} as const;

export type Contract = typeof contract;
export type ChannelName = Extract<keyof Contract, string>;
export type EventName = Extract<keyof typeof events, string>;
export type ChannelArgs<C extends ChannelName> = z.input<Contract[C]['args']>;
export type ParsedArgs<C extends ChannelName> = z.output<Contract[C]['args']>;
export type ChannelResult<C extends ChannelName> = z.output<Contract[C]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(contract) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

type NamespaceOf<C extends string> = C extends `${infer NS}.${string}` ? NS : never;
export type Namespace = NamespaceOf<ChannelName>;

type Unsubscribe = () => void;
type On = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => Unsubscribe;

/** `window.api` as the transports expose it: every call resolves to an Outcome, never throws. */
export type BridgeApi = {
  [NS in Namespace]: {
    [C in ChannelName as C extends `${NS}.${infer M}` ? M : never]: (
      ...args: ChannelArgs<C>
    ) => Promise<Outcome<ChannelResult<C>>>;
  };
} & { on: On };

/** The API the renderer's code uses: results, or a thrown ApiError. */
export type ClientApi = {
  [NS in Namespace]: {
    [C in ChannelName as C extends `${NS}.${infer M}` ? M : never]: (
      ...args: ChannelArgs<C>
    ) => Promise<ChannelResult<C>>;
  };
} & { on: On };

/** The implementation main provides: arguments already validated by the contract. */
export type Handlers = {
  [C in ChannelName]: (...args: ParsedArgs<C>) => Promise<ChannelResult<C>>;
};
