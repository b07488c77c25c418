import { z } from 'zod';
import { bytesSchema } from './requests.ts';

/*
 * What the scanning channels carry: scanners and their options, the scans the watched folder
 * found, the mandato PDF (what a card's barcode says is in reading.ts). Plain data only; main's
 * scanning services (main/scanning/) have the same shapes as TypeScript types.
 */

export const scannerBackends = ['sane', 'wia', 'escl'] as const;
export const scannerBackendSchema = z.enum(scannerBackends);
export type ScannerBackend = z.infer<typeof scannerBackendSchema>;

export const colourModes = ['color', 'gray', 'lineart'] as const;
export const colourModeSchema = z.enum(colourModes);
export type ColourMode = z.infer<typeof colourModeSchema>;

/** Flatbed glass, document feeder, feeder both sides. */
export const scanSources = ['flatbed', 'adf', 'adf-duplex'] as const;
export const scanSourceSchema = z.enum(scanSources);
export type ScanSource = z.infer<typeof scanSourceSchema>;

export const scannerCapabilitiesSchema = z.object({
  /** dpi, ascending. */
  resolutions: z.array(z.number().int()),
  modes: z.array(colourModeSchema),
  sources: z.array(scanSourceSchema),
  duplex: z.boolean(),
});
export type ScannerCapabilities = z.infer<typeof scannerCapabilitiesSchema>;

/** `<backend>:<the backend's own id>`, e.g. `sane:test`, `wia:{…}`, `escl:http://10.0.0.5/eSCL`. */
export const scannerIdSchema = z
  .string()
  .max(2048)
  .regex(/^(sane|wia|escl):\S.*$/, 'Scanner non valido');

export const scannerDeviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  backend: scannerBackendSchema,
  capabilities: scannerCapabilitiesSchema,
});
export type ScannerDevice = z.infer<typeof scannerDeviceSchema>;

/** Why one backend found nothing (tool missing, …), in Italian for the clerk. */
export const scannerProblemSchema = z.object({
  backend: scannerBackendSchema,
  reason: z.string(),
  message: z.string(),
});
export type ScannerProblem = z.infer<typeof scannerProblemSchema>;

export const scannerSurveySchema = z.object({
  devices: z.array(scannerDeviceSchema),
  problems: z.array(scannerProblemSchema),
});
export type ScannerSurvey = z.infer<typeof scannerSurveySchema>;

export const scanOptionsSchema = z
  .object({
    /** dpi; the device's nearest offered value is used. */
    resolution: z.number().int().min(25).max(4800),
    mode: colourModeSchema,
    source: scanSourceSchema,
  })
  .strict();
export type ScanOptions = z.infer<typeof scanOptionsSchema>;

/** Pushed while a scan runs (event `scanProgress`). */
export const scanProgressSchema = z.object({
  deviceId: z.string(),
  /** 1-based page being scanned. */
  page: z.number().int(),
  /** 0–100 within the page, null when the device does not tell. */
  percent: z.number().nullable(),
});
export type ScanProgress = z.infer<typeof scanProgressSchema>;

/** A file of the watched scan folder, ready to go into a slot (its path stays in main). */
export const recentScanSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int(),
  /** Modification time, epoch ms. */
  mtime: z.number(),
  mime: z.string(),
});
export type RecentScan = z.infer<typeof recentScanSchema>;

/** The watched folder's state, for the "Scansioni recenti" tray and the settings page. */
export const scanFolderStatusSchema = z.object({
  folder: z.string().nullable(),
  watching: z.boolean(),
  /** Why the folder is not watched (missing, unreadable), in Italian; null when all is well. */
  problem: z.string().nullable(),
});
export type ScanFolderStatus = z.infer<typeof scanFolderStatusSchema>;

/** A generated document to print (the mandato). */
export const generatedPdfSchema = z.object({
  name: z.string(),
  data: bytesSchema,
});
export type GeneratedPdf = z.infer<typeof generatedPdfSchema>;
