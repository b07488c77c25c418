/*
 * Birthplace names from Belfiore codes. The embedded table of @marketto/belfiore-connector-embedded
 * is ~230 KB of minified script (~100 KB gzipped) evaluated on import, and its lookups are async
 * anyway: it is loaded on first use through a dynamic import, so bundlers split it out of the
 * code that validates as the clerk types.
 */

import type { BelfioreConnector } from '@marketto/belfiore-connector-embedded';

let connector: Promise<BelfioreConnector> | null = null;

function load(): Promise<BelfioreConnector> {
  connector ??= import('@marketto/belfiore-connector-embedded').then((m) => m.belfioreConnector);
  // A failed load (e.g. a chunk missing after an update) must not poison every later lookup.
  connector.catch(() => {
    connector = null;
  });
  return connector;
}

/**
 * The name of the comune or foreign country for a Belfiore code (`H501` → "Roma", `Z129` →
 * "Romania"); null when the code is unknown. Codes of merged comuni still resolve to their
 * historic name, which is what a birth certificate says.
 */
export async function lookupPlace(code: string): Promise<string | null> {
  const normalised = code.trim().toUpperCase();
  if (!/^[A-Z][0-9]{3}$/.test(normalised)) return null;
  const place = await (await load()).findByCode(normalised);
  return place?.name ?? null;
}
