import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from '@cantoo/pdf-lib';
import sharp from 'sharp';

/*
 * An eSCL (AirScan) scanner on 127.0.0.1 for the tests: capabilities, status, jobs that deliver
 * generated pages (JPEG, PNG or PDF), a feeder with a given number of sheets, and faults — busy,
 * a page not ready yet, a paper jam, an empty feeder.
 */

export interface EsclResponderOptions {
  makeAndModel?: string;
  platen?: boolean;
  adf?: 'none' | 'simplex' | 'duplex';
  formats?: string[];
  colorModes?: string[];
  resolutions?: number[];
  /** Sheets in the feeder. */
  sheets?: number;
}

export interface EsclFaults {
  /** The next N job creations answer 503. */
  busy: number;
  /** Each page answers 503 this many times before it is ready. */
  notReady: number;
  /** The feeder jams after delivering this many pages. */
  jamAfter: number | null;
  /** Pages sent without Content-Length, in chunks; `endless`: a page that never ends. */
  pages: 'sized' | 'chunked' | 'endless';
  /** Bytes of padding (an XML comment) added to ScannerCapabilities, sent without Content-Length. */
  padCapabilities: number;
  /** ScannerCapabilities answers with a redirect to this URL. */
  redirectTo: string | null;
}

interface Job {
  id: string;
  settings: Record<string, string>;
  delivered: number;
  total: number;
}

export interface EsclResponder {
  /** The eSCL root, e.g. http://127.0.0.1:5012/eSCL */
  root: string;
  /** Just scheme, host and port: the adapter must add /eSCL itself. */
  origin: string;
  faults: EsclFaults;
  options: Required<EsclResponderOptions>;
  /** ScanSettings of every job created, as flat local-name → text. */
  jobs: Job[];
  deleted: string[];
  requests: string[];
  close(): Promise<void>;
}

const PAGE_COLOURS = [
  { r: 230, g: 60, b: 60 },
  { r: 60, g: 160, b: 60 },
  { r: 60, g: 90, b: 220 },
  { r: 220, g: 180, b: 40 },
];

export async function startEsclResponder(options: EsclResponderOptions = {}): Promise<EsclResponder> {
  const opts: Required<EsclResponderOptions> = {
    makeAndModel: options.makeAndModel ?? 'Sportello TestScan 3000',
    platen: options.platen ?? true,
    adf: options.adf ?? 'duplex',
    formats: options.formats ?? ['image/jpeg', 'application/pdf'],
    colorModes: options.colorModes ?? ['BlackAndWhite1', 'Grayscale8', 'RGB24'],
    resolutions: options.resolutions ?? [75, 100, 150, 200, 300, 600],
    sheets: options.sheets ?? 3,
  };
  const faults: EsclFaults = {
    busy: 0,
    notReady: 0,
    jamAfter: null,
    pages: 'sized',
    padCapabilities: 0,
    redirectTo: null,
  };
  const jobs: Job[] = [];
  const deleted: string[] = [];
  const requests: string[] = [];
  let jammed = false;
  let active: Job | null = null;
  const notReadyLeft = new Map<string, number>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/eSCL/ScannerCapabilities') {
      if (faults.redirectTo) return void res.writeHead(302, { location: faults.redirectTo }).end();
      if (faults.padCapabilities > 0) {
        const padded = capabilities(opts).replace('?>', `?><!--${'x'.repeat(faults.padCapabilities)}-->`);
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        return streamOut(res, Buffer.from(padded), false);
      }
      return xml(res, 200, capabilities(opts));
    }
    if (req.method === 'GET' && path === '/eSCL/ScannerStatus') {
      const adfState = jammed ? 'ScannerAdfJam' : opts.sheets > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty';
      return xml(res, 200, status(active ? 'Processing' : 'Idle', opts.adf === 'none' ? null : adfState));
    }
    if (req.method === 'POST' && path === '/eSCL/ScanJobs') {
      const body = await readBody(req);
      if (faults.busy > 0) {
        faults.busy--;
        res.writeHead(503).end();
        return;
      }
      const settings = flatten(body);
      const feeder = settings.InputSource === 'Feeder';
      if (feeder && (opts.sheets <= 0 || jammed)) {
        res.writeHead(409).end();
        return;
      }
      const duplex = settings.Duplex === 'true';
      const job: Job = {
        id: randomUUID(),
        settings,
        delivered: 0,
        total: feeder ? opts.sheets * (duplex ? 2 : 1) : 1,
      };
      jobs.push(job);
      active = job;
      // Relative Location, as many devices send it.
      res.writeHead(201, { location: `/eSCL/ScanJobs/${job.id}` }).end();
      return;
    }
    const jobMatch = /^\/eSCL\/ScanJobs\/([\w-]+)(\/NextDocument)?$/.exec(path);
    const job = jobMatch ? jobs.find((j) => j.id === jobMatch[1]) : undefined;
    if (jobMatch && !job) return void res.writeHead(404).end();
    if (job && req.method === 'DELETE' && !jobMatch![2]) {
      deleted.push(job.id);
      if (active === job) active = null;
      return void res.writeHead(200).end();
    }
    if (job && req.method === 'GET' && jobMatch![2]) {
      if (job.delivered >= job.total) {
        if (active === job) active = null;
        return void res.writeHead(404).end();
      }
      if (
        faults.jamAfter !== null &&
        job.delivered >= faults.jamAfter &&
        job.settings.InputSource === 'Feeder'
      ) {
        jammed = true;
        return void res.writeHead(500).end();
      }
      const key = `${job.id}:${job.delivered}`;
      const left = notReadyLeft.get(key) ?? faults.notReady;
      if (left > 0) {
        notReadyLeft.set(key, left - 1);
        return void res.writeHead(503).end();
      }
      const format = job.settings.DocumentFormatExt || job.settings.DocumentFormat || 'image/jpeg';
      const resolution = Number(job.settings.XResolution) || 300;
      const bytes = await pageImage(format, resolution, job.delivered, job.settings.ColorMode ?? 'RGB24');
      job.delivered++;
      if (
        job.settings.InputSource === 'Feeder' &&
        job.delivered % (job.settings.Duplex === 'true' ? 2 : 1) === 0
      ) {
        opts.sheets--;
      }
      if (faults.pages === 'sized') {
        res.writeHead(200, { 'content-type': format, 'content-length': bytes.length });
        res.end(bytes);
      } else {
        res.writeHead(200, { 'content-type': format });
        await streamOut(res, bytes, faults.pages === 'endless');
      }
      return;
    }
    res.writeHead(404).end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    root: `${origin}/eSCL`,
    origin,
    faults,
    options: opts,
    jobs,
    deleted,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A page at the requested resolution (a small region, to keep tests fast), distinct per index. */
export async function pageImage(format: string, resolution: number, index: number, colorMode: string) {
  const width = Math.round((resolution * 827) / 300);
  const height = Math.round((resolution * 1169) / 300);
  const colour = PAGE_COLOURS[index % PAGE_COLOURS.length]!;
  let image = sharp({ create: { width, height, channels: 3, background: colour } });
  if (!colorMode.startsWith('RGB')) image = image.grayscale();
  if (format === 'image/png') return image.png().toBuffer();
  const jpeg = await image.jpeg({ quality: 80 }).toBuffer();
  if (format !== 'application/pdf') return jpeg;
  const pdf = await PDFDocument.create();
  const embedded = await pdf.embedJpg(jpeg);
  const page = pdf.addPage([(width / resolution) * 72, (height / resolution) * 72]);
  page.drawImage(embedded, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  return Buffer.from(await pdf.save());
}

function capabilities(opts: Required<EsclResponderOptions>): string {
  const profile = `
        <scan:SettingProfile>
          <scan:ColorModes>${opts.colorModes.map((m) => `<scan:ColorMode>${m}</scan:ColorMode>`).join('')}</scan:ColorModes>
          <scan:DocumentFormats>
            ${opts.formats.map((f) => `<pwg:DocumentFormat>${f}</pwg:DocumentFormat>`).join('')}
            ${opts.formats.map((f) => `<scan:DocumentFormatExt>${f}</scan:DocumentFormatExt>`).join('')}
          </scan:DocumentFormats>
          <scan:SupportedResolutions><scan:DiscreteResolutions>
            ${opts.resolutions
              .map(
                (r) =>
                  `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`,
              )
              .join('')}
          </scan:DiscreteResolutions></scan:SupportedResolutions>
        </scan:SettingProfile>`;
  const caps = (tag: string) => `
      <scan:${tag}>
        <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth>
        <scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>
        <scan:SettingProfiles>${profile}</scan:SettingProfiles>
      </scan:${tag}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by the Sportello test responder -->
<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>${opts.makeAndModel.replace(/&/g, '&amp;')}</pwg:MakeAndModel>
  <pwg:SerialNumber>SP-0001</pwg:SerialNumber>
  ${opts.platen ? `<scan:Platen>${caps('PlatenInputCaps')}</scan:Platen>` : ''}
  ${
    opts.adf === 'none'
      ? ''
      : `<scan:Adf>${caps('AdfSimplexInputCaps')}${opts.adf === 'duplex' ? caps('AdfDuplexInputCaps') : ''}
      <scan:FeederCapacity>50</scan:FeederCapacity></scan:Adf>`
  }
</scan:ScannerCapabilities>`;
}

function status(state: string, adf: string | null): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version>
  <pwg:State>${state}</pwg:State>
  ${adf ? `<scan:AdfState>${adf}</scan:AdfState>` : ''}
</scan:ScannerStatus>`;
}

/** Writes `bytes` in 16 KB chunks (chunked transfer); `endless` keeps going until the client leaves. */
async function streamOut(res: ServerResponse, bytes: Uint8Array, endless: boolean): Promise<void> {
  const chunk = 16 * 1024;
  for (let at = 0; endless || at < bytes.length; at += chunk) {
    if (res.destroyed || res.closed) return;
    const part = endless ? Buffer.alloc(chunk, 0x41) : bytes.subarray(at, at + chunk);
    if (!res.write(part)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
  }
  res.end();
}

function xml(res: ServerResponse, code: number, body: string) {
  res.writeHead(code, { 'content-type': 'text/xml; charset=utf-8' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `<pwg:InputSource>Feeder</pwg:InputSource>` → { InputSource: 'Feeder' } (leaf elements only). */
function flatten(xmlText: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of xmlText.matchAll(/<(?:\w+:)?(\w+)>([^<]*)<\/(?:\w+:)?\1>/g))
    out[match[1]!] = match[2]!.trim();
  return out;
}
