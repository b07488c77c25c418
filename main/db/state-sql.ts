import { SERVICE_PHASE, type ClerkState } from '../../common/request-states.ts';

/*
 * The clerk's states (common/request-states.ts clerkState) as SQL conditions on a request's row,
 * for the list's filter on both registers: the same words on the chips as on the rows.
 * test/integration/store/requests.contract.test.ts checks each condition picks exactly the rows
 * clerkState names, on SQLite and on PostgreSQL. Every condition is written so that a NULL never
 * drops a row it should keep (a NULL inside NOT(…) would).
 */

/** How each register reads the code of the service's esito out of its JSON text. */
const ESITO_CODE = {
  sqlite: (esito: string) => `json_extract(${esito}, '$.codice')`,
  postgres: (esito: string) => `((${esito})::json ->> 'codice')`,
};

export type Dialect = keyof typeof ESITO_CODE;

/** The condition for `state`; `column` names a column (with the query's alias, if any). */
export function stateCondition(
  state: ClerkState,
  dialect: Dialect,
  column: (name: string) => string = (name) => name,
): string {
  const status = column('status');
  const lastError = column('last_error');
  const documents = column('documents_state');
  const phase = `coalesce(${column('remote_state')}, '')`;
  const refused = `coalesce(${ESITO_CODE[dialect](column('remote_esito'))}, '0') <> '0'`;
  // rules.ts needsAttention for a request the service accepted (pending, done).
  const attention = `(${lastError} IS NOT NULL OR ${documents} = 'failed'
    OR (${status} = 'pending' AND ${column('search_json')} IS NOT NULL AND ${phase} = '${SERVICE_PHASE.searching}'))`;
  switch (state) {
    case 'bozza':
      return `${status} = 'draft'`;
    case 'in_invio':
      return `(${status} IN ('sending', 'open') AND ${lastError} IS NULL)`;
    case 'da_verificare':
      return `((${status} IN ('sending', 'open') AND ${lastError} IS NOT NULL)
        OR (${status} IN ('pending', 'done') AND ${attention}))`;
    case 'in_lavorazione':
      return `(${status} = 'pending' AND NOT ${attention})`;
    case 'pronta':
      return `(${status} = 'done' AND NOT ${attention} AND ${phase} = '${SERVICE_PHASE.outputsPartial}')`;
    case 'completata':
      return `(${status} = 'done' AND NOT ${attention} AND ${phase} <> '${SERVICE_PHASE.outputsPartial}')`;
    case 'annullata':
      return `(${status} = 'cancelled' AND NOT (${refused}))`;
    case 'respinta':
      return `(${status} = 'cancelled' AND ${refused})`;
  }
}

/** Rows in any of `states`. */
export function statesCondition(
  states: readonly ClerkState[],
  dialect: Dialect,
  column?: (name: string) => string,
): string {
  return `(${states.map((s) => stateCondition(s, dialect, column)).join(' OR ')})`;
}
