import { createHash } from 'node:crypto';
import type { MandatoCode } from '../../common/reading.ts';

/*
 * The code the app prints on every page of its mandato (main/mandato/mandato.ts) and reads back
 * from the signed scan: the draft it was printed for and a short key of the client. The key is
 * six characters of a hash of the codice fiscale, enough to tell one client's mandato from
 * another's, too short to give the code back. Upper case and digits only, so the QR code stays
 * in its compact alphanumeric mode (version 3, 29 × 29 modules).
 */

const PREFIX = 'SPORTELLO/M1/';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const KEY_LENGTH = 6;

/** The client's short key: six base-32 characters of sha256 over the codice fiscale. */
export function clientKey(codiceFiscale: string): string {
  const digest = createHash('sha256')
    .update(`sportello-mandato:${codiceFiscale.replace(/\s+/g, '').toUpperCase()}`)
    .digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < KEY_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= KEY_LENGTH) break;
  }
  return out;
}

/** What the code carries, as text: `SPORTELLO/M1/<draft id, 32 hex>/<client key>`. */
export function mandatoCodeText(draftId: string, codiceFiscale: string): string {
  const id = draftId.replace(/-/g, '').toUpperCase();
  if (!/^[0-9A-F]{32}$/.test(id)) throw new RangeError('the draft id is not a UUID');
  return `${PREFIX}${id}/${clientKey(codiceFiscale)}`;
}

/** The code's content read from a page; null for any other code (someone else's QR). */
export function parseMandatoCode(text: string): MandatoCode | null {
  const match = /^SPORTELLO\/M1\/([0-9A-F]{32})\/([A-Z2-7]{6})$/.exec(text.trim().toUpperCase());
  if (!match) return null;
  const hex = match[1]!.toLowerCase();
  const draftId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { draftId, clientKey: match[2]! };
}
