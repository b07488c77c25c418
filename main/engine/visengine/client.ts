import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Http, Logger } from '../../ports.ts';
import { AnswerTooLarge, MB, megabytes, readCappedText } from '../../net/capped.ts';
import {
  BadResponseError,
  NetworkError,
  NotFoundError,
  ServerError,
  TimeoutError,
  TooLargeError,
  UnauthorizedError,
  type EngineError,
} from '../errors.ts';
import { DocumentScanner } from './documentStream.ts';
import { errorFor, readApiCode, readMessage } from './errors.ts';
import {
  documentoSchema,
  envelopeSchema,
  priceCheckSchema,
  richiestaListSchema,
  richiestaSchema,
  serviceDetailWireSchema,
  serviceListSchema,
  type CreateRequestBody,
  type Documento,
  type JsonVisura,
  type UpdateRequestBody,
} from './schemas.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Timeouts {
  /** Catalog and request reads. */
  read: number;
  /** POST/PUT/DELETE: bodies carry base64 files, so allow for a slow uplink. */
  write: number;
  /** GET /documento: a base64 zip that may weigh tens of MB. */
  document: number;
}

export interface RetryPolicy {
  /** Total attempts for a GET (1 = no retry). POST/PUT/DELETE are never retried here. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface VisengineClientOptions {
  baseUrl: string;
  /** The Bearer token; null when none is configured. Read at each call, never stored here. */
  token: () => Promise<string | null> | string | null;
  http: Http;
  timeouts?: Partial<Timeouts>;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  log?: Logger;
  userAgent?: string;
  /** The app's clock (ms): what the service's `Date` header is compared with. */
  now?: () => number;
  /** Size ceilings (tests lower them); MAX_ANSWER_BYTES and MAX_DOCUMENT_BYTES by default. */
  limits?: { answerBytes?: number; documentBytes?: number };
}

const DEFAULT_TIMEOUTS: Timeouts = { read: 20_000, write: 90_000, document: 180_000 };
const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 400, maxDelayMs: 8_000 };

/** Codes that say the connection never reached the server: even a POST cannot have acted. */
const NOT_SENT =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ERR_CONNECTION_REFUSED|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_ADDRESS_UNREACHABLE|ENETUNREACH|EHOSTUNREACH/;

/**
 * Visengine's HTTP API, call by call, in its own terms (wire bodies in, normalised wire records
 * out): timeouts, retries for safe calls only, the envelope and its error codes mapped to the
 * port's typed errors, the `Date` header's clock offset. adapter.ts puts the Engine port on it.
 */
export class VisengineClient {
  readonly baseUrl: string;
  private readonly opts: VisengineClientOptions;
  private readonly timeouts: Timeouts;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly offsets: number[] = [];

  constructor(options: VisengineClientOptions) {
    this.opts = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  listServices() {
    return this.call('GET', '/visure', serviceListSchema);
  }

  getService(hash: string) {
    return this.call('GET', `/visure/${encodeURIComponent(hash)}`, serviceDetailWireSchema);
  }

  /**
   * `test:true` creates nothing: retried like a read, and never "the server may have acted". It also
   * carries `state: 0`, so that a service ignoring `test` would create an open request (never closed
   * by us, never paid at close) rather than a closed, charged one; the caller is told of any `_id`.
   */
  checkPrice(body: Omit<CreateRequestBody, 'test' | 'state'>) {
    return this.call(
      'POST',
      '/richiesta',
      priceCheckSchema,
      { ...body, state: 0, test: true },
      undefined,
      true,
    );
  }

  createRequest(body: CreateRequestBody) {
    return this.call('POST', '/richiesta', richiestaSchema, body);
  }

  async listRequests() {
    try {
      return await this.call('GET', '/richiesta', richiestaListSchema);
    } catch (error) {
      // The API answers 404/203 "no request related to your account" instead of an empty list. A 404
      // without that code (a wrong base URL, a proxy page) is an error: reconciliation must not read
      // it as "nothing was created".
      if (error instanceof NotFoundError && error.apiCode === 203) return [];
      throw error;
    }
  }

  getRequest(id: string) {
    return this.call('GET', `/richiesta/${encodeURIComponent(id)}`, richiestaSchema);
  }

  updateRequest(id: string, body: UpdateRequestBody) {
    return this.call('PUT', `/richiesta/${encodeURIComponent(id)}`, richiestaSchema, body);
  }

  addSearch(id: string, jsonVisura: JsonVisura) {
    return this.call('POST', `/richiesta/${encodeURIComponent(id)}`, richiestaSchema, {
      json_visura: jsonVisura,
    });
  }

  chooseSearchResult(id: string, idRicerca: string, indice: number) {
    return this.call('PUT', `/richiesta/${encodeURIComponent(id)}/ricerche`, richiestaSchema, {
      id_ricerca: idRicerca,
      indice,
    });
  }

  /**
   * The zip of a done request. A 200 JSON answer is read as a stream: the base64 `file` is decoded
   * as it arrives and never held as text (documentStream.ts); the rest is validated as usual.
   */
  getDocument(id: string): Promise<Documento> {
    const path = `/documento/${encodeURIComponent(id)}`;
    return this.retrying('GET', path, true, async () => {
      const where = `GET ${path}`;
      const answer = await this.send('GET', path, undefined, this.timeouts.document, true, (response) =>
        readDocument(where, response, this.opts.limits),
      );
      const meta = this.interpret(where, false, answer.status, answer.text, documentoSchema);
      let zip = answer.zip;
      if (zip === null) {
        // Read as text (an error status, which interpret turned into its typed error above, or a
        // success not labelled JSON): decode it with the same strict rules.
        const scanner = new DocumentScanner({ where, status: answer.status });
        scanner.push(Buffer.from(answer.text));
        zip = scanner.finish().zip;
        if (zip === null)
          throw new BadResponseError(`${where}: risposta senza il campo file`, { status: answer.status });
      }
      return { nome: meta.nome, dimensione: meta.dimensione, zip };
    });
  }

  /**
   * How far the service's clock is ahead of the app's (ms), from the HTTP `Date` header of its
   * recent answers (RFC 9110: an origin server with a clock sends one): the median of the last
   * few, each taken against the middle of its exchange. Null before any answer carried one.
   */
  clockOffset(): number | null {
    if (!this.offsets.length) return null;
    const sorted = [...this.offsets].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  async cancelRequest(id: string, motivo: string) {
    await this.call('DELETE', `/richiesta/${encodeURIComponent(id)}`, null, { motivo });
  }

  private call<S extends z.ZodType>(
    method: Method,
    path: string,
    schema: S | null,
    body?: unknown,
    timeoutMs?: number,
    /** True when the call changes nothing on the server (every GET; a `test:true` price check). */
    safe = method === 'GET',
  ): Promise<z.output<S>> {
    const limit = timeoutMs ?? (method === 'GET' ? this.timeouts.read : this.timeouts.write);
    const where = `${method} ${path}`;
    return this.retrying(method, path, safe, async () => {
      const answer = await this.send(method, path, body, limit, safe, async (response) => ({
        status: response.status,
        text: await readAnswer(where, response, !safe, this.opts.limits?.answerBytes),
      }));
      return this.interpret(where, !safe, answer.status, answer.text, schema);
    });
  }

  /** Runs `attempt`, again on network, timeout, 5xx and unreadable answers when the call is safe. */
  private async retrying<T>(method: Method, path: string, safe: boolean, attempt: () => Promise<T>) {
    const attempts = safe ? Math.max(1, this.retry.attempts) : 1;
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (n >= attempts || !isRetryable(error)) throw error;
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (n - 1));
        const delay = Math.round(backoff * (0.5 + this.random()));
        this.opts.log?.warn('visengine retry', {
          method,
          path,
          attempt: n,
          delay,
          code: (error as EngineError).code,
        });
        await this.sleep(delay);
      }
    }
  }

  /**
   * One HTTP exchange: the request, then `read` on the response, both under the timeout. Failures
   * on the way become TimeoutError / NetworkError; an EngineError raised by `read` passes through.
   */
  private async send<T>(
    method: Method,
    path: string,
    body: unknown,
    timeoutMs: number,
    safe: boolean,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const token = await this.opts.token();
    if (!token) throw new AppError('no_api_key', "Nessuna chiave API configurata per l'ambiente scelto");
    const mutation = !safe;
    const started = Date.now();
    const sentAt = (this.opts.now ?? Date.now)();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const where = `${method} ${path}`;
    let status = 0;
    let result: T;
    try {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'User-Agent': this.opts.userAgent ?? 'Sportello',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await this.opts.http(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: controller.signal,
        // A redirect would carry the Authorization header elsewhere: Visengine never redirects.
        redirect: 'error',
      });
      status = response.status;
      this.noteDate(response.headers.get('date'), sentAt);
      result = await read(response);
    } catch (error) {
      // Typed failures of reading the answer (engine errors, a document over its size) pass as they are.
      if (error instanceof AppError) throw error;
      if (controller.signal.aborted) {
        throw new TimeoutError(`${where}: nessuna risposta entro ${Math.round(timeoutMs / 1000)} s`, {
          ambiguous: mutation,
          ...(status ? { status } : {}),
          cause: error,
        });
      }
      const detail = describeNetworkError(error);
      // A reset after the headers arrived, or any failure once the body may have been sent, is ambiguous.
      const ambiguous = mutation && (status !== 0 || !NOT_SENT.test(detail));
      throw new NetworkError(`${where}: ${detail}`, {
        ambiguous,
        ...(status ? { status } : {}),
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    this.opts.log?.info('visengine', { method, path, status, ms: Date.now() - started });
    return result;
  }

  private noteDate(header: string | null, sentAt: number): void {
    const date = header ? Date.parse(header) : Number.NaN;
    if (!Number.isFinite(date)) return;
    const receivedAt = (this.opts.now ?? Date.now)();
    // `Date` is truncated to the second: its middle is the best guess.
    this.offsets.push(date + 500 - (sentAt + receivedAt) / 2);
    if (this.offsets.length > 9) this.offsets.shift();
  }

  private interpret<S extends z.ZodType>(
    where: string,
    mutation: boolean,
    status: number,
    text: string,
    schema: S | null,
  ): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      if (status === 401 || status === 403)
        throw new UnauthorizedError(`${where}: HTTP ${status}`, { status });
      // A proxy's "413 Request Entity Too Large" page: refused before reaching the service.
      if (status === 413) throw new TooLargeError(`${where}: HTTP 413`, { status });
      if (status >= 500) throw new ServerError(`${where}: HTTP ${status}`, { status, ambiguous: mutation });
      throw new BadResponseError(
        `${where}: risposta non JSON o troncata (HTTP ${status}, ${text.length} byte)`,
        {
          status,
          ambiguous: mutation,
          cause: error,
        },
      );
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
      if (status >= 400) throw errorFor(status, undefined, `${where}: HTTP ${status}`, mutation);
      throw new BadResponseError(`${where}: risposta senza la busta {success,data}`, {
        status,
        ambiguous: mutation,
      });
    }
    const env = envelope.data;
    if (env.success && status >= 200 && status < 300) {
      if (schema === null) return undefined as z.output<S>;
      const parsed = schema.safeParse(env.data);
      if (parsed.success) return parsed.data;
      throw new BadResponseError(`${where}: dati inattesi (${summariseIssues(parsed.error)})`, {
        status,
        ambiguous: mutation,
      });
    }
    const { text: message, fields } = readMessage(env);
    throw errorFor(status, readApiCode(env), `${where}: ${message || `HTTP ${status}`}`, mutation, fields);
  }
}

/**
 * A 200 JSON answer streams through the DocumentScanner; anything else (an error status, an HTML
 * page) is small and read as text for the ordinary mapping.
 */
async function readDocument(
  where: string,
  response: Response,
  limits: VisengineClientOptions['limits'],
): Promise<{ status: number; text: string; zip: Uint8Array | null }> {
  const status = response.status;
  const type = response.headers.get('content-type');
  if (status !== 200 || !response.body || (type !== null && !/json/i.test(type))) {
    return { status, text: await readAnswer(where, response, false, limits?.answerBytes), zip: null };
  }
  const length = response.headers.get('content-length');
  const scanner = new DocumentScanner({
    where,
    status,
    contentLength: length === null ? null : Number(length),
    maxBytes: limits?.documentBytes ?? MAX_DOCUMENT_BYTES,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      scanner.push(value);
    }
  } catch (error) {
    // Stop the download: nothing more of this answer is wanted.
    reader.cancel().catch(() => {});
    throw error;
  }
  const { skeleton, zip } = scanner.finish();
  return { status, text: skeleton, zip };
}

/** Every answer but a document's is JSON of a few hundred KB at most (the catalog). */
export const MAX_ANSWER_BYTES = 16 * MB;
/** A request's outputs, decoded: far above any real zip of PDFs, far below the memory at hand. */
export const MAX_DOCUMENT_BYTES = 200 * MB;

/** An answer's text, read up to MAX_ANSWER_BYTES: past that it is unreadable, as a cut one is. */
async function readAnswer(
  where: string,
  response: Response,
  mutation: boolean,
  limit = MAX_ANSWER_BYTES,
): Promise<string> {
  try {
    return await readCappedText(response, limit);
  } catch (error) {
    if (!(error instanceof AnswerTooLarge)) throw error;
    throw new BadResponseError(`${where}: risposta oltre ${megabytes(limit)}, non letta`, {
      status: response.status,
      ambiguous: mutation,
    });
  }
}

function isRetryable(error: unknown): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof TimeoutError ||
    error instanceof ServerError ||
    error instanceof BadResponseError
  );
}

function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      break;
    }
  }
  return parts.join(' ← ') || 'errore di rete';
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(radice)'}: ${i.message}`)
    .join('; ');
}
