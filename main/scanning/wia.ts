import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
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
  type ScannerDevice,
  type ScanOptions,
  type ScanSource,
} from './scanner.ts';

/*
 * Windows Image Acquisition through its scripting COM object (WIA.DeviceManager), driven by a
 * small PowerShell script. The script is generated here and passed with -EncodedCommand, so no
 * argument is ever parsed by a shell; values go in as single-quoted PowerShell literals. The script
 * prints one JSON object a line, which is all this module reads back.
 */

export interface WiaOptions {
  command?: string;
  tempDir?: string;
  listTimeoutMs?: number;
  pageTimeoutMs?: number;
}

/** WIA property ids and values used by the scripts (wiadef.h). */
const WIA = {
  documentHandlingCapabilities: 3086,
  documentHandlingSelect: 3088,
  pages: 3096,
  currentIntent: 6146,
  horizontalResolution: 6147,
  verticalResolution: 6148,
  feeder: 1,
  flatbed: 2,
  duplex: 4,
  intentColour: 1,
  intentGray: 2,
  intentText: 4,
  formatPng: '{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}',
} as const;

/** WIA HRESULTs as PowerShell reports them (signed 32-bit). */
const WIA_ERRORS: Record<number, 'no_documents' | 'jammed' | 'busy' | 'no_device' | 'cover_open'> = {
  [0x80210003 | 0]: 'no_documents',
  [0x80210002 | 0]: 'jammed',
  [0x80210006 | 0]: 'busy',
  [0x80210005 | 0]: 'no_device',
  [0x80210016 | 0]: 'cover_open',
};

const WIA_ERRORS_HEX = { no_documents: 0x80210003 | 0, no_device: 0x80210005 | 0 } as const;

/** A PowerShell single-quoted string literal: only the quote itself needs doubling. */
export function psString(value: string): string {
  return `'${value.replace(/['‘’‚‛]/g, (q) => q + q)}'`;
}

const PRELUDE = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
function Emit($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress -Depth 5)) }
function Prop($props, $id) { foreach ($p in $props) { if ($p.PropertyID -eq $id) { return $p } }; return $null }
trap { Emit @{ event = 'error'; hresult = $_.Exception.HResult; message = $_.Exception.Message }; exit 1 }
`;

/** Lists the scanners (WIA device type 1) with what their first item can do. */
export function wiaListScript(): string {
  return `${PRELUDE}
$manager = New-Object -ComObject WIA.DeviceManager
foreach ($info in $manager.DeviceInfos) {
  if ($info.Type -ne 1) { continue }
  $entry = @{ event = 'device'; id = $info.DeviceID; name = (Prop $info.Properties 7).Value; handling = 0; resolutions = @(); intents = 0 }
  try {
    $device = $info.Connect()
    $h = Prop $device.Properties ${WIA.documentHandlingCapabilities}
    if ($h) { $entry.handling = [int]$h.Value }
    $item = $device.Items.Item(1)
    $r = Prop $item.Properties ${WIA.horizontalResolution}
    if ($r) {
      if ($r.SubType -eq 2) { $entry.resolutions = @($r.SubTypeValues | ForEach-Object { [int]$_ }) }
      elseif ($r.SubType -eq 1) { $entry.resolutions = @([int]$r.SubTypeMin, [int]$r.SubTypeMax); $entry.range = $true }
      else { $entry.resolutions = @([int]$r.Value) }
    }
    $i = Prop $item.Properties ${WIA.currentIntent}
    if ($i) { $entry.intents = [int]$i.SubTypeMax }
  } catch { $entry.error = $_.Exception.Message }
  Emit $entry
}
Emit @{ event = 'done' }
`;
}

/** Scans into `dir` (page-0000.png …), one page for the flatbed, until the feeder is empty otherwise. */
export function wiaScanScript(deviceId: string, options: ScanOptions, dir: string): string {
  const intent = { color: WIA.intentColour, gray: WIA.intentGray, lineart: WIA.intentText }[options.mode];
  const select = {
    flatbed: WIA.flatbed,
    adf: WIA.feeder,
    'adf-duplex': WIA.feeder | WIA.duplex,
  }[options.source];
  const feeder = options.source === 'flatbed' ? '$false' : '$true';
  return `${PRELUDE}
$manager = New-Object -ComObject WIA.DeviceManager
$info = $null
foreach ($candidate in $manager.DeviceInfos) { if ($candidate.DeviceID -eq ${psString(deviceId)}) { $info = $candidate } }
if (-not $info) { Emit @{ event = 'error'; hresult = ${WIA_ERRORS_HEX.no_device}; message = 'device not found' }; exit 1 }
$device = $info.Connect()
$select = Prop $device.Properties ${WIA.documentHandlingSelect}
if ($select) { $select.Value = ${select} }
$pages = Prop $device.Properties ${WIA.pages}
if ($pages -and ${feeder}) { $pages.Value = 0 }
$item = $device.Items.Item(1)
foreach ($pair in @(@(${WIA.currentIntent}, ${intent}), @(${WIA.horizontalResolution}, ${options.resolution}), @(${WIA.verticalResolution}, ${options.resolution}))) {
  $p = Prop $item.Properties $pair[0]
  if ($p) { $p.Value = $pair[1] }
}
$dir = ${psString(dir)}
$index = 0
while ($true) {
  Emit @{ event = 'progress'; page = $index + 1 }
  try { $image = $item.Transfer(${psString(WIA.formatPng)}) }
  catch {
    if ($index -gt 0 -and $_.Exception.HResult -eq ${WIA_ERRORS_HEX.no_documents}) { break }
    throw
  }
  $path = Join-Path $dir ('page-{0:D4}.png' -f $index)
  $image.SaveFile($path)
  Emit @{ event = 'page'; path = $path }
  $index++
  if (-not ${feeder}) { break }
}
Emit @{ event = 'done' }
`;
}

/** powershell.exe's -EncodedCommand takes UTF-16LE base64. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export function powershellArguments(script: string): string[] {
  return [
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
    encodeCommand(script),
  ];
}

const eventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('device'),
    id: z.string(),
    name: z.string().nullable().optional(),
    handling: z.number().int().optional(),
    resolutions: z.union([z.array(z.number()), z.number()]).optional(),
    range: z.boolean().optional(),
    intents: z.number().int().optional(),
    error: z.string().optional(),
  }),
  z.object({ event: z.literal('progress'), page: z.number().int() }),
  z.object({ event: z.literal('page'), path: z.string() }),
  z.object({
    event: z.literal('error'),
    hresult: z.number().int().nullable().optional(),
    message: z.string(),
  }),
  z.object({ event: z.literal('done') }),
]);
export type WiaEvent = z.infer<typeof eventSchema>;

/** The script's output: JSON lines; anything else (a PowerShell banner, a warning) is ignored. */
export function parseWiaOutput(text: string): WiaEvent[] {
  const events: WiaEvent[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      continue; // a line that merely starts with a brace is not one of ours
    }
    const parsed = eventSchema.safeParse(value);
    if (parsed.success) events.push(parsed.data);
  }
  return events;
}

/** Devices from the listing script's events. */
export function wiaDevices(events: readonly WiaEvent[]): ScannerDevice[] {
  const devices: ScannerDevice[] = [];
  for (const event of events) {
    if (event.event !== 'device') continue;
    const handling = event.handling ?? 0;
    const raw = [event.resolutions ?? []].flat();
    const resolutions =
      event.range && raw.length === 2
        ? resolutionsInRange(raw[0]!, raw[1]!)
        : [...new Set(raw)].sort((a, b) => a - b);
    const sources: ScanSource[] = [];
    if (handling & WIA.flatbed || handling === 0) sources.push('flatbed');
    if (handling & WIA.feeder) sources.push('adf');
    if (handling & WIA.feeder && handling & WIA.duplex) sources.push('adf-duplex');
    const intents = event.intents ?? 0;
    const modes: ColourMode[] =
      intents === 0
        ? ['color', 'gray', 'lineart']
        : (['color', 'gray', 'lineart'] as const).filter(
            (_m, i) => intents & [WIA.intentColour, WIA.intentGray, WIA.intentText][i]!,
          );
    devices.push({
      id: `wia:${event.id}`,
      name: event.name?.trim() || 'Scanner WIA',
      backend: 'wia',
      capabilities: {
        resolutions: resolutions.length ? resolutions : [150, 200, 300],
        modes: modes.length ? modes : ['color'],
        sources,
        duplex: sources.includes('adf-duplex'),
      },
    });
  }
  return devices;
}

/** The failure the script reported, as the clerk should read it. */
export function wiaFailure(events: readonly WiaEvent[], run: Pick<ToolRun, 'code' | 'stderr'>) {
  const error = events.find((e) => e.event === 'error');
  const reason = error?.hresult != null ? WIA_ERRORS[error.hresult] : undefined;
  const details = {
    status: run.code,
    hresult: error?.hresult ?? null,
    message: error?.message ?? run.stderr.slice(-500),
  };
  switch (reason) {
    case 'no_documents':
      return scanError('no_documents', 'Nessun foglio nel caricatore: inserite i fogli e riprovate', {
        details,
      });
    case 'jammed':
      return scanError('jammed', 'Carta inceppata nello scanner: liberatela e riprovate', { details });
    case 'busy':
      return scanError('busy', 'Lo scanner è occupato: attendete che finisca e riprovate', { details });
    case 'no_device':
      return scanError('no_device', 'Lo scanner non è collegato o è spento', { details });
    case 'cover_open':
      return scanError('cover_open', 'Il coperchio dello scanner è aperto', { details });
    default:
      return scanError('failed', `Scansione WIA non riuscita: ${error?.message ?? `codice ${run.code}`}`, {
        details,
      });
  }
}

/** WIA on Windows; on other systems it lists nothing. */
export class WiaScanner implements ScannerAdapter {
  readonly backend = 'wia' as const;
  private readonly command: string;
  private readonly tempDir: string | undefined;
  private readonly listTimeoutMs: number;
  private readonly pageTimeoutMs: number;

  constructor(options: WiaOptions = {}) {
    this.command = options.command ?? 'powershell.exe';
    this.tempDir = options.tempDir;
    this.listTimeoutMs = options.listTimeoutMs ?? 60_000;
    this.pageTimeoutMs = options.pageTimeoutMs ?? 180_000;
  }

  async list(): Promise<ScannerDevice[]> {
    const { events, run } = await this.run(wiaListScript(), this.listTimeoutMs);
    if (run.code !== 0) throw wiaFailure(events, run);
    return wiaDevices(events);
  }

  async scan(deviceId: string, options: ScanOptions, control: ScanControl = {}): Promise<ScannedPage[]> {
    const id = nativeId(deviceId, 'wia');
    const device = (await this.list()).find((d) => d.id === deviceId);
    const resolution = device
      ? nearestResolution(device.capabilities.resolutions, options.resolution)
      : options.resolution;
    const dir = await mkdtemp(join(this.tempDir ?? tmpdir(), 'sportello-wia-'));
    try {
      const script = wiaScanScript(id, { ...options, resolution }, dir);
      const { events, run } = await this.run(script, this.pageTimeoutMs, control);
      if (run.code !== 0 || !events.some((e) => e.event === 'done')) throw wiaFailure(events, run);
      const pages: ScannedPage[] = [];
      for (const event of events) {
        if (event.event === 'page') pages.push({ bytes: await readFile(event.path), mime: 'image/png' });
      }
      return pages;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async run(script: string, idleTimeoutMs: number, control: ScanControl = {}) {
    try {
      const run = await runTool(this.command, powershellArguments(script), {
        idleTimeoutMs,
        signal: control.signal,
        onLine: (line, stream) => {
          if (stream !== 'stdout' || !control.onProgress) return;
          const event = parseWiaOutput(line)[0];
          if (event?.event === 'progress') control.onProgress({ page: event.page, percent: null });
        },
      });
      return { run, events: parseWiaOutput(run.stdout.toString('utf8')) };
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      if (error.failure === 'missing') {
        throw scanError('missing_tool', 'PowerShell non trovato: gli scanner WIA richiedono Windows', {
          cause: error,
        });
      }
      if (error.failure === 'aborted') throw scanError('cancelled', 'Scansione annullata', { cause: error });
      throw scanError('timeout', 'Lo scanner non risponde: controllate che sia acceso e collegato', {
        cause: error,
      });
    }
  }
}
