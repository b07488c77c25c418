import type { HandlersOf } from '../dispatch.ts';
import type { MandatoService } from './service.ts';

/** `mandato.*`: the mandato prefilled with a draft's client and service, to print and sign. */
export function mandatoHandlers(mandati: MandatoService): HandlersOf<'mandato'> {
  return { 'mandato.generate': async (id) => mandati.forDraft(id) };
}
