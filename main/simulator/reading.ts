/*
 * The readings of the spec the simulator can play. Where visengine.openapi.json and the seed pages
 * are silent, the real service may behave either way (VISENGINE.md, "What the spec leaves open"):
 * the client must be right under every reading, so the simulator plays each one, chosen per run
 * (`npm run simulator -- --reading …`, `POST /__sim/reading`, or the constructor), and the money
 * tests run across them. The default is the behaviour the simulator always had.
 */

export interface SpecReading {
  /**
   * When the wallet pays: when the request is closed (PUT `state:1`, or a POST with `state` 1), or
   * already when it is created open (POST `state:0`). Nothing says an open request is free; 402 is
   * listed on POST /richiesta only.
   */
  charge: 'close' | 'open';
  /**
   * Whether answers echo the submitted fields in `ricerche[0].json_ricerca`. Only the Camerali
   * examples do; the Patronato answers of the seeds carry `"ricerche": []`.
   */
  echo: 'ricerche' | 'none';
  /**
   * `opzioni` in answers, typed as an array of options with every example null: the chosen ones
   * (null when none), always null, or every option the service has.
   */
  opzioni: 'chosen' | 'null' | 'all';
  /**
   * The answer to a `test:true` POST, which the spec describes only as "simulates the validation and
   * returns the prices": the request as it would be (`_id` null), only the prices, the request with
   * prices as strings ("14,70"), or no data at all (validation only).
   */
  priceCheck: 'request' | 'prices' | 'strings' | 'empty';
  /** Whether answers carry `state` (every example does; the schema does not require it). */
  state: 'present' | 'absent';
  /**
   * A PUT on an open request that was cancelled: 400/239 "already closed", as for a closed (paid)
   * one, or 404/228 "no request matches this id".
   */
  cancelledPut: 'already-closed' | 'not-found';
  /** `dimensione` of GET /documento: the zip's bytes, the length of the base64 text, or absent. */
  dimensione: 'bytes' | 'base64' | 'absent';
  /**
   * When outputs appear: all at "Visura evasa", or the first already at "Dati disponibili" (which
   * VISENGINE.md counts as done when `allegati` is not empty) and the rest at "Visura evasa".
   */
  outputs: 'evasa' | 'staged';
  /**
   * `DELETE /richiesta/{id}` (cancel), not in the published spec (seen in an older PHP SDK):
   * answered, or unknown to the service (404, no route).
   */
  delete: 'supported' | 'absent';
  /**
   * What an open request (state 0) of a service without a search step reads: "In ricerca", or
   * already "In erogazione" with its `timestamp_stati.in_erogazione` set — the spec's `state` is
   * the transaction, `stato_richiesta` only the phase, and nothing ties one to the other.
   */
  openPhase: 'in-ricerca' | 'in-erogazione';
  /**
   * Whether a `test:true` price check validates the data (the spec: "simulates the validation of
   * the data and also returns the prices") or, as PutBody says of an open request, validates
   * nothing until the request is closed: the data's error then comes at the closing PUT.
   */
  testCheck: 'data' | 'none';
}

export const READING_CHOICES = {
  charge: ['close', 'open'],
  echo: ['ricerche', 'none'],
  opzioni: ['chosen', 'null', 'all'],
  priceCheck: ['request', 'prices', 'strings', 'empty'],
  state: ['present', 'absent'],
  cancelledPut: ['already-closed', 'not-found'],
  dimensione: ['bytes', 'base64', 'absent'],
  outputs: ['evasa', 'staged'],
  delete: ['supported', 'absent'],
  openPhase: ['in-ricerca', 'in-erogazione'],
  testCheck: ['data', 'none'],
} as const satisfies { [K in keyof SpecReading]: readonly SpecReading[K][] };

/** What the simulator always did: the default of every run. */
export const DEFAULT_READING: SpecReading = {
  charge: 'close',
  echo: 'ricerche',
  opzioni: 'chosen',
  priceCheck: 'request',
  state: 'present',
  cancelledPut: 'already-closed',
  dimensione: 'bytes',
  outputs: 'evasa',
  delete: 'supported',
  openPhase: 'in-ricerca',
  testCheck: 'data',
};

/**
 * The reading where today's guesses hurt most: charged at creation, nothing echoed, every option
 * listed, no `state`, an open request that already reads "In erogazione", and a price check that
 * validates nothing.
 */
export const LEAST_CONVENIENT: SpecReading = {
  charge: 'open',
  echo: 'none',
  opzioni: 'all',
  priceCheck: 'empty',
  state: 'absent',
  cancelledPut: 'already-closed',
  dimensione: 'absent',
  outputs: 'staged',
  delete: 'absent',
  openPhase: 'in-erogazione',
  testCheck: 'none',
};

export const READING_PRESETS: Record<string, SpecReading> = {
  default: DEFAULT_READING,
  'least-convenient': LEAST_CONVENIENT,
};

/**
 * A reading from its text form: a preset name, or `key=value` pairs separated by commas over the
 * default (e.g. `charge=open,echo=none`), or both (`least-convenient,state=present`).
 */
export function parseReading(text: string): SpecReading {
  const reading: SpecReading = { ...DEFAULT_READING };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const preset = READING_PRESETS[part];
    if (preset) {
      Object.assign(reading, preset);
      continue;
    }
    const [key, value] = part.split('=').map((s) => s.trim());
    Object.assign(reading, checkedPair(key ?? '', value ?? ''));
  }
  return reading;
}

/** Merges a partial reading (from the admin endpoint) after checking every key and value. */
export function mergeReading(base: SpecReading, patch: Record<string, unknown>): SpecReading {
  const next = { ...base };
  for (const [key, value] of Object.entries(patch)) Object.assign(next, checkedPair(key, String(value)));
  return next;
}

/** `charge=open,echo=none,…`: how a run names its reading in logs and test titles. */
export function describeReading(reading: SpecReading): string {
  return (Object.keys(READING_CHOICES) as (keyof SpecReading)[])
    .map((key) => `${key}=${reading[key]}`)
    .join(',');
}

function checkedPair(key: string, value: string): Partial<SpecReading> {
  if (!(key in READING_CHOICES)) {
    throw new Error(
      `Lettura sconosciuta «${key}»: usate ${Object.keys(READING_CHOICES).join(', ')} o ${Object.keys(READING_PRESETS).join(', ')}`,
    );
  }
  const allowed = READING_CHOICES[key as keyof SpecReading] as readonly string[];
  if (!allowed.includes(value))
    throw new Error(`Valore «${value}» non valido per ${key}: ammessi ${allowed.join(', ')}`);
  return { [key]: value };
}

/** The dimensions that decide money: every combination of these is in the test matrix. */
const MONEY_DIMENSIONS = [
  'charge',
  'echo',
  'opzioni',
  'openPhase',
] as const satisfies readonly (keyof SpecReading)[];

/**
 * The readings the money tests run under: every combination of the dimensions that decide money
 * (charge × echo × opzioni × openPhase), the other dimensions filled so that every pair of values
 * of any two dimensions appears at least once (a pairwise covering set: the full product has 2 304
 * readings).
 * Built greedily and deterministically, so every run tests the same set.
 */
export function matrixReadings(): SpecReading[] {
  const keys = Object.keys(READING_CHOICES) as (keyof SpecReading)[];
  const values = keys.map((k) => READING_CHOICES[k] as readonly string[]);
  const pairKey = (i: number, a: string, j: number, b: string) =>
    i < j ? `${i}=${a}|${j}=${b}` : `${j}=${b}|${i}=${a}`;
  const uncovered = new Set<string>();
  for (let i = 0; i < keys.length; i++)
    for (let j = i + 1; j < keys.length; j++)
      for (const a of values[i]!) for (const b of values[j]!) uncovered.add(pairKey(i, a, j, b));

  /** Fills the unset dimensions one by one with the value covering most uncovered pairs. */
  const complete = (row: (string | null)[]): string[] => {
    for (let i = 0; i < keys.length; i++) {
      if (row[i] !== null) continue;
      let best = values[i]![0]!;
      let bestScore = -1;
      for (const v of values[i]!) {
        let score = 0;
        row.forEach((other, j) => {
          if (j !== i && other !== null && uncovered.has(pairKey(i, v, j, other))) score++;
        });
        if (score > bestScore) [best, bestScore] = [v, score];
      }
      row[i] = best;
    }
    const full = row.map((v) => v ?? '');
    full.forEach((a, i) => full.forEach((b, j) => j > i && uncovered.delete(pairKey(i, a, j, b))));
    return full;
  };

  const rows: string[][] = [];
  const money = MONEY_DIMENSIONS.map((k) => keys.indexOf(k));
  const combos = money.reduce<string[][]>(
    (acc, i) => acc.flatMap((prefix) => values[i]!.map((v) => [...prefix, v])),
    [[]],
  );
  for (const combo of combos) {
    const row: (string | null)[] = keys.map(() => null);
    money.forEach((i, n) => (row[i] = combo[n]!));
    rows.push(complete(row));
  }
  while (uncovered.size) {
    const [first] = uncovered;
    const m = /^(\d+)=(.*)\|(\d+)=(.*)$/.exec(first!)!;
    const row: (string | null)[] = keys.map(() => null);
    row[Number(m[1])] = m[2]!;
    row[Number(m[3])] = m[4]!;
    rows.push(complete(row));
  }
  return rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i]])) as unknown as SpecReading);
}
