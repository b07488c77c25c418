import { describe, expect, it } from 'vitest';
import {
  CLERK_STATE_WORDS,
  clerkState,
  clerkStates,
  SERVICE_PHASE,
  stateForClient,
  type StateInput,
} from '../../../common/request-states.ts';
import { PHASE_NAMES } from '../../../main/engine/engine.ts';
import { it as italian } from '../../../renderer/i18n/it.ts';
import { en } from '../../../renderer/i18n/en.ts';

/** A request as the service left it, with nothing for the clerk to do. */
const quiet: StateInput = {
  status: 'pending',
  remoteState: 'In erogazione',
  esito: { codice: '0', info: '' },
  lastError: null,
  documentsState: 'none',
  needsAttention: false,
};

describe('the clerk’s words for where a request is', () => {
  it('says Bozza for a draft, whatever went wrong at its last send', () => {
    expect(clerkState({ ...quiet, status: 'draft' })).toBe('bozza');
    expect(clerkState({ ...quiet, status: 'draft', lastError: { code: 'network' } })).toBe('bozza');
  });

  it('says In invio while it is being sent, Da verificare once sending failed or is uncertain', () => {
    for (const status of ['sending', 'open'] as const) {
      expect(clerkState({ ...quiet, status, needsAttention: true })).toBe('in_invio');
      expect(
        clerkState({ ...quiet, status, needsAttention: true, lastError: { code: 'needs_decision' } }),
      ).toBe('da_verificare');
    }
  });

  it('says In lavorazione whatever the service calls its phase, Da verificare when the clerk must act', () => {
    for (const remoteState of [null, 'In ricerca', 'In erogazione', 'Dati disponibili'])
      expect(clerkState({ ...quiet, remoteState })).toBe('in_lavorazione');
    // A search result to choose, an error: the clerk's turn.
    expect(clerkState({ ...quiet, remoteState: 'In ricerca', needsAttention: true })).toBe('da_verificare');
  });

  it('says Pronta while more outputs may come, Completata once the service is done, Da verificare if they did not download', () => {
    expect(clerkState({ ...quiet, status: 'done', remoteState: 'Dati disponibili' })).toBe('pronta');
    expect(clerkState({ ...quiet, status: 'done', remoteState: 'Visura evasa' })).toBe('completata');
    expect(clerkState({ ...quiet, status: 'done', remoteState: null })).toBe('completata');
    expect(
      clerkState({
        ...quiet,
        status: 'done',
        remoteState: 'Visura evasa',
        documentsState: 'failed',
        needsAttention: true,
      }),
    ).toBe('da_verificare');
  });

  it('tells a refusal by the CAF/Patronato (Respinta) from a cancellation (Annullata)', () => {
    expect(clerkState({ ...quiet, status: 'cancelled', remoteState: 'Annullata' })).toBe('annullata');
    expect(clerkState({ ...quiet, status: 'cancelled', esito: null })).toBe('annullata');
    expect(
      clerkState({ ...quiet, status: 'cancelled', esito: { codice: '12', info: 'Codice fiscale errato' } }),
    ).toBe('respinta');
  });

  it('tells the client where the request stands, not what the office must still do about it', () => {
    const attention = { lastError: { code: 'network' as const }, needsAttention: true };
    expect(stateForClient({ ...quiet, ...attention })).toBe('in_lavorazione');
    expect(stateForClient({ ...quiet, status: 'open', ...attention })).toBe('in_invio');
    expect(
      stateForClient({
        ...quiet,
        status: 'done',
        remoteState: 'Visura evasa',
        documentsState: 'failed',
        ...attention,
      }),
    ).toBe('completata');
  });

  it('reads the service’s phases by the very words the engine knows them by', () => {
    expect(SERVICE_PHASE.searching).toBe(PHASE_NAMES.searching);
    expect(SERVICE_PHASE.outputsPartial).toBe(PHASE_NAMES.outputs_partial);
  });

  it('has one word per state, in sentence case, the same in the Italian screens; English has each too', () => {
    expect(Object.keys(CLERK_STATE_WORDS)).toEqual([...clerkStates]);
    for (const state of clerkStates) {
      const word = CLERK_STATE_WORDS[state];
      expect(word.charAt(0)).toBe(word.charAt(0).toUpperCase());
      expect(word.slice(1)).toBe(word.slice(1).toLowerCase());
      expect(italian.state[state]).toBe(word);
      expect(italian.stateHint[state]).toBeTruthy();
      expect(en.state?.[state]).toBeTruthy();
    }
  });
});
