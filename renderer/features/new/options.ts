import { prettifyName } from '../../lib/format.ts';

/** A service option as the clerk reads it ("urgenza" → "Urgenza"). */
export function optionLabel(t: (k: string) => string, tipo: string): string {
  const known: Record<string, string> = {
    urgenza: 'draft.option.urgenza',
    assistenza_dedicata: 'draft.option.assistenza_dedicata',
  };
  return known[tipo] ? t(known[tipo]) : prettifyName(tipo);
}
