import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { build } from 'vite';
import { channelNames, eventNames } from '../../common/api.ts';
import { nodePorts, type NodePorts } from '../../main/adapters/node/node-ports.ts';
import { createApp, type App, type AppConfig } from '../../main/app.ts';
import type { Outcome } from '../../common/errors.ts';
import type { Preferences } from '../../common/settings.ts';
import type { Dialogs } from '../../main/ports.ts';
import { createFileLogger } from '../../main/log/logger.ts';
import { CONTENT_SECURITY_POLICY, MIME_TYPES } from '../../main/security/policy.ts';
import { provaOf } from '../../main/simulator/prova.ts';
import { Simulator, type SimulatorOptions } from '../../main/simulator/server.ts';
import { parse, stringify, type Base64 } from './codec.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const SHIM_ENTRY = join(ROOT, 'test', 'harness', 'shim', 'index.ts');

const nodeBase64: Base64 = {
  encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  decode: (text) => new Uint8Array(Buffer.from(text, 'base64')),
};

export interface HarnessOptions {
  /** Folder for userData and the archive; a fresh temp dir (removed on close) when absent. */
  root?: string;
  port?: number;
  /** Prova's lifecycle, in ms (default a few seconds per step, as in the app). */
  durations?: SimulatorOptions['durations'];
  wallet?: number;
  /** How Prova's simulator reads what the spec leaves open (main/simulator/reading.ts). */
  reading?: SimulatorOptions['reading'];
  config?: Partial<AppConfig>;
  /**
   * SANE devices to offer besides those `scanimage -L` finds: `['test']` makes SANE's test backend
   * (`scanimage -d test`) a scanner of the page (the CLI passes SPORTELLO_SANE_DEVICES here).
   */
  saneDevices?: readonly string[];
  /** Echo the app's log to stderr. */
  verbose?: boolean;
  /**
   * A stand-in for the real Openapi: a second simulator (Visengine and the OAuth API) that Sandbox
   * and Produzione are pointed at, with this account (`owner`, `apiKey`, …). Absent: they point at
   * the real services, as in the app.
   */
  openapi?: SimulatorOptions;
  /**
   * Main's dialogs (folder picker, confirmations). Default: `ports.dialogs`, answered by the test
   * from outside the page (ScriptedDialogs); the CLI asks on its terminal.
   */
  dialogs?: Dialogs;
  /** Where the app's log goes; default `<root>/userData/logs` (the e2e run keeps every test's). */
  logDir?: string;
  /** Called after each contract call with its answer (the e2e run notes what the clerk typed). */
  observe?: (channel: string, args: unknown, outcome: Outcome<unknown>) => void;
  /**
   * Preferences written in config.json before the app starts (the e2e suite's office, already set
   * up: no first-start page). Absent: the app starts as on a new PC, and asks.
   */
  preferences?: Partial<Preferences>;
}

export interface Harness {
  url: string;
  root: string;
  app: App;
  ports: NodePorts;
  /** The Prova simulator the app talks to: tests inject faults and read the wallet here. */
  simulator: Simulator;
  /** The stand-in for the real Openapi (see `HarnessOptions.openapi`), when asked for. */
  openapi: Simulator | null;
  close(): Promise<void>;
}

let shimCache: Promise<string> | null = null;

/** Bundles the shim (the bridge and the contract's channel names, no schema) into one classic script. */
function shimScript(): Promise<string> {
  shimCache ??= (async () => {
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      publicDir: false,
      define: {
        __CHANNEL_NAMES__: JSON.stringify(channelNames),
        __EVENT_NAMES__: JSON.stringify(eventNames),
      },
      build: {
        write: false,
        minify: false,
        emptyOutDir: false,
        lib: { entry: SHIM_ENTRY, formats: ['iife'], name: 'SportelloHarness', fileName: () => 'shim.js' },
      },
    });
    const outputs = Array.isArray(result) ? result : [result];
    for (const output of outputs) {
      if (!('output' in output)) continue;
      const chunk = output.output.find((o) => o.type === 'chunk');
      if (chunk && chunk.type === 'chunk') return chunk.code;
    }
    throw new Error('harness: the shim did not build');
  })();
  return shimCache;
}

/**
 * The renderer in a browser, backed by the real main services: the built UI from out/renderer,
 * every contract channel at POST /__harness/api/<channel>, push events at /__harness/events (SSE),
 * the Prova simulator, a real SQLite file and real files under `root`.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  try {
    await stat(join(RENDERER, 'index.html'));
  } catch {
    throw new Error('harness: out/renderer is missing — run `npm run build` first');
  }
  const ownsRoot = !options.root;
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'sportello-harness-'));
  const simulator = new Simulator({
    ...(options.durations ? { durations: options.durations } : {}),
    ...(options.wallet === undefined ? {} : { wallet: options.wallet }),
    ...(options.reading ? { reading: options.reading } : {}),
  });
  await simulator.start();
  const openapi = options.openapi ? new Simulator(options.openapi) : null;
  if (openapi) await openapi.start();
  const ports = nodePorts(root, {
    log: createFileLogger(options.logDir ?? join(root, 'userData', 'logs'), {
      echo: options.verbose ?? false,
    }),
  });
  if (options.preferences)
    ports.preferences.set('preferences', { ...ports.preferences.store.preferences, ...options.preferences });
  const app = createApp(options.dialogs ? { ...ports, dialogs: options.dialogs } : ports, {
    version: 'harness',
    prova: async () => provaOf(simulator),
    ...(openapi ? { baseUrlOverride: openapi.url, oauthBaseUrlOverride: openapi.url } : {}),
    ...options.config,
    ...(options.saneDevices
      ? { scanning: { ...options.config?.scanning, saneDevices: options.saneDevices } }
      : {}),
  });
  const shim = await shimScript();

  const clients = new Set<ServerResponse>();
  const unsubscribe = app.events.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${stringify(payload, nodeBase64)}\n\n`;
    for (const client of clients) client.write(frame);
  });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    });
  });

  let origin = '';
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Loopback only, and only pages of our own origin: no DNS rebinding, no cross-site calls.
    if (req.headers.host !== origin.slice('http://'.length)) {
      res.writeHead(421).end();
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/__harness/api/')) {
      if (req.method !== 'POST' || (req.headers.origin && req.headers.origin !== origin)) {
        res.writeHead(403).end();
        return;
      }
      const channel = decodeURIComponent(url.pathname.slice('/__harness/api/'.length));
      const body = await readBody(req);
      let args: unknown;
      try {
        args = parse(body, nodeBase64);
      } catch {
        args = null;
      }
      const outcome = await app.dispatch(channel, args);
      options.observe?.(channel, args, outcome);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(stringify(outcome, nodeBase64));
      return;
    }
    if (url.pathname === '/__harness/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': sportello\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname === '/__harness/shim.js') {
      res.writeHead(200, { 'Content-Type': MIME_TYPES['.js']!, 'Cache-Control': 'no-store' });
      res.end(shim);
      return;
    }
    await serveStatic(url.pathname, res);
  };

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await app.start();

  return {
    url: origin,
    root,
    app,
    ports,
    simulator,
    openapi,
    async close() {
      unsubscribe();
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await app.close();
      await simulator.stop();
      await openapi?.stop();
      if (ownsRoot) rmSync(root, { recursive: true, force: true });
    },
  };
}

async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = resolve(RENDERER, relative);
  if (file !== RENDERER && !file.startsWith(RENDERER + sep)) {
    res.writeHead(404).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404).end();
    return;
  }
  const type = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers = {
    'Content-Type': type, // The very header the app's app:// handler sends: the e2e suite proves the UI works under it.
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-cache',
  };
  if (extname(file) === '.html') {
    // The shim must define window.api before the renderer's module runs: a deferred classic script
    // ahead of it runs first (deferred scripts and modules run in document order), and the page's
    // modules download meanwhile, as they do in the app where the preload costs no download.
    const html = body
      .toString('utf8')
      .replace('<head>', '<head>\n    <script defer src="/__harness/shim.js"></script>');
    res.writeHead(200, headers).end(html);
    return;
  }
  res.writeHead(200, headers).end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
