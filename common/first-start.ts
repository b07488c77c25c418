import type { Preferences } from './settings.ts';

/*
 * Apart from settings.ts and its zod schemas: the frame asks this on every start, and the first
 * screen's code carries no validator library for one check.
 */

/**
 * Whether the first start must still ask the office's data (name, prefix of the numbers) or the
 * retention period: never given, or emptied since.
 */
export function firstStartPending(
  preferences: Pick<Preferences, 'officeName' | 'numberPrefix' | 'retentionAsked'>,
): boolean {
  return !preferences.officeName.trim() || !preferences.numberPrefix || !preferences.retentionAsked;
}
