import type { HandlersOf } from '../dispatch.ts';
import type { Receipts } from './receipts.ts';

/** `receipt.*`: the one-page receipt for the client at "Pratica inviata". */
export function receiptHandlers(receipts: Receipts): HandlersOf<'receipt'> {
  return { 'receipt.generate': async (id) => receipts.generate(id) };
}
