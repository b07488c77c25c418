import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

/** The sigle in use (ISTAT / targhe), with `EE` for residence abroad. */
const CURRENT = `AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CL CN CO CR CS CT CZ EN FC
FE FG FI FM FR GE GO GR IM IS KR LC LE LI LO LT LU MB MC ME MI MN MO MS MT NA NO NU OR PA PC PD PE PG PI PN PO
PR PT PU PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR SS SU SV TA TE TN TO TP TR TS TV UD VA VB VC VE VI VR VT
VV EE`;

/**
 * Sardinia's 2005–2016 provinces (Carbonia-Iglesias, Medio Campidano, Ogliastra, Olbia-Tempio):
 * abolished, but still printed on documents clients bring, and Sardinia is re-drawing its
 * provinces again (L.R. 9/2023). Refusing them would block a client over a detail the API itself
 * only checks as "two letters".
 */
const SARDINIAN_HISTORIC = 'CI VS OG OT';

export const PROVINCE_SIGLE: ReadonlySet<string> = new Set(`${CURRENT} ${SARDINIAN_HISTORIC}`.split(/\s+/));

export function checkCodProvincia(input: string): Check {
  const value = input.trim().toUpperCase();
  if (value === '') return refuse('provincia.empty', 'Sigla della provincia mancante');
  if (!/^[A-Z]{2}$/.test(value))
    return refuse('provincia.format', 'La provincia si indica con la sigla di due lettere (es. RM)');
  if (!PROVINCE_SIGLE.has(value)) {
    return refuse('provincia.unknown', `Sigla di provincia sconosciuta: ${value}`, { sigla: value });
  }
  return accept(value);
}
