import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { DataRule } from './checks.ts';
import { Faults, type FaultRule } from './faults.ts';
import * as visengine from './handlers.ts';
import type { Payer } from './handlers.ts';
import { PROVA_DURATIONS, type Durations, type Refusal } from './lifecycle.ts';
import { OAUTH_ROOTS, SimOAuth, type SimToken } from './oauth.ts';
import { DEFAULT_READING, mergeReading, type SpecReading } from './reading.ts';
import { SimStore } from './store.ts';

export interface SimulatorOptions {
  /**
   * A built-in Bearer token holding every scope, never expiring (what Prova uses); random when
   * absent. Tokens made with `POST /tokens` are accepted too, within their scopes and expiry.
   */
  token?: string;
  /** The account's API key: with `owner`, the Basic auth of the OAuth API; random when absent. */
  apiKey?: string;
  /** Scopes the account may not put in a token, as `METHOD /segment` (e.g. `DELETE /richiesta`). */
  disabledScopes?: readonly string[];
  /** Token for the /__sim admin endpoints; random when absent. */
  adminToken?: string;
  /** 0 (default) picks a free port. The simulator only ever listens on 127.0.0.1. */
  port?: number;
  /** Milliseconds since the epoch; inject a manual clock to step the lifecycle in tests. */
  now?: () => number;
  durations?: Partial<Durations>;
  /** Wallet credit in euro (default 500). */
  wallet?: number;
  /** Keep requests and wallet in this JSON file (Prova keeps its history across restarts). */
  stateFile?: string;
  /** The account's email: each request's `owner`, and the user of the OAuth API's Basic auth. */
  owner?: string;
  /** Largest request body accepted, in bytes (default 64 MB). */
  maxBody?: number;
  /** How to read what the spec leaves open (reading.ts); today's behaviour where not given. */
  reading?: Partial<SpecReading>;
  /** A free sandbox ("sandbox credit"): nothing is charged, the wallet and the tokens' stats never move. */
  free?: boolean;
}

/** A faithful Visengine on 127.0.0.1: the Prova environment and the backend of every test. */
export class Simulator {
  readonly token: string;
  readonly adminToken: string;
  readonly faults = new Faults();
  private readonly ctx: visengine.SimContext;
  private readonly oauth: SimOAuth;
  private readonly server: Server;
  private readonly options: SimulatorOptions;
  private readonly sockets = new Set<Socket>();
  private baseUrl = '';
  /** Calls received per "METHOD /first-segment", for tests that count traffic. */
  readonly calls = new Map<string, number>();

  constructor(options: SimulatorOptions = {}) {
    this.options = options;
    this.token = options.token ?? `prova-${randomBytes(12).toString('hex')}`;
    this.adminToken = options.adminToken ?? randomBytes(16).toString('hex');
    this.ctx = {
      store: new SimStore(options.wallet ?? 500, options.stateFile ?? null),
      now: options.now ?? Date.now,
      durations: { ...PROVA_DURATIONS, ...options.durations },
      outcomes: [],
      owner: options.owner ?? 'prova@sportello.local',
      zips: new Map(),
      reading: { ...DEFAULT_READING, ...options.reading },
      dataRules: [],
      free: options.free ?? false,
    };
    this.oauth = new SimOAuth({
      store: this.ctx.store,
      owner: this.ctx.owner,
      apiKey: options.apiKey ?? `chiave-${randomBytes(16).toString('hex')}`,
      now: this.ctx.now,
      ...(options.disabledScopes ? { disabledScopes: options.disabledScopes } : {}),
    });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, envelopeError(500, `simulator error: ${String(error)}`));
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('simulator not started');
    return this.baseUrl;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The account's email: with the API key, the Basic credentials of the OAuth API. */
  get owner(): string {
    return this.ctx.owner;
  }

  get apiKey(): string {
    return this.oauth.apiKey;
  }

  /** The tokens made with `POST /tokens` and not deleted. */
  oauthTokens(): SimToken[] {
    return [...this.oauth.tokens.values()];
  }

  /** Whether requests are free from now on (a sandbox with "sandbox credit"): nothing moves. */
  setFree(free: boolean): void {
    this.ctx.free = free;
  }

  /** Scopes the account may not use from now on, as `METHOD /segment`. */
  setDisabledScopes(scopes: readonly string[]): void {
    this.oauth.setDisabledScopes(scopes);
  }

  get wallet(): number {
    return this.ctx.store.wallet;
  }

  set wallet(credit: number) {
    this.ctx.store.wallet = credit;
    this.ctx.store.save();
  }

  /** Every request as stored, with what it was charged. */
  requests() {
    return this.ctx.store.list();
  }

  charges() {
    return [...this.ctx.store.charges];
  }

  /**
   * Takes a request's price from the wallet once more, as a service that charged twice would: what
   * the app's audit of the account's charges must catch (a fault, for tests and demos).
   */
  chargeAgain(requestId: string): void {
    const request = this.ctx.store.requests.get(requestId);
    if (!request) throw new Error(`no simulated request ${requestId}`);
    const last = [...this.ctx.store.charges].reverse().find((c) => c.requestId === requestId);
    this.ctx.store.charge(request, last?.amount ?? request.prezzoVisura, 'visura', this.ctx.now());
    this.ctx.store.save();
  }

  /** The next closed requests end as given (codice "0" = normal completion). */
  queueOutcomes(...outcomes: Refusal[]): void {
    this.ctx.outcomes.push(...outcomes);
  }

  /** From now on the service refuses a well-formed value (checks.ts); none clears the rules. */
  refuseData(...rules: DataRule[]): void {
    if (!rules.length) this.ctx.dataRules.length = 0;
    for (const rule of rules) {
      new RegExp(rule.pattern); // a bad pattern fails here, not at the next request
      this.ctx.dataRules.push(rule);
    }
  }

  setDurations(durations: Partial<Durations>): void {
    Object.assign(this.ctx.durations, durations);
  }

  /** The reading of the spec this run plays. */
  get reading(): SpecReading {
    return { ...this.ctx.reading };
  }

  /** Plays another reading from now on (values are checked: an unknown one throws). */
  setReading(reading: Partial<SpecReading>): SpecReading {
    this.ctx.reading = mergeReading(this.ctx.reading, reading);
    return this.reading;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The service's own clock (injectable in tests), as a real server's Date header gives it.
    res.setHeader('Date', new Date(this.ctx.now()).toUTCString());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();

    if (path.startsWith('/__sim/')) return this.admin(req, res, method, path);

    const root = path.split('/')[1] ?? '';
    const segment = `${method} /${root}`;
    this.calls.set(segment, (this.calls.get(segment) ?? 0) + 1);

    // The OAuth API takes Basic auth (account email and API key); Visengine a Bearer token. Scopes
    // name the host the call arrived at, as a gateway in front of the service sees it.
    const host = req.headers.host ?? new URL(this.url).host;
    const auth = req.headers.authorization ?? '';
    const oauthCall = OAUTH_ROOTS.has(root);
    const token = oauthCall ? null : (/^Bearer\s+(\S+)$/i.exec(auth.trim())?.[1] ?? null);
    const verdict = oauthCall ? (this.oauth.basic(auth) ? 200 : 401) : this.bearer(token, method, root, host);
    // A token's stats count its calls, refused ones included (as errors).
    if (token) res.once('finish', () => this.oauth.counted(token, res.statusCode));
    if (verdict !== 200) {
      await drain(req);
      return send(
        res,
        verdict,
        envelopeError(
          verdict,
          verdict === 401
            ? 'Unauthorized: invalid or missing token'
            : `Forbidden: the token has no scope ${method}:${host}/${root}`,
        ),
      );
    }

    const fault = this.faults.take(method, path);
    if (fault?.kind === 'reset-before') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      await drain(req);
      return send(
        res,
        fault.status ?? 503,
        envelopeError(fault.error ?? fault.status ?? 503, 'Service temporarily unavailable'),
      );
    }
    if (fault?.kind === 'latency') await delay(fault.ms ?? 1000);

    let body: unknown;
    if (method === 'POST' || method === 'PUT' || method === 'DELETE') {
      const read = await readBody(req, this.options.maxBody ?? 64 * 1024 * 1024);
      if (read.tooLarge) return send(res, 413, envelopeError(413, 'request body too large'));
      if (read.text.trim()) {
        try {
          body = JSON.parse(read.text);
        } catch {
          return send(res, 400, envelopeError(400, 'invalid JSON body'));
        }
      }
    } else {
      await drain(req);
    }

    const answer = oauthCall
      ? this.oauthRoute(method, path, url.searchParams, body, host)
      : await this.route(method, path, body, token === null ? null : this.oauth.payer(token));

    switch (fault?.kind) {
      case 'reset-after':
        req.socket.destroy();
        return;
      case 'status-after':
        return send(res, fault.status ?? 502, envelopeError(fault.status ?? 502, 'Bad Gateway'));
      case 'hang-after':
        return; // the response is never written: the client's timeout fires
      case 'malformed':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"data": {"_id": "5f2829ce065afc21cc60ad0e", "state": 1, <html>Bad Gateway');
        return;
      case 'truncated': {
        const text = JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
        });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        setImmediate(() => req.socket.destroy());
        return;
      }
      default:
        send(res, answer.status, answer.body);
    }
  }

  private route(
    method: string,
    path: string,
    body: unknown,
    payer: Payer | null,
  ): Promise<visengine.Answer> | visengine.Answer {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [root, id, sub] = parts;
    const c = { ...this.ctx, payer };
    if (root === 'visure' && method === 'GET') {
      if (parts.length === 1) return visengine.listServices();
      if (parts.length === 2) return visengine.getService(id!);
    }
    if (root === 'richiesta') {
      if (parts.length === 1 && method === 'GET') return visengine.listRequests(c);
      if (parts.length === 1 && method === 'POST') return visengine.createRequest(c, body);
      if (parts.length === 1 && method === 'PUT') return visengine.updateRequest(c, '', body);
      if (parts.length === 2) {
        if (method === 'GET') return visengine.getRequest(c, id!);
        if (method === 'PUT') return visengine.updateRequest(c, id!, body);
        if (method === 'POST') return visengine.addSearch(c, id!, body);
        if (method === 'DELETE' && c.reading.delete === 'supported')
          return visengine.cancelRequest(c, id!, body);
      }
      if (parts.length === 3 && sub === 'ricerche' && method === 'PUT')
        return visengine.chooseSearchResult(c, id!, body);
    }
    if (root === 'documento' && method === 'GET') return visengine.getDocument(c, id ?? '');
    return { status: 404, body: envelopeError(404, `no route for ${method} ${path}`) };
  }

  private oauthRoute(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    host: string,
  ): visengine.Answer {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'wallet' && parts.length === 1 && method === 'GET') return visengine.wallet(this.ctx);
    return (
      this.oauth.route(method, parts, query, body, host) ?? {
        status: 404,
        body: envelopeError(404, `no route for ${method} ${path}`),
      }
    );
  }

  /** The built-in token may do everything; a token from `POST /tokens` what its scopes say. */
  private bearer(token: string | null, method: string, segment: string, host: string): 200 | 401 | 403 {
    if (!token) return 401;
    if (token === this.token) return 200;
    return this.oauth.authorize(token, method, segment, host);
  }

  /** Test and demo controls; never part of the Visengine surface. */
  private async admin(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    const read = await readBody(req, 1024 * 1024);
    if (req.headers['x-sim-admin'] !== this.adminToken)
      return send(res, 401, envelopeError(401, 'admin token required'));
    let body: Record<string, unknown>;
    try {
      body = read.text.trim() ? (JSON.parse(read.text) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, envelopeError(400, 'invalid JSON body'));
    }
    const done = (data: unknown) => send(res, 200, { data, success: true, message: '', error: null });
    if (path === '/__sim/state' && method === 'GET') {
      return done({
        wallet: this.wallet,
        requests: this.requests().length,
        charges: this.charges(),
        faults: this.faults.pending(),
        reading: this.reading,
      });
    }
    if (path === '/__sim/reading' && method === 'GET') return done(this.reading);
    if (path === '/__sim/reading' && method === 'POST') {
      try {
        return done(this.setReading(body));
      } catch (error) {
        return send(res, 400, envelopeError(400, (error as Error).message));
      }
    }
    if (path === '/__sim/faults' && method === 'POST') {
      this.faults.add(...((body.faults as FaultRule[] | undefined) ?? []));
      return done({ pending: this.faults.pending() });
    }
    if (path === '/__sim/faults' && method === 'DELETE') {
      this.faults.clear();
      return done({ pending: 0 });
    }
    if (path === '/__sim/wallet' && method === 'POST' && typeof body.credit === 'number') {
      this.wallet = body.credit;
      return done({ wallet: this.wallet });
    }
    if (path === '/__sim/outcomes' && method === 'POST') {
      this.queueOutcomes(...((body.outcomes as Refusal[] | undefined) ?? []));
      return done({ queued: this.ctx.outcomes.length });
    }
    if (path === '/__sim/scopes' && method === 'POST' && Array.isArray(body.disabled)) {
      this.setDisabledScopes(body.disabled.filter((s): s is string => typeof s === 'string'));
      return done({ disabled: body.disabled });
    }
    if (path === '/__sim/data-rules' && (method === 'POST' || method === 'DELETE')) {
      try {
        this.refuseData(...(method === 'POST' ? ((body.rules as DataRule[] | undefined) ?? []) : []));
      } catch (error) {
        return send(res, 400, envelopeError(400, (error as Error).message));
      }
      return done({ rules: this.ctx.dataRules.length });
    }
    if (path === '/__sim/free' && method === 'POST' && typeof body.free === 'boolean') {
      this.setFree(body.free);
      return done({ free: body.free });
    }
    if (path === '/__sim/durations' && method === 'POST') {
      this.setDurations(body);
      return done(this.ctx.durations);
    }
    return send(res, 404, envelopeError(404, `no admin route for ${method} ${path}`));
  }
}

function envelopeError(error: number, message: string) {
  return { data: null, success: false, message, error };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) tooLarge = true;
    else chunks.push(buffer);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}
