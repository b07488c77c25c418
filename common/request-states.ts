import type { AppErrorData } from './errors.ts';

/*
 * Where a request is, in the clerk's words: one vocabulary for Home, Pratiche (its rows and its
 * filters), the request page, the receipt, the CSV and the desktop notifications. The service's own
 * words for its phase ("In erogazione", "Visura evasa") are shown only on the request page, as the
 * service's. The list's filter asks the register for the same states in SQL
 * (main/db/state-sql.ts); a test holds the two equal.
 */

/**
 * A request's life on this PC (main's lifecycle):
 * draft → sending (POST under way or its outcome unknown) → open (remote id stored, not yet
 * closed) → pending (accepted and paid, being processed) → done | cancelled.
 */
export const requestStatuses = ['draft', 'sending', 'open', 'pending', 'done', 'cancelled'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const clerkStates = [
  /** Not sent: the form is still being filled in. */
  'bozza',
  /** Being sent to Openapi (or its last step is being completed). */
  'in_invio',
  /** The clerk must act: an uncertain or failed send, a search result to choose, outputs not downloaded. */
  'da_verificare',
  /** Accepted and paid: the CAF/Patronato is working on it. */
  'in_lavorazione',
  /** Outputs given, and more may still come (the service's "Dati disponibili"). */
  'pronta',
  /** Done: every output given. */
  'completata',
  /** Cancelled (by the clerk, or on the service) without a refusal. */
  'annullata',
  /** The CAF/Patronato refused it, with a reason (the service's esito). */
  'respinta',
] as const;
export type ClerkState = (typeof clerkStates)[number];

/** The words, Italian first: the renderer's it.ts takes them from here, main's texts too. */
export const CLERK_STATE_WORDS: Record<ClerkState, string> = {
  bozza: 'Bozza',
  in_invio: 'In invio',
  da_verificare: 'Da verificare',
  in_lavorazione: 'In lavorazione',
  pronta: 'Pronta',
  completata: 'Completata',
  annullata: 'Annullata',
  respinta: 'Respinta',
};

/**
 * The service's words for two of its phases the states depend on (VISENGINE.md: `stato_richiesta`).
 * main/engine/engine.ts PHASE_NAMES holds all of them; a test holds these equal to it.
 */
export const SERVICE_PHASE = {
  searching: 'In ricerca',
  outputsPartial: 'Dati disponibili',
} as const;

/** What the state is read from: a request's summary (or its row, in main). */
export interface StateInput {
  status: RequestStatus;
  remoteState: string | null;
  esito: { codice: string; info: string } | null;
  lastError: Pick<AppErrorData, 'code'> | null;
  documentsState: 'none' | 'ready' | 'failed';
  /** The lifecycle's rule (main/requests/rules.ts needsAttention). */
  needsAttention: boolean;
}

/** A refusal by the CAF/Patronato: the service's esito carries a code other than "0". */
export const refused = (esito: StateInput['esito']): boolean => esito !== null && esito.codice !== '0';

/** The clerk's state of a request. */
export function clerkState(r: StateInput): ClerkState {
  switch (r.status) {
    case 'draft':
      return 'bozza';
    case 'cancelled':
      return refused(r.esito) ? 'respinta' : 'annullata';
    case 'sending':
    case 'open':
      // Being sent is not the clerk's business until something went wrong.
      return r.lastError ? 'da_verificare' : 'in_invio';
    case 'pending':
      return r.needsAttention ? 'da_verificare' : 'in_lavorazione';
    case 'done':
      if (r.needsAttention) return 'da_verificare';
      return r.remoteState === SERVICE_PHASE.outputsPartial ? 'pronta' : 'completata';
  }
}

/**
 * Where a request stands as its client is told (the receipt): what the clerk must still do about
 * it (an error to retry, outputs to download again, a result to choose) is the office's business,
 * not a state of the client's request.
 */
export function stateForClient(r: StateInput): ClerkState {
  return clerkState({ ...r, lastError: null, needsAttention: false, documentsState: 'none' });
}

/** The colour of each state's badge (Mantine colours): orange when the clerk must act. */
export const CLERK_STATE_COLORS: Record<ClerkState, string> = {
  bozza: 'gray',
  in_invio: 'yellow',
  da_verificare: 'orange',
  in_lavorazione: 'blue',
  pronta: 'teal',
  completata: 'teal',
  annullata: 'gray',
  respinta: 'red',
};
