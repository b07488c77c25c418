import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { DocumentReading } from '../../common/reading.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { DocumentReader } from './port.ts';
import type { ReadAnswer, ReadRequest } from './worker.ts';

/*
 * The reader of the app: read.ts in a worker thread (worker.ts), so that decoding, barcode scans
 * and OCR never hold up the main process while it answers the window. The thread starts with the
 * first file to read and stops after a while without work (Tesseract's model and buffers are
 * some 100 MB). Files are read one at a time; the same bytes are read once (a drop places a file,
 * then its reading fills the form). A file that takes too long is given up and the thread
 * restarted, so a drop never hangs on one picture.
 */

export interface ThreadedReaderOptions {
  /**
   * The thread's script: worker.ts beside this file when running from the sources (tests, the
   * harness, the CLIs); the built `reading-worker.js` in the app (main/index.ts says where).
   */
  script?: string | URL | undefined;
  log: Logger;
  /** A file still unread after this long is given up. */
  timeoutMs?: number | undefined;
  /** The thread stops after this long without work. */
  idleMs?: number | undefined;
  /** Readings kept, by the hash of the bytes read. */
  cacheSize?: number | undefined;
}

interface Pending {
  id: number;
  resolve: (reading: DocumentReading) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class ThreadedReader implements DocumentReader {
  private readonly script: string | URL;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly cacheSize: number;
  private readonly cache = new Map<string, Promise<DocumentReading>>();
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private idle: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;

  constructor(options: ThreadedReaderOptions) {
    this.script = options.script ?? new URL('./worker.ts', import.meta.url);
    this.log = options.log;
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.idleMs = options.idleMs ?? 300_000;
    this.cacheSize = options.cacheSize ?? 32;
  }

  read(bytes: Uint8Array): Promise<DocumentReading> {
    const key = createHash('sha256').update(bytes).digest('hex');
    const known = this.cache.get(key);
    if (known) {
      // Most recently used last: the oldest goes first when the cache is full.
      this.cache.delete(key);
      this.cache.set(key, known);
      return known;
    }
    const reading = this.enqueue(bytes);
    this.cache.set(key, reading);
    // A failed reading is not kept: the next attempt reads again.
    reading.catch(() => this.cache.delete(key));
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return reading;
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.cache.clear();
    await this.stop(new AppError('internal', 'Lettura dei documenti interrotta: il programma si chiude'));
  }

  private enqueue(bytes: Uint8Array): Promise<DocumentReading> {
    const run = () => this.send(bytes);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private send(bytes: Uint8Array): Promise<DocumentReading> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<DocumentReading>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.log.warn('document reading timed out', { ms: this.timeoutMs });
        void this.stop(new AppError('timeout', 'La lettura del documento ha richiesto troppo tempo'));
      }, this.timeoutMs);
      this.pending = { id, resolve, reject, timer };
      // A copy goes to the thread: the caller keeps its bytes.
      worker.postMessage({ id, bytes } satisfies ReadRequest);
    }).finally(() => {
      this.pending = null;
      this.idle = setTimeout(() => void this.stop(null), this.idleMs);
      this.idle.unref();
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // Tesseract writes its diagnostics ("Estimating resolution…") to the thread's output: taken
    // here and dropped, they say nothing to the clerk and nothing the log needs.
    const worker = new Worker(this.script, { stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    worker.unref();
    worker.on('message', (answer: ReadAnswer) => {
      const pending = this.pending;
      if (!pending || pending.id !== answer.id) return;
      clearTimeout(pending.timer);
      if ('reading' in answer) pending.resolve(answer.reading);
      else {
        this.log.warn('document reading failed', { kind: answer.failure });
        pending.reject(new AppError('internal', 'Il documento non si è potuto leggere'));
      }
    });
    worker.on('error', (error: Error) => {
      this.log.error('document reading thread failed', { kind: error.name });
      void this.stop(new AppError('internal', 'Il documento non si è potuto leggere'));
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failPending(new AppError('internal', 'Il documento non si è potuto leggere'));
    });
    this.worker = worker;
    return worker;
  }

  /** Stops the thread; the file being read, if any, fails with `reason`. */
  private async stop(reason: AppError | null): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (reason) this.failPending(reason);
    await worker?.terminate();
  }

  private failPending(reason: AppError): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.reject(reason);
  }
}
