import { z } from 'zod';
import { environmentSchema } from './environments.ts';

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
  /** Minutes between status checks of a request once its first quick checks are done. */
  pollMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Purge outputs and personal data of requests older than this many days; 0 = never. */
  retentionDays: z.number().int().min(0).max(36500),
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
