import { AppError } from '../errors.ts';

export type ScannerBackend = 'sane' | 'wia' | 'escl';
export type ColourMode = 'color' | 'gray' | 'lineart';
export type ScanSource = 'flatbed' | 'adf' | 'adf-duplex';

export interface ScannerCapabilities {
  /** Offered resolutions in dpi, ascending (a continuous range is reduced to the usual steps). */
  resolutions: number[];
  modes: ColourMode[];
  sources: ScanSource[];
  duplex: boolean;
}

export interface ScannerDevice {
  /** Unique across backends: `<backend>:<the backend's own id>`. */
  id: string;
  name: string;
  backend: ScannerBackend;
  capabilities: ScannerCapabilities;
}

export interface ScanOptions {
  resolution: number;
  mode: ColourMode;
  source: ScanSource;
}

export type ScanMime = 'image/png' | 'image/jpeg' | 'application/pdf' | 'image/tiff';

export interface ScannedPage {
  bytes: Uint8Array;
  mime: ScanMime;
}

export interface ScanProgress {
  /** 1-based page being scanned. */
  page: number;
  /** 0–100 within the page, when the backend tells. */
  percent: number | null;
}

export interface ScanControl {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ScanProgress) => void) | undefined;
}

/** The port: one device list and "scan now", whatever drives the hardware. */
export interface Scanner {
  list(): Promise<ScannerDevice[]>;
  scan(deviceId: string, options: ScanOptions, control?: ScanControl): Promise<ScannedPage[]>;
}

/** One backend behind the composite; it only sees its own devices. */
export interface ScannerAdapter extends Scanner {
  readonly backend: ScannerBackend;
}

/** Why a scanner could not be used: the AppError details every scanning failure carries. */
export type ScanFailureReason =
  | 'missing_tool'
  | 'no_device'
  | 'busy'
  | 'jammed'
  | 'no_documents'
  | 'cover_open'
  | 'unsupported'
  | 'cancelled'
  | 'timeout'
  | 'failed';

export function scanError(
  reason: ScanFailureReason,
  message: string,
  options: { cause?: unknown; details?: Record<string, unknown> } = {},
): AppError {
  const code = reason === 'unsupported' ? 'invalid_argument' : 'scanner_unavailable';
  return new AppError(code, message, { cause: options.cause, details: { reason, ...options.details } });
}

/** What a device list found, with the reasons some backends found nothing (shown to the clerk). */
export interface ScannerSurvey {
  devices: ScannerDevice[];
  problems: { backend: ScannerBackend; reason: ScanFailureReason; message: string }[];
}

export const NO_SCANNER_MESSAGE =
  'Nessuno scanner trovato: verificate che sia acceso e collegato, oppure usate la cartella delle scansioni';

/** Merges every backend's devices; a backend that fails (tool missing) never hides the others. */
export class CompositeScanner implements Scanner {
  private readonly adapters: readonly ScannerAdapter[];

  constructor(adapters: readonly ScannerAdapter[]) {
    this.adapters = adapters;
  }

  async list(): Promise<ScannerDevice[]> {
    return (await this.survey()).devices;
  }

  async survey(): Promise<ScannerSurvey> {
    const settled = await Promise.allSettled(this.adapters.map((adapter) => adapter.list()));
    const survey: ScannerSurvey = { devices: [], problems: [] };
    settled.forEach((outcome, i) => {
      const backend = this.adapters[i]!.backend;
      if (outcome.status === 'fulfilled') {
        survey.devices.push(...outcome.value.filter((d) => d.backend === backend));
        return;
      }
      const error = outcome.reason as unknown;
      const reason = (error instanceof AppError && (error.details?.reason as ScanFailureReason)) || 'failed';
      const message = error instanceof AppError ? error.message : `Scanner ${backend}: errore imprevisto`;
      survey.problems.push({ backend, reason, message });
    });
    return survey;
  }

  async scan(deviceId: string, options: ScanOptions, control: ScanControl = {}): Promise<ScannedPage[]> {
    const backend = deviceId.slice(0, deviceId.indexOf(':'));
    const adapter = this.adapters.find((a) => a.backend === backend);
    if (!adapter) throw scanError('no_device', `Scanner non disponibile: ${deviceId}`);
    return adapter.scan(deviceId, options, control);
  }
}

/** The backend's own id out of a composite id, checking it belongs to that backend. */
export function nativeId(deviceId: string, backend: ScannerBackend): string {
  const prefix = `${backend}:`;
  if (!deviceId.startsWith(prefix)) throw scanError('no_device', `Scanner non disponibile: ${deviceId}`);
  return deviceId.slice(prefix.length);
}

/** Usual scanner steps, used to turn a "75..1200" range into a short list for the clerk. */
export const COMMON_RESOLUTIONS = [75, 100, 150, 200, 300, 400, 600, 1200];

export function resolutionsInRange(min: number, max: number): number[] {
  const steps = COMMON_RESOLUTIONS.filter((r) => r >= min && r <= max);
  return steps.length ? steps : [Math.max(min, Math.min(max, 300))];
}

/** The offered resolution nearest to the wanted one (a clerk's 300 on a 240/320 device → 320). */
export function nearestResolution(offered: readonly number[], wanted: number): number {
  let best = offered[0] ?? wanted;
  for (const r of offered) if (Math.abs(r - wanted) < Math.abs(best - wanted)) best = r;
  return best;
}
