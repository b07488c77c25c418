import type { ServiceDetail, ServiceSummary } from '../../common/catalog.ts';
import type { SearchState } from '../../common/requests.ts';

/*
 * The Engine port: what the app needs from a document engine, in the app's terms. Visengine
 * implements it (engine/visengine/); a DocuEngine adapter can implement it without the services
 * noticing. Nothing here names a wire field: the adapters map their answers to these facts, and
 * the money rules (requests/) read only these facts.
 *
 * Failures are the typed errors of ./errors.ts; `AppError.ambiguous` says when the service may
 * have acted although the call failed (a timeout after the body went, a reset, a 5xx): the one
 * fact exactly-once submission rests on.
 */

/**
 * Where a request is in its processing, as far as the service says:
 * - `searching`: not being processed yet — created, or waiting on a search and its choice;
 * - `processing`: being processed;
 * - `outputs_partial`: outputs may be listed already, and more may come before it is done;
 * - `done`: processed, outputs final;
 * - `cancelled`: cancelled (before the close, or refused after it);
 * - `other`: a state the adapter does not know: in progress, and no proof of processing.
 */
export const remotePhases = [
  'searching',
  'processing',
  'outputs_partial',
  'done',
  'cancelled',
  'other',
] as const;
export type RemotePhase = (typeof remotePhases)[number];

/**
 * The phases' Italian names: what the clerk reads as "Stato sul servizio", and what the log
 * stores as a request's remote state (a phase the adapter does not know keeps the service's own
 * words). They are Visengine's words, which the offices already know from Openapi's console.
 */
export const PHASE_NAMES = {
  searching: 'In ricerca',
  processing: 'In erogazione',
  outputs_partial: 'Dati disponibili',
  done: 'Visura evasa',
  cancelled: 'Annullata',
} as const satisfies Record<Exclude<RemotePhase, 'other'>, string>;

/** A request on the service as a list shows it: enough to recognise it and to see it moved. */
export interface RemoteSummary {
  id: string;
  /** The service it is of (the catalog's hash). */
  service: string;
  /**
   * The service's word on the transaction: `open` (editable, nothing submitted), `closed`
   * (submitted: paid), or null when the answer does not say — which never means closed.
   */
  transaction: 'open' | 'closed' | null;
  phase: RemotePhase;
  /** The service's own words for its state (logs, and the name of an `other` phase). */
  stateText: string;
  /**
   * Signs that the service started processing it (a processing phase, or the time it entered
   * one): proof of a close, whatever `transaction` says or omits.
   */
  processed: boolean;
  /**
   * Prices (euro, net of IVA) as the answer states them; null where it does not, which is never
   * "free". `search` is the search step's, for a service with one (null otherwise).
   */
  price: { base: number | null; search: number | null };
  /** When the service created it, on the service's clock (ms, possibly truncated to the second); null when unsaid. */
  createdAt: number | null;
}

/** A request read in full. */
export interface RemoteRequest extends RemoteSummary {
  /** The outputs the service lists (names); empty before there are any. */
  outputs: string[];
  /**
   * The service's verdict: `codice` "0" when nothing went wrong, else why (e.g. a wrong codice
   * fiscale); `motivo`, when the answer gives one, why it was cancelled.
   */
  outcome: { codice: string; info: string; motivo?: string };
  /** A search's results awaiting the clerk's choice; null when none are (or one was chosen). */
  search: SearchState | null;
  /** True once a search result was chosen. */
  resultChosen: boolean;
  /**
   * The submitted values as the service echoes them back (one record per echo, by field key);
   * empty when it echoes nothing — only some services do.
   */
  echoes: Record<string, unknown>[];
  /** The options the answer names: may be the chosen ones, every option, or none. Never a price source. */
  options: string[];
}

/** What is sent: the form's values by field key (files as `name|data:mime;base64,…`), the options chosen. */
export interface Submission {
  service: string;
  values: Record<string, string>;
  options: readonly string[];
  /** The outputs also go to this address (the client's). */
  emailTarget?: string | undefined;
}

/**
 * A price check's answer. Each price is null when the answer does not give it. `createdId`: the
 * service created a request after all (it ignored the check): the caller must close it out.
 * `shape`: what the answer looked like, for the probe's report.
 */
export interface PriceCheck {
  base: number | null;
  search: number | null;
  createdId: string | null;
  shape: 'request' | 'prices' | 'strings' | 'empty';
}

/** A done request's outputs, as bytes. */
export interface RemoteOutputs {
  /** A zip of the output files (documents/unzip.ts reads it under limits). */
  zip: Uint8Array;
  /** The size the service stated, in its own unit (bytes, or base64 characters); null when unsaid. */
  statedSize: number | null;
}

export interface Engine {
  /** Where the service is (shown in Impostazioni; its host names the charges on the account). */
  readonly baseUrl: string;
  listServices(): Promise<ServiceSummary[]>;
  getService(hash: string): Promise<ServiceDetail>;
  /** Validates the data and prices it, creating nothing (but see `PriceCheck.createdId`). */
  priceCheck(submission: Submission): Promise<PriceCheck>;
  /** Creates the request open: editable, not submitted. Its id is known before anything is paid at the close. */
  open(submission: Submission): Promise<RemoteRequest>;
  /**
   * Closes (submits) an open request, with its values sent again when given. Closing a closed
   * request fails with `AlreadyClosedError` — which a request cancelled while open may answer too.
   */
  close(id: string, values?: Record<string, string> | null): Promise<RemoteRequest>;
  get(id: string): Promise<RemoteRequest>;
  /** Every request of the account; empty when there are none. */
  list(): Promise<RemoteSummary[]>;
  /** Best effort: the service may not offer it (NotFoundError, or a 405). */
  cancel(id: string, reason: string): Promise<void>;
  /** Chooses one result of the request's search (`SearchState`); the service then processes it. */
  chooseResult(id: string, searchId: string, index: number): Promise<RemoteRequest>;
  /** A done request's outputs; `NotYetAvailableError` before there are any. */
  outputs(id: string): Promise<RemoteOutputs>;
  /** How far the service's clock is ahead of the app's (ms), when its answers tell; null otherwise. */
  clockOffset(): number | null;
}
