import type { Environment } from '../../common/environments.ts';
import type { AppErrorData } from '../../common/errors.ts';
import type { Quote, RequestStatus, SearchState, SubmissionCandidate } from '../../common/requests.ts';

/** One row of `requests`, as the services see it. */
export interface RequestRow {
  id: string;
  environment: Environment;
  remoteId: string | null;
  serviceHash: string;
  serviceName: string;
  clientNome: string | null;
  clientCognome: string | null;
  clientCf: string | null;
  clientEmail: string | null;
  clientPhone: string | null;
  fields: Record<string, string>;
  options: string[];
  /** The last price check (test:true), bound to `quoteFingerprint`. */
  quote: Quote | null;
  quoteFingerprint: string | null;
  confirmedPrice: number | null;
  chargedPrice: number | null;
  status: RequestStatus;
  submitIntent: boolean;
  attemptStartedAt: number | null;
  /** When the last uncertain POST attempt ended: nothing is concluded from the list before it settles. */
  attemptEndedAt: number | null;
  /** The candidates the clerk must choose from after an undecidable POST; null otherwise. */
  candidates: SubmissionCandidate[] | null;
  /** The outputs the service listed when last read (`allegati`). */
  allegati: string[] | null;
  remoteState: string | null;
  /** The service's verdict; `motivo`, why it was cancelled, when the service said. */
  remoteEsito: { codice: string; info: string; motivo?: string } | null;
  search: SearchState | null;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  completedAt: number | null;
  nextPollAt: number | null;
  pollCount: number;
  documentsState: 'none' | 'ready' | 'failed';
  archiveFolder: string | null;
  lastError: AppErrorData | null;
  operator: string;
  /** The counter where it was created (its name in Impostazioni; migration 008). */
  counter: string;
  /** The counter (its id) whose lease the request is under while being sent, and until when. */
  claimOwner: string | null;
  claimUntil: number | null;
  purgedAt: number | null;
  /** "Invia i documenti anche al cliente": the POST carries the client's email as email_target. */
  sendToClient: boolean;
  /** Values a draft took from the client's last request (migration 004), by key. */
  prefilled: Record<string, string> | null;
  /** The pratica's number for the client, given when it first left the draft (migration 017). */
  number: string | null;
  /** What the office asks the client for it (euro; 0: free), as set when it left the draft. */
  clientPrice: number | null;
}

type Column = { column: string; encode?: (v: never) => unknown; decode?: (v: never) => unknown };

const json = {
  encode: (v: unknown) => (v === null ? null : JSON.stringify(v)),
  decode: (v: string | null) => (v === null ? null : (JSON.parse(v) as unknown)),
};
const bool = { encode: (v: boolean) => (v ? 1 : 0), decode: (v: number) => v === 1 };

export const COLUMNS: Record<keyof RequestRow, Column> = {
  id: { column: 'id' },
  environment: { column: 'environment' },
  remoteId: { column: 'remote_id' },
  serviceHash: { column: 'service_hash' },
  serviceName: { column: 'service_name' },
  clientNome: { column: 'client_nome' },
  clientCognome: { column: 'client_cognome' },
  clientCf: { column: 'client_cf' },
  clientEmail: { column: 'client_email' },
  clientPhone: { column: 'client_phone' },
  fields: { column: 'fields_json', ...json },
  options: { column: 'options_json', ...json },
  quote: { column: 'quote_json', ...json },
  quoteFingerprint: { column: 'quote_fingerprint' },
  confirmedPrice: { column: 'confirmed_price' },
  chargedPrice: { column: 'charged_price' },
  status: { column: 'status' },
  submitIntent: { column: 'submit_intent', ...bool },
  attemptStartedAt: { column: 'attempt_started_at' },
  attemptEndedAt: { column: 'attempt_ended_at' },
  candidates: { column: 'candidates_json', ...json },
  allegati: { column: 'allegati_json', ...json },
  remoteState: { column: 'remote_state' },
  remoteEsito: { column: 'remote_esito', ...json },
  search: { column: 'search_json', ...json },
  createdAt: { column: 'created_at' },
  updatedAt: { column: 'updated_at' },
  submittedAt: { column: 'submitted_at' },
  completedAt: { column: 'completed_at' },
  nextPollAt: { column: 'next_poll_at' },
  pollCount: { column: 'poll_count' },
  documentsState: { column: 'documents_state' },
  archiveFolder: { column: 'archive_folder' },
  lastError: { column: 'last_error', ...json },
  operator: { column: 'operator' },
  counter: { column: 'counter' },
  claimOwner: { column: 'claim_owner' },
  claimUntil: { column: 'claim_until' },
  purgedAt: { column: 'purged_at' },
  sendToClient: { column: 'send_to_client', ...bool },
  prefilled: { column: 'prefilled_json', ...json },
  number: { column: 'number' },
  clientPrice: { column: 'client_price' },
};

export const PROPS = Object.keys(COLUMNS) as (keyof RequestRow)[];

export function encode(prop: keyof RequestRow, value: unknown): unknown {
  const c = COLUMNS[prop];
  return c.encode ? (c.encode as (v: unknown) => unknown)(value) : value;
}

export function decodeRow(raw: Record<string, unknown>): RequestRow {
  const row: Record<string, unknown> = {};
  for (const prop of PROPS) {
    const c = COLUMNS[prop];
    const value = raw[c.column];
    row[prop] = c.decode ? (c.decode as (v: unknown) => unknown)(value) : value;
  }
  return row as unknown as RequestRow;
}

/** What an update may change: every property but the id and the creation time. */
export type RequestPatch = Partial<Omit<RequestRow, 'id' | 'createdAt'>>;
