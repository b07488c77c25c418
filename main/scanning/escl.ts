import { MIME_OF, sniff } from '../attachments/sniff.ts';
import { AppError } from '../errors.ts';
import type { Http } from '../ports.ts';
import {
  nativeId,
  nearestResolution,
  resolutionsInRange,
  scanError,
  type ColourMode,
  type ScanControl,
  type ScanMime,
  type ScannedPage,
  type ScannerAdapter,
  type ScannerCapabilities,
  type ScannerDevice,
  type ScanOptions,
  type ScanSource,
} from './scanner.ts';
import { MB, megabytes, readCapped, readCappedText, AnswerTooLarge } from '../net/capped.ts';
import { escapeXml, find, findAll, parseXml, textOf, XmlError, type XmlElement } from './xml.ts';

/*
 * Network scanners speaking eSCL ("AirScan", Mopria): plain HTTP and XML, on almost every MFP sold
 * since 2015. Devices come from configured URLs; mDNS discovery (_uscan._tcp) is not done here.
 */

export interface EsclDeviceConfig {
  /** The eSCL root, e.g. `http://192.168.1.20/eSCL` (a bare `http://host:port` gets `/eSCL`). */
  url: string;
  name?: string | undefined;
}

export interface EsclOptions {
  devices: () => readonly EsclDeviceConfig[];
  http?: Http;
  /** One HTTP exchange (a page can take a while to come at 600 dpi). */
  requestTimeoutMs?: number;
  /** How long to keep asking for a page the device says is not ready yet (503). */
  busyWaitMs?: number;
  retryDelayMs?: number;
  /** One page, as it arrives. */
  maxPageBytes?: number;
  /** Pages of one feeder job: a feeder that never says "empty" must not fill the disk. */
  maxPages?: number;
  /** All the pages of one job together. */
  maxJobBytes?: number;
  /** An XML answer (capabilities, status), as it arrives. */
  maxXmlBytes?: number;
}

export interface EsclCapabilities extends ScannerCapabilities {
  name: string | null;
  formats: string[];
  colourModes: Partial<Record<ColourMode, string>>;
}

const NS_SCAN = 'http://schemas.hp.com/imaging/escl/2011/05/03';
const NS_PWG = 'http://www.pwg.org/schemas/2010/12/sm';

export class EsclScanner implements ScannerAdapter {
  readonly backend = 'escl' as const;
  private readonly devices: () => readonly EsclDeviceConfig[];
  private readonly http: Http;
  private readonly requestTimeoutMs: number;
  private readonly busyWaitMs: number;
  private readonly retryDelayMs: number;
  private readonly maxPageBytes: number;
  private readonly maxPages: number;
  private readonly maxJobBytes: number;
  private readonly maxXmlBytes: number;

  constructor(options: EsclOptions) {
    this.devices = options.devices;
    this.http = options.http ?? ((url, init) => fetch(url, init));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
    this.busyWaitMs = options.busyWaitMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxPageBytes = options.maxPageBytes ?? 50 * MB;
    this.maxPages = options.maxPages ?? 100;
    this.maxJobBytes = options.maxJobBytes ?? 300 * MB;
    this.maxXmlBytes = options.maxXmlBytes ?? MB;
  }

  async list(): Promise<ScannerDevice[]> {
    const configured = this.devices();
    const found: ScannerDevice[] = [];
    let lastError: AppError | null = null;
    for (const config of configured) {
      const root = esclRoot(config.url);
      try {
        const caps = await this.capabilities(root, undefined, Math.min(this.requestTimeoutMs, 10_000));
        found.push({
          id: `escl:${root}`,
          name: config.name?.trim() || caps.name || new URL(root).host,
          backend: 'escl',
          capabilities: {
            resolutions: caps.resolutions,
            modes: caps.modes,
            sources: caps.sources,
            duplex: caps.duplex,
          },
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        lastError = error;
      }
    }
    // One unreachable printer among several is not worth an error; all of them is.
    if (!found.length && lastError) throw lastError;
    return found;
  }

  async scan(deviceId: string, options: ScanOptions, control: ScanControl = {}): Promise<ScannedPage[]> {
    const root = nativeId(deviceId, 'escl');
    if (!this.devices().some((d) => esclRoot(d.url) === root)) {
      throw scanError('no_device', 'Scanner di rete non configurato');
    }
    const caps = await this.capabilities(root, control.signal);
    if (!caps.sources.includes(options.source)) {
      throw scanError('unsupported', 'Lo scanner non offre questa sorgente (piano o caricatore)');
    }
    const job = await this.createJob(root, scanSettings(options, caps), control.signal);
    const pages: ScannedPage[] = [];
    let jobBytes = 0;
    try {
      for (;;) {
        if (pages.length >= this.maxPages) {
          throw scanError(
            'failed',
            `Il caricatore ha superato ${this.maxPages} pagine in una scansione: dividete i fogli e riprovate`,
          );
        }
        control.onProgress?.({ page: pages.length + 1, percent: null });
        const page = await this.nextDocument(root, job, pages.length, control.signal);
        if (!page) break;
        jobBytes += page.bytes.byteLength;
        if (jobBytes > this.maxJobBytes) {
          throw scanError(
            'failed',
            `La scansione supera ${megabytes(this.maxJobBytes)}: usate una risoluzione più bassa o meno pagine`,
          );
        }
        pages.push(page);
        // A flatbed job holds one page; asking again may start a second scan on some devices.
        if (options.source === 'flatbed') break;
      }
    } catch (error) {
      // Free the device for the next clerk; the original failure is what matters here.
      await this.request(job, { method: 'DELETE' }, undefined, 5000).then(
        (r) => r.body?.cancel(),
        () => undefined,
      );
      throw error;
    }
    if (!pages.length)
      throw scanError('no_documents', 'Nessun foglio nel caricatore: inserite i fogli e riprovate');
    return pages;
  }

  private async capabilities(
    root: string,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<EsclCapabilities> {
    const response = await this.request(`${root}/ScannerCapabilities`, { method: 'GET' }, signal, timeoutMs);
    if (!response.ok) {
      throw scanError('no_device', `Lo scanner di rete risponde con errore ${response.status}`, {
        details: { status: response.status },
      });
    }
    return parseCapabilities(await this.xml(response));
  }

  private async createJob(root: string, settings: string, signal?: AbortSignal): Promise<string> {
    const started = Date.now();
    for (;;) {
      const response = await this.request(
        `${root}/ScanJobs`,
        { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: settings },
        signal,
      );
      await response.body?.cancel();
      if (response.status === 201 || response.status === 200) {
        const location = response.headers.get('location');
        if (!location) throw scanError('failed', 'Lo scanner di rete non ha indicato il lavoro di scansione');
        const url = new URL(location, `${root}/ScanJobs`);
        // The job must live on the device we asked: never follow a Location elsewhere.
        if (url.origin !== new URL(root).origin)
          throw scanError('failed', 'Risposta dello scanner di rete non valida');
        return url.href.replace(/\/+$/, '');
      }
      if (response.status === 503 && Date.now() - started < this.busyWaitMs) {
        await delay(this.retryDelayMs, signal);
        continue;
      }
      throw await this.explain(root, response.status);
    }
  }

  private async nextDocument(
    root: string,
    job: string,
    index: number,
    signal?: AbortSignal,
  ): Promise<ScannedPage | null> {
    const started = Date.now();
    for (;;) {
      const response = await this.request(`${job}/NextDocument`, { method: 'GET' }, signal);
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel();
        return null;
      }
      if (response.status === 503 && Date.now() - started < this.busyWaitMs) {
        await response.body?.cancel();
        await delay(this.retryDelayMs, signal);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw await this.explain(root, response.status, index);
      }
      let bytes: Uint8Array;
      try {
        bytes = await readCapped(response, this.maxPageBytes);
      } catch (error) {
        if (!(error instanceof AnswerTooLarge)) throw error;
        throw scanError(
          'failed',
          `Pagina troppo grande dallo scanner di rete (oltre ${megabytes(this.maxPageBytes)}): usate una risoluzione più bassa`,
        );
      }
      const kind = sniff(bytes);
      if (kind !== 'jpeg' && kind !== 'png' && kind !== 'pdf' && kind !== 'tiff') {
        throw scanError('failed', 'Lo scanner di rete ha inviato un file non riconosciuto', {
          details: { contentType: response.headers.get('content-type') },
        });
      }
      return { bytes, mime: MIME_OF[kind] as ScanMime };
    }
  }

  /** Why a job failed, from ScannerStatus when the device tells (jam, empty feeder, busy). */
  private async explain(root: string, status: number, pagesDone = 0): Promise<AppError> {
    let state = '';
    let adf = '';
    try {
      const response = await this.request(`${root}/ScannerStatus`, { method: 'GET' }, undefined, 5000);
      if (response.ok) {
        const doc = await this.xml(response);
        state = textOf(doc, 'State') ?? '';
        adf = textOf(doc, 'AdfState') ?? '';
      } else {
        await response.body?.cancel();
      }
    } catch (error) {
      // The status is only an explanation: without it the HTTP status still tells the clerk something.
      if (!(error instanceof AppError)) throw error;
    }
    const details = { status, state, adf, pagesDone };
    if (/jam/i.test(adf))
      return scanError('jammed', 'Carta inceppata nello scanner: liberatela e riprovate', { details });
    if (/empty/i.test(adf) && pagesDone === 0) {
      return scanError('no_documents', 'Nessun foglio nel caricatore: inserite i fogli e riprovate', {
        details,
      });
    }
    if (/open/i.test(adf))
      return scanError('cover_open', 'Il coperchio del caricatore è aperto', { details });
    if (status === 503 || /processing|busy/i.test(state)) {
      return scanError('busy', 'Lo scanner è occupato: attendete che finisca e riprovate', { details });
    }
    return scanError('failed', `Scansione di rete non riuscita (errore ${status})`, { details });
  }

  private async request(
    url: string,
    init: RequestInit,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs ?? this.requestTimeoutMs);
    try {
      return await this.http(url, {
        ...init,
        // Only the device configured: a redirect could send the page (a client's ID) anywhere.
        redirect: 'error',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw scanError('cancelled', 'Scansione annullata', { cause: error });
      if (timeout.aborted) {
        throw scanError('timeout', 'Lo scanner di rete non risponde: controllate che sia acceso', {
          cause: error,
        });
      }
      throw scanError('no_device', `Scanner di rete non raggiungibile (${new URL(url).host})`, {
        cause: error,
      });
    }
  }

  private async xml(response: Response): Promise<XmlElement> {
    let text: string;
    try {
      // Checked as it arrives: a device (or something posing as one) cannot make main hold more.
      text = await readCappedText(response, this.maxXmlBytes);
    } catch (error) {
      if (!(error instanceof AnswerTooLarge)) throw error;
      throw scanError('failed', 'Risposta dello scanner di rete troppo grande', { cause: error });
    }
    try {
      return parseXml(text);
    } catch (error) {
      if (!(error instanceof XmlError)) throw error;
      throw scanError('failed', 'Risposta dello scanner di rete non valida', { cause: error });
    }
  }
}

/** `http://host:8080` → `http://host:8080/eSCL`; a given path is kept, without the trailing slash. */
export function esclRoot(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('invalid_argument', `Indirizzo dello scanner non valido: ${url}`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.origin}${path || '/eSCL'}`;
}

const COLOUR_MODES: [ColourMode, RegExp][] = [
  ['color', /^RGB/i],
  ['gray', /^Grayscale/i],
  ['lineart', /^BlackAndWhite/i],
];

export function parseCapabilities(doc: XmlElement): EsclCapabilities {
  const sources: ScanSource[] = [];
  if (find(doc, 'Platen')) sources.push('flatbed');
  const adf = find(doc, 'Adf');
  if (adf && (find(adf, 'AdfSimplexInputCaps') || find(adf, 'AdfDuplexInputCaps'))) sources.push('adf');
  if (adf && find(adf, 'AdfDuplexInputCaps')) sources.push('adf-duplex');

  const values = [...new Set(findAll(doc, 'ColorMode').map((e) => e.text.trim()))];
  const colourModes: Partial<Record<ColourMode, string>> = {};
  for (const [mode, pattern] of COLOUR_MODES) {
    const candidates = values.filter((v) => pattern.test(v));
    // Prefer the 8-bit variants: RGB24 over RGB48, Grayscale8 over Grayscale16.
    const chosen = candidates.find((v) => /(24|8|1)$/.test(v)) ?? candidates[0];
    if (chosen) colourModes[mode] = chosen;
  }
  const resolutions = new Set<number>();
  for (const discrete of findAll(doc, 'DiscreteResolution')) {
    const x = Number(textOf(discrete, 'XResolution'));
    if (Number.isFinite(x) && x > 0) resolutions.add(x);
  }
  for (const range of findAll(doc, 'ResolutionRange')) {
    const min = Number(textOf(range, 'Min'));
    const max = Number(textOf(range, 'Max'));
    if (min > 0 && max >= min) resolutionsInRange(min, max).forEach((r) => resolutions.add(r));
  }
  const formats = [
    ...new Set(
      [...findAll(doc, 'DocumentFormat'), ...findAll(doc, 'DocumentFormatExt')].map((e) => e.text.trim()),
    ),
  ];
  return {
    name: textOf(doc, 'MakeAndModel') || null,
    resolutions: resolutions.size ? [...resolutions].sort((a, b) => a - b) : [300],
    modes: (['color', 'gray', 'lineart'] as const).filter((m) => colourModes[m]),
    sources,
    duplex: sources.includes('adf-duplex'),
    formats,
    colourModes,
  };
}

/** The ScanSettings document for a job: an A4-ish full glass in 1/300", the device's best format. */
export function scanSettings(options: ScanOptions, caps: EsclCapabilities): string {
  const format =
    ['image/jpeg', 'application/pdf', 'image/png'].find((f) => caps.formats.includes(f)) ?? 'image/jpeg';
  const colour = caps.colourModes[options.mode] ?? caps.colourModes.gray ?? caps.colourModes.color ?? 'RGB24';
  const resolution = nearestResolution(caps.resolutions, options.resolution);
  const feeder = options.source !== 'flatbed';
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScanSettings xmlns:scan="${NS_SCAN}" xmlns:pwg="${NS_PWG}">
  <pwg:Version>2.0</pwg:Version>
  <scan:Intent>Document</scan:Intent>
  <pwg:ScanRegions>
    <pwg:ScanRegion>
      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>
      <pwg:XOffset>0</pwg:XOffset>
      <pwg:YOffset>0</pwg:YOffset>
      <pwg:Width>2480</pwg:Width>
      <pwg:Height>3508</pwg:Height>
    </pwg:ScanRegion>
  </pwg:ScanRegions>
  <pwg:InputSource>${feeder ? 'Feeder' : 'Platen'}</pwg:InputSource>
  <scan:Duplex>${options.source === 'adf-duplex'}</scan:Duplex>
  <scan:ColorMode>${escapeXml(colour)}</scan:ColorMode>
  <scan:XResolution>${resolution}</scan:XResolution>
  <scan:YResolution>${resolution}</scan:YResolution>
  <pwg:DocumentFormat>${escapeXml(format)}</pwg:DocumentFormat>
  <scan:DocumentFormatExt>${escapeXml(format)}</scan:DocumentFormatExt>
</scan:ScanSettings>
`;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(scanError('cancelled', 'Scansione annullata'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(scanError('cancelled', 'Scansione annullata'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
