import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { runTool, ToolError, type ToolRun } from './run-tool.ts';
import {
  nativeId,
  nearestResolution,
  resolutionsInRange,
  scanError,
  type ColourMode,
  type ScanControl,
  type ScannedPage,
  type ScannerAdapter,
  type ScannerCapabilities,
  type ScannerDevice,
  type ScanOptions,
  type ScanSource,
} from './scanner.ts';

export interface SaneOptions {
  /** The scanimage program; a bare name is looked up in PATH. */
  command?: string;
  /**
   * Devices to offer even when `scanimage -L` does not list them: SANE's `test` backend is only
   * listed when enabled in dll.conf, and some network backends are slow to discover.
   */
  extraDevices?: readonly string[];
  /** Directory for the batch files of a scan (removed afterwards); the OS temp dir by default. */
  tempDir?: string;
  /** A listing or a page that prints nothing for this long is given up. */
  listTimeoutMs?: number;
  pageTimeoutMs?: number;
}

export const SCANIMAGE_MISSING = 'Programma scanimage non trovato: installate sane-utils';

/** What a device's own option values are for our modes and sources. */
export interface NativeCapabilities {
  capabilities: ScannerCapabilities;
  modes: Partial<Record<ColourMode, string>>;
  sources: Partial<Record<ScanSource, string>>;
}

/** SANE through the `scanimage` command line (Linux, and macOS with sane-backends). */
export class SaneScanner implements ScannerAdapter {
  readonly backend = 'sane' as const;
  private readonly command: string;
  private readonly extraDevices: readonly string[];
  private readonly tempDir: string | undefined;
  private readonly listTimeoutMs: number;
  private readonly pageTimeoutMs: number;
  private readonly natives = new Map<string, NativeCapabilities>();

  constructor(options: SaneOptions = {}) {
    this.command = options.command ?? 'scanimage';
    this.extraDevices = options.extraDevices ?? [];
    this.tempDir = options.tempDir;
    this.listTimeoutMs = options.listTimeoutMs ?? 30_000;
    this.pageTimeoutMs = options.pageTimeoutMs ?? 120_000;
  }

  async list(): Promise<ScannerDevice[]> {
    const run = await this.run(['-f', '%d\t%v\t%m\t%t%n'], this.listTimeoutMs);
    if (run.code !== 0) throw failure(run, 'Elenco degli scanner SANE non riuscito');
    const found = parseSaneDeviceList(run.stdout.toString('utf8'));
    for (const id of this.extraDevices) {
      if (!found.some((d) => d.id === id)) found.push({ id, name: `SANE ${id}` });
    }
    const devices: ScannerDevice[] = [];
    for (const device of found) {
      try {
        const native = await this.capabilities(device.id, true);
        devices.push({
          id: `sane:${device.id}`,
          name: device.name,
          backend: 'sane',
          capabilities: native.capabilities,
        });
      } catch (error) {
        // A listed device that cannot be opened now (busy, unplugged since) is left out of the list.
        if (!(error instanceof AppError)) throw error;
      }
    }
    return devices;
  }

  async scan(deviceId: string, options: ScanOptions, control: ScanControl = {}): Promise<ScannedPage[]> {
    const device = nativeId(deviceId, 'sane');
    const native = await this.capabilities(device, false);
    const args = scanArguments(device, options, native);
    const dir = await mkdtemp(join(this.tempDir ?? tmpdir(), 'sportello-scan-'));
    try {
      let page = 1;
      const onLine = (line: string) => {
        const progress = /^Progress: ([\d.]+)%/.exec(line);
        const starting = /^Scanning page (\d+)/.exec(line);
        if (starting) page = Number(starting[1]);
        if (progress || starting) {
          control.onProgress?.({ page, percent: progress ? Math.min(100, Number(progress[1])) : 0 });
        }
      };
      const run = await this.run(
        [...args, `--batch=${join(dir, 'page-%04d.png')}`, '--progress'],
        this.pageTimeoutMs,
        { signal: control.signal, onLine },
      );
      const files = (await readdir(dir)).filter((f) => /^page-\d+\.png$/.test(f)).sort();
      const stderr = run.stderr;
      if (run.code !== 0) throw failure(run, 'Scansione non riuscita');
      if (!files.length) {
        if (/out of documents|no docs/i.test(stderr)) {
          throw scanError('no_documents', 'Nessun foglio nel caricatore: inserite i fogli e riprovate');
        }
        throw scanError('failed', 'Lo scanner non ha restituito nessuna pagina', {
          details: { stderr: tail(stderr) },
        });
      }
      const pages: ScannedPage[] = [];
      for (const file of files) pages.push({ bytes: await readFile(join(dir, file)), mime: 'image/png' });
      return pages;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async capabilities(device: string, fresh: boolean): Promise<NativeCapabilities> {
    const cached = this.natives.get(device);
    if (cached && !fresh) return cached;
    const run = await this.run(['-d', device, '-A'], this.listTimeoutMs);
    if (run.code !== 0) throw failure(run, `Scanner ${device} non disponibile`);
    const native = nativeCapabilities(parseSaneOptions(run.stdout.toString('utf8')));
    this.natives.set(device, native);
    return native;
  }

  private async run(
    args: string[],
    idleTimeoutMs: number,
    extra: { signal?: AbortSignal | undefined; onLine?: (line: string) => void } = {},
  ): Promise<ToolRun> {
    try {
      return await runTool(this.command, args, { idleTimeoutMs, signal: extra.signal, onLine: extra.onLine });
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      if (error.failure === 'missing') throw scanError('missing_tool', SCANIMAGE_MISSING, { cause: error });
      if (error.failure === 'aborted') throw scanError('cancelled', 'Scansione annullata', { cause: error });
      throw scanError('timeout', 'Lo scanner non risponde: controllate che sia acceso e collegato', {
        cause: error,
      });
    }
  }
}

/** The `scanimage -f '%d\t%v\t%m\t%t%n'` listing: one device a line. */
export function parseSaneDeviceList(text: string): { id: string; name: string }[] {
  const devices: { id: string; name: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [id, vendor, model, type] = line.split('\t');
    if (!id?.trim() || vendor === undefined) continue;
    const name = [vendor, model].filter((part) => part && part.trim() && part !== 'Noname').join(' ');
    devices.push({ id: id.trim(), name: name.trim() || `${type?.trim() || 'Scanner'} ${id.trim()}` });
  }
  return devices;
}

export interface SaneOption {
  name: string;
  /** Listed values (`Gray|Color`), or empty when the option is a range. */
  values: string[];
  range: { min: number; max: number } | null;
  current: string | null;
  inactive: boolean;
}

/** The device options from `scanimage -A` (or `--help -d`): `    --mode Gray|Color [Gray]`. */
export function parseSaneOptions(text: string): Map<string, SaneOption> {
  const options = new Map<string, SaneOption>();
  const pattern = /^\s+--?([a-z][\w-]*)(?:\[=\(([^)]*)\)\])?\s+(.*?)\s*\[([^\]]*)\]\s*$/;
  for (const line of text.split(/\r?\n/)) {
    const match = pattern.exec(line);
    if (!match) continue;
    const [, name, boolValues, spec, current] = match;
    const rangeMatch = /^(-?[\d.]+)\.\.(-?[\d.]+)/.exec(spec ?? '');
    const values = boolValues
      ? boolValues.split('|')
      : rangeMatch
        ? []
        : (spec ?? '')
            .replace(/(dpi|mm|%|pel|us)$/, '')
            .split('|')
            .map((v) => v.trim())
            .filter(Boolean);
    options.set(name!, {
      name: name!,
      values: values.map((v) => v.replace(/(dpi|mm|%|pel|us)$/, '')),
      range: rangeMatch ? { min: Number(rangeMatch[1]), max: Number(rangeMatch[2]) } : null,
      current: current === 'inactive' ? null : (current ?? null),
      inactive: current === 'inactive',
    });
  }
  return options;
}

const MODE_PATTERNS: [ColourMode, RegExp][] = [
  ['color', /colou?r|rgb/i],
  ['gray', /gr[ae]y/i],
  ['lineart', /lineart|binary|black|halftone|mono/i],
];

export function nativeCapabilities(options: Map<string, SaneOption>): NativeCapabilities {
  const modes: Partial<Record<ColourMode, string>> = {};
  for (const value of options.get('mode')?.values ?? []) {
    const kind = MODE_PATTERNS.find(([, pattern]) => pattern.test(value))?.[0];
    if (kind && !modes[kind]) modes[kind] = value;
  }
  const sources: Partial<Record<ScanSource, string>> = {};
  const sourceOption = options.get('source');
  for (const value of sourceOption?.values ?? []) {
    if (/duplex/i.test(value)) sources['adf-duplex'] ??= value;
    else if (/adf|feeder|automatic/i.test(value)) sources.adf ??= value;
    else if (/flatbed|platen|normal/i.test(value)) sources.flatbed ??= value;
  }
  // A device without a source option is a flatbed (or a sheet-fed one that scans what it is given).
  if (!sourceOption) sources.flatbed = '';
  const resolution = options.get('resolution');
  const resolutions = resolution?.range
    ? resolutionsInRange(resolution.range.min, resolution.range.max)
    : (resolution?.values ?? []).map(Number).filter((n) => Number.isFinite(n) && n > 0);
  return {
    capabilities: {
      resolutions: resolutions.length ? resolutions.sort((a, b) => a - b) : [300],
      modes: (['color', 'gray', 'lineart'] as const).filter((m) => modes[m] !== undefined),
      sources: (['flatbed', 'adf', 'adf-duplex'] as const).filter((s) => sources[s] !== undefined),
      duplex: sources['adf-duplex'] !== undefined,
    },
    modes,
    sources,
  };
}

/** The scanimage arguments for a scan, in the device's own vocabulary. */
export function scanArguments(device: string, options: ScanOptions, native: NativeCapabilities): string[] {
  const args = ['-d', device, '--format=png'];
  const mode = native.modes[options.mode] ?? (options.mode === 'lineart' ? native.modes.gray : undefined);
  if (mode === undefined && Object.keys(native.modes).length) {
    throw scanError('unsupported', `Lo scanner non offre la modalità ${MODE_LABELS[options.mode]}`);
  }
  if (mode) args.push(`--mode=${mode}`);
  args.push(`--resolution=${nearestResolution(native.capabilities.resolutions, options.resolution)}`);
  const source = native.sources[options.source];
  if (source === undefined) {
    throw scanError('unsupported', `Lo scanner non offre ${SOURCE_LABELS[options.source]}`);
  }
  if (source) args.push(`--source=${source}`);
  // A flatbed in batch mode would scan the same glass forever.
  if (options.source === 'flatbed') args.push('--batch-count=1');
  return args;
}

const MODE_LABELS: Record<ColourMode, string> = {
  color: 'a colori',
  gray: 'in scala di grigi',
  lineart: 'in bianco e nero',
};
const SOURCE_LABELS: Record<ScanSource, string> = {
  flatbed: 'il piano di scansione',
  adf: 'il caricatore automatico',
  'adf-duplex': 'il fronte-retro automatico',
};

/** scanimage exits with the SANE status; its last message says the same in words. */
function failure(run: ToolRun, what: string): AppError {
  const text = run.stderr;
  const details = { status: run.code, stderr: tail(text) };
  if (run.code === 3 || /device busy/i.test(text)) {
    return scanError('busy', 'Lo scanner è occupato: attendete che finisca e riprovate', { details });
  }
  if (run.code === 6 || /jammed/i.test(text)) {
    return scanError('jammed', 'Carta inceppata nello scanner: liberatela e riprovate', { details });
  }
  if (run.code === 7 || /out of documents/i.test(text)) {
    return scanError('no_documents', 'Nessun foglio nel caricatore: inserite i fogli e riprovate', {
      details,
    });
  }
  if (run.code === 8 || /cover.*open/i.test(text)) {
    return scanError('cover_open', 'Il coperchio dello scanner è aperto', { details });
  }
  if (/open of device .* failed|no such device|invalid argument/i.test(text)) {
    return scanError('no_device', `${what}: lo scanner non è collegato o non risponde`, { details });
  }
  return scanError('failed', `${what}: ${lastLine(text) || `codice ${run.code}`}`, { details });
}

function tail(text: string): string {
  return text.slice(-2000);
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n|\r/).filter((l) => l.trim() && !/^Progress:/.test(l));
  return (lines.at(-1) ?? '').replace(/^scanimage:\s*/, '').trim();
}
