import { parentPort } from 'node:worker_threads';
import { Ocr } from './ocr.ts';
import { readDocument } from './read.ts';

/*
 * The reading thread (threaded.ts starts it): pages are decoded, scanned for codes and read by OCR
 * here, never on the thread that answers the window. One file at a time, in the order asked.
 */

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
}

export type ReadAnswer =
  | { id: number; reading: Awaited<ReturnType<typeof readDocument>> }
  /** What went wrong, by kind only: an error's text might quote the file. */
  | { id: number; failure: string };

const port = parentPort;
if (!port) throw new Error('the reading worker runs only as a worker thread');
const ocr = new Ocr();
port.on('message', (request: ReadRequest) => {
  readDocument(request.bytes, ocr).then(
    (reading) => port.postMessage({ id: request.id, reading } satisfies ReadAnswer),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        failure: error instanceof Error ? error.name : typeof error,
      } satisfies ReadAnswer),
  );
});
