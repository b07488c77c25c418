import { z } from 'zod';
import { environmentSchema } from './environments.ts';
import { numberPrefixSchema } from './pratica-number.ts';

export const languages = ['it', 'en'] as const;
export const languageSchema = z.enum(languages);
export type Language = z.infer<typeof languageSchema>;

/** The office's preferences. Stored by main (electron-store); no secret ever lives here. */
export const preferencesSchema = z.object({
  environment: environmentSchema,
  /** Folder where finished outputs are archived, one sub-folder per client. */
  archiveRoot: z.string().min(1),
  operatorName: z.string().max(120),
  /** This counter's name in the office ("Sportello 2"): the trail records it; empty = the PC's name. */
  counterName: z.string().max(60),
  officeName: z.string().max(200),
  /** The office's address, printed on the receipt under its name. */
  officeAddress: z.string().max(300),
  /** The start of the pratica numbers given at this counter ("RM1" → "RM1-2026-000123"). */
  numberPrefix: numberPrefixSchema,
  /** What the office asks the client for a service it has no price of its own for (euro; 0: free). */
  clientPriceDefault: z.number().min(0).max(100_000),
  /** What the office asks the client, by service (catalog hash → euro; 0: free, as Patronato services often are). */
  clientPrices: z
    .record(z.string().regex(/^[0-9a-z]{32}$/i), z.number().min(0).max(100_000))
    .refine((prices) => Object.keys(prices).length <= 500, 'Troppi prezzi per servizio'),
  /** The receipt also prints what Openapi charges the office for the request (net, IVA, total). */
  receiptShowsCost: z.boolean(),
  /** Minutes between status checks of a request once its first quick checks are done. */
  pollMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Purge outputs and personal data of requests older than this many days; 0 = never. */
  retentionDays: z.number().int().min(0).max(36500),
  /**
   * Whether someone chose `retentionDays` (the first start asks): 0 alone cannot tell "never purge,
   * on purpose" from "never asked", which is what every install before this flag holds.
   */
  retentionAsked: z.boolean(),
  language: languageSchema,
  notifications: z.boolean(),
  /** A folder the office scanner saves into; its new files appear in "Scansioni recenti". */
  watchFolder: z.string().nullable(),
  /** Network scanners (eSCL / AirScan) by address, e.g. `http://192.168.1.20/eSCL`. */
  esclScanners: z
    .array(z.url({ protocol: /^https?$/, error: 'Indirizzo dello scanner non valido' }).max(2048))
    .max(20),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/**
 * What the page may change. The archive and the watched folder are chosen only in main's folder
 * dialog (`settings.chooseFolder`): the page may stop watching a folder, never name one.
 */
export const preferencesPatchSchema = preferencesSchema
  .omit({ archiveRoot: true, watchFolder: true })
  .extend({ watchFolder: z.null() })
  .partial()
  .strict();
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

/** The settings whose folder only main's folder dialog sets. */
export const folderSettingSchema = z.enum(['archiveRoot', 'watchFolder']);

/** The Openapi wallet's remaining credit (euro), and where it was learnt; all null when unknown. */
export const creditSchema = z.object({
  credit: z.number().finite().nullable(),
  /** `wallet`: read from the account's wallet; `error`: from a "credito insufficiente" answer. */
  source: z.enum(['wallet', 'error']).nullable(),
  /** When it was learnt (ms since the epoch). */
  at: z.number().nullable(),
});
export type Credit = z.infer<typeof creditSchema>;

/** Days the first start suggests keeping a request's documents and personal data: 5 years (DOMAIN.md). */
export const SUGGESTED_RETENTION_DAYS = 5 * 365;

/** What the office asks the client for a service: its own price, or the default. */
export function clientPriceOf(
  preferences: Pick<Preferences, 'clientPrices' | 'clientPriceDefault'>,
  serviceHash: string,
): number {
  return preferences.clientPrices[serviceHash] ?? preferences.clientPriceDefault;
}
