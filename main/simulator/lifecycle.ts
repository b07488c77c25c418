import { STATI } from '../engine/visengine/schemas.ts';

/** How long a closed request stays in each state. Prova uses seconds; tests step a manual clock. */
export interface Durations {
  /** From "In erogazione" to "Dati disponibili" (or "Annullata" when the outcome is a refusal). */
  toDatiDisponibili: number;
  /** From "Dati disponibili" to "Visura evasa". */
  toEvasa: number;
}

export const PROVA_DURATIONS: Durations = { toDatiDisponibili: 4_000, toEvasa: 4_000 };

export interface Refusal {
  codice: string;
  info: string;
}

/** The fields of a simulated request that decide where it is in its life. */
export interface LifecycleFacts {
  state: 0 | 1;
  ricerca: boolean;
  createdAt: number;
  closedAt: number | null;
  /** For search services, processing starts when a result is chosen. */
  chosenAt: number | null;
  cancelledAt: number | null;
  refusal: Refusal | null;
}

export interface LifecyclePosition {
  stato: string;
  /** Unix seconds of each state reached, as the API reports them. */
  timestampStati: Record<string, number>;
  lastChange: number;
  outputsReady: boolean;
  esito: Refusal;
}

const OK: Refusal = { codice: '0', info: 'OK' };
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Where a request stands at `now`: derived from its facts, so a stepped clock moves it. `open`: what
 * an open request (state 0) of a service without a search step reads — "In ricerca", or already "In
 * erogazione" with its stamp (the `openPhase` reading).
 */
export function positionAt(
  facts: LifecycleFacts,
  durations: Durations,
  now: number,
  open: 'in-ricerca' | 'in-erogazione' = 'in-ricerca',
): LifecyclePosition {
  const stamps: Record<string, number> = { in_ricerca: seconds(facts.createdAt) };
  const openErogazione = open === 'in-erogazione' && !facts.ricerca && facts.state === 0;
  if (openErogazione) stamps.in_erogazione = seconds(facts.createdAt);
  const at = (stato: string, when: number, extra: Partial<LifecyclePosition> = {}): LifecyclePosition => ({
    stato,
    timestampStati: stamps,
    lastChange: when,
    outputsReady: false,
    esito: OK,
    ...extra,
  });

  if (facts.cancelledAt !== null && facts.cancelledAt <= now) {
    stamps.annullata = seconds(facts.cancelledAt);
    return at(STATI.annullata, facts.cancelledAt, { esito: { codice: '0', info: 'Annullata su richiesta' } });
  }
  if (facts.state === 0 || facts.closedAt === null)
    return at(openErogazione ? STATI.inErogazione : STATI.inRicerca, facts.createdAt);

  const start = facts.ricerca ? facts.chosenAt : facts.closedAt;
  if (start === null) return at(STATI.inRicerca, facts.closedAt);

  stamps.in_erogazione = seconds(start);
  const datiAt = start + durations.toDatiDisponibili;
  if (now < datiAt) return at(STATI.inErogazione, start);

  if (facts.refusal) {
    stamps.annullata = seconds(datiAt);
    return at(STATI.annullata, datiAt, { esito: facts.refusal });
  }
  stamps.dati_disponibili = seconds(datiAt);
  const evasaAt = datiAt + durations.toEvasa;
  if (now < evasaAt) return at(STATI.datiDisponibili, datiAt);
  stamps.visura_evasa = seconds(evasaAt);
  return at(STATI.evasa, evasaAt, { outputsReady: true });
}
