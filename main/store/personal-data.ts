/*
 * Every column of the request log, and what purging a request does with it: declared once, here.
 * Retention and the discard of a draft that reached the API both purge through these statements;
 * test/integration/requests/personal-data.test.ts fails when a table or a column exists without a
 * decision, so a new column cannot keep personal data by omission.
 */

export type Decision =
  /** Not personal data: why it may stay. */
  | { keep: string }
  /** Personal data: the SQL expression the column becomes (the row's other columns in scope). */
  | { erase: string }
  /** The trail's JSON: only the keys of TRAIL_KEYS stay. */
  | { scrub: 'trail' }
  /** Personal data still needed to remove files: cleared once they are gone (see the repository). */
  | { afterFiles: string };

interface TableDecisions {
  /** The column naming the request a row belongs to; null for tables outside any request. */
  requestKey: string | null;
  columns: Record<string, Decision>;
}

const trail = { keep: 'the trail: who did what, when, for how much' } as const;

export const PERSONAL_DATA = {
  requests: {
    requestKey: 'id',
    columns: {
      id: trail,
      environment: trail,
      remote_id: { keep: 'Openapi’s id: what the office is billed under' },
      service_hash: trail,
      service_name: trail,
      client_nome: { erase: 'NULL' },
      client_cognome: { erase: 'NULL' },
      client_cf: { erase: 'NULL' },
      client_email: { erase: 'NULL' },
      client_phone: { erase: 'NULL' },
      fields_json: { erase: "'{}'" },
      options_json: { keep: 'the service’s options chosen, names from the catalog' },
      quote_json: { keep: 'the price: base, options, total' },
      // A hash of the fields: a codice fiscale can be found again by trying them all.
      quote_fingerprint: { erase: 'NULL' },
      confirmed_price: trail,
      charged_price: trail,
      status: trail,
      submit_intent: trail,
      attempt_started_at: trail,
      attempt_ended_at: trail,
      candidates_json: { keep: 'Openapi’s ids, dates and prices of requests that may be this one' },
      // The CAF names outputs after the client at times ("Visura ROSSI MARIO.pdf").
      allegati_json: { erase: 'NULL' },
      remote_state: { keep: 'a state name of the Visengine lifecycle' },
      // The CAF's free text ("info") may name the client.
      remote_esito: { erase: 'NULL' },
      search_json: { erase: 'NULL' },
      created_at: trail,
      updated_at: trail,
      submitted_at: trail,
      completed_at: trail,
      next_poll_at: trail,
      poll_count: trail,
      documents_state: trail,
      archive_folder: { erase: 'NULL' },
      // Error messages are built from answers and names; the trail's error events keep the code.
      last_error: { erase: 'NULL' },
      operator: { keep: 'the clerk who worked on it, not the client' },
      purged_at: trail,
      send_to_client: trail,
      // The client's data copied from their last request.
      prefilled_json: { erase: 'NULL' },
      counter: { keep: 'the counter where it was created, not the client' },
      claim_owner: { keep: 'which counter is sending it, not the client' },
      claim_until: trail,
      number: { keep: 'the pratica number the office gave: office prefix, year, sequence' },
      client_price: trail,
    },
  },
  events: {
    requestKey: 'request_id',
    columns: {
      id: trail,
      request_id: trail,
      kind: trail,
      at: trail,
      operator: { keep: 'the clerk, not the client' },
      counter: { keep: 'the counter, not the client' },
      origin: { keep: 'which register first wrote it (an id and a number), not the client' },
      data_json: { scrub: 'trail' },
    },
  },
  attachments: {
    requestKey: 'request_id',
    columns: {
      id: trail,
      request_id: trail,
      field_key: trail,
      position: trail,
      // Names like "carta identità Rossi.jpg".
      file_name: { erase: "'documento ' || (position + 1)" },
      source_kind: { keep: 'a file type' },
      mime: { keep: 'a file type' },
      size: trail,
      pages: trail,
      sha256: { keep: 'proves which file was sent without holding it' },
      stored_path: { erase: 'NULL' },
      created_at: trail,
    },
  },
  documents: {
    requestKey: 'request_id',
    columns: {
      id: trail,
      request_id: trail,
      // The CAF names outputs after the client at times ("Visura ROSSI MARIO.pdf"). Numbered within
      // the request, in SQL both SQLite and PostgreSQL run (neither sees its own changes mid-UPDATE).
      file_name: {
        erase:
          "'documento ' || (SELECT count(*) FROM documents d WHERE d.request_id = documents.request_id AND d.id <= documents.id)",
      },
      path: { afterFiles: 'the folder names the client; the files are removed by path first' },
      kind: { keep: 'a file type' },
      size: trail,
      sha256: { keep: 'proves which output was received without holding it' },
      created_at: trail,
      removed_at: trail,
    },
  },
  // Openapi's requests this PC knows of (migration 004): ids, fates, prices, times — what the
  // account's charges are matched against, which must outlive the client's data.
  remote_requests: {
    requestKey: 'request_id',
    columns: allKept('the money trail: which request on the service, what it cost, when', [
      'environment',
      'remote_id',
      'request_id',
      'origin',
      'fate',
      'options_json',
      'price',
      'created_at',
      'closed_at',
      'delete_error',
      'noted_at',
      'updated_at',
    ]),
  },
  wallet_transactions: {
    requestKey: null,
    columns: allKept('the Openapi account’s charges: amounts, dates, "API usage - <host>"', [
      'environment',
      'id',
      'amount',
      'at',
      'description',
      'remote_id',
      'verdict',
      'seen_at',
      'checked_at',
      'checked_by',
    ]),
  },
  pratica_numbers: {
    requestKey: null,
    columns: allKept('the last pratica number given per prefix and year', ['prefix', 'year', 'last']),
  },
  account_requests: {
    requestKey: null,
    columns: allKept('remote requests of the Openapi account: ids, services, prices, states, decisions', [
      'environment',
      'remote_id',
      'service_hash',
      'price',
      'created_at',
      'transaction_state',
      'stato',
      'first_seen_at',
      'last_seen_at',
      'resolution',
      'request_id',
      'resolved_at',
      'resolved_by',
      'updated_at',
    ]),
  },
  // Documents on file, with the client's consent (main/clients/): not a request's data, they go by
  // their own rule — at the document's expiry (12 months at most), on revocation, or by retention
  // (ClientFiles.purge) — and the consent record stays as proof of what the client agreed to.
  client_consents: {
    requestKey: null,
    columns: allKept('the consent record, kept apart from requests (ClientFiles.purge)', [
      'id',
      'cf',
      'granted_at',
      'granted_by',
      'document_expiry',
      'revoked_at',
      'revoked_by',
    ]),
  },
  client_files: {
    requestKey: null,
    columns: allKept('documents on file, deleted by their own rule (ClientFiles.purge)', [
      'id',
      'cf',
      'kind',
      'file_name',
      'pages',
      'size',
      'sha256',
      'key_id',
      'sealed',
      'source_request_id',
      'created_at',
      'expires_at',
    ]),
  },
  // Who may open the documents on file: counters and keys, nothing of a client.
  counter_keys: {
    requestKey: null,
    columns: allKept('a counter’s name and public key', [
      'counter_id',
      'counter_name',
      'public_key',
      'published_at',
      'updated_at',
    ]),
  },
  document_keys: {
    requestKey: null,
    columns: allKept('a document key’s id, never the key', ['id', 'created_at', 'created_by']),
  },
  document_key_grants: {
    requestKey: null,
    columns: allKept('a document key wrapped for a counter’s public key', [
      'key_id',
      'counter_id',
      'public_key',
      'wrapped',
      'granted_by',
      'granted_at',
    ]),
  },
  register_identity: {
    requestKey: null,
    columns: allKept('the register’s own random id', ['only_row', 'id']),
  },
  sealing_key: {
    requestKey: null,
    columns: allKept('the sealing key of before, encrypted by one PC’s OS keystore, until moved in', [
      'id',
      'wrapped',
      'created_at',
    ]),
  },
  catalog_services: {
    requestKey: null,
    columns: allKept('Openapi’s catalog', ['environment', 'hash', 'nome', 'categoria', 'position']),
  },
  catalog_details: {
    requestKey: null,
    columns: allKept('Openapi’s catalog', ['environment', 'hash', 'detail_json', 'fetched_at']),
  },
  catalog_meta: { requestKey: null, columns: allKept('Openapi’s catalog', ['environment', 'fetched_at']) },
  sqlite_sequence: { requestKey: null, columns: allKept('SQLite’s counters', ['name', 'seq']) },
  // The search index holds trigrams of names and codici fiscali: a purge rewrites the row's text
  // (triggers of migration 003) and then merges the index, dropping the old entries for good.
  requests_text: {
    requestKey: null,
    columns: { body: { keep: 'rebuilt from the purged row, then merged' } },
  },
} as const satisfies Record<string, TableDecisions>;

/**
 * The tables whose rows a purge rewrites or deletes: what is compacted after it (the register's
 * compactAfterPurge), so that the old versions of those rows are gone from the disk too.
 */
export type PurgedTable =
  'requests' | 'events' | 'attachments' | 'documents' | 'client_consents' | 'client_files';

/** What purging a request, or deleting a draft, writes. */
export const REQUEST_TABLES: readonly PurgedTable[] = ['requests', 'events', 'attachments', 'documents'];

/** What the retention of documents on file and consents writes (main/clients/files.ts). */
export const CLIENT_TABLES: readonly PurgedTable[] = ['client_consents', 'client_files'];

/** The FTS5 tables that hold requests_text's index. */
export const INDEX_SHADOW_TABLES = /^requests_text_(config|data|docsize|idx|content)$/;

function allKept(why: string, columns: string[]): Record<string, Decision> {
  return Object.fromEntries(columns.map((c) => [c, { keep: why }]));
}

/**
 * Keys of the trail's event data that are never personal, with the type their value must have:
 * codes, ids, counts, amounts, states. Anything else (a cancellation reason, an esito, a file name,
 * a key added later) goes at purge.
 */
export const TRAIL_KEYS: Readonly<Record<string, 'string' | 'number' | 'boolean'>> = {
  service: 'string',
  environment: 'string',
  total: 'number',
  confirmed: 'boolean',
  remoteId: 'string',
  stato: 'string',
  from: 'string',
  to: 'string',
  phase: 'string',
  code: 'string',
  files: 'number',
  inApp: 'boolean',
  folder: 'boolean',
  kind: 'string',
  rows: 'number',
  draft: 'string',
  reason: 'string',
  retentionDays: 'number',
  idRicerca: 'string',
  indice: 'number',
  price: 'number',
  choice: 'string',
  adopted: 'boolean',
  ambiguous: 'boolean',
};

/** The UPDATE statements that purge one request (one `?`: its id), from the decisions above. */
export function purgeStatements(): string[] {
  const statements: string[] = [];
  for (const [table, decisions] of Object.entries(PERSONAL_DATA) as [string, TableDecisions][]) {
    if (!decisions.requestKey) continue;
    const sets = Object.entries(decisions.columns).flatMap(([column, decision]) =>
      'erase' in decision ? [`${column} = ${decision.erase}`] : [],
    );
    if (sets.length)
      statements.push(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${decisions.requestKey} = ?`);
  }
  return statements;
}

/** The trail's data of an event with only TRAIL_KEYS (null when nothing stays). */
export function scrubTrail(json: string | null): string | null {
  if (json === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  const kept = Object.entries(data).filter(
    ([key, value]) => Object.hasOwn(TRAIL_KEYS, key) && typeof value === TRAIL_KEYS[key],
  );
  return kept.length ? JSON.stringify(Object.fromEntries(kept)) : null;
}
