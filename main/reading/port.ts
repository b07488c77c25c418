import type { DocumentReading } from '../../common/reading.ts';

/**
 * What a file is, read from its pages (read.ts): the one classifier behind every way a file comes
 * in — a drop, a scan, a camera photo, the watched folder. In the app it runs off the main thread
 * (threaded.ts); tests may put a fake here, at the port.
 */
export interface DocumentReader {
  /** Never rejects for what a file contains: a page it cannot read is `unread`. */
  read(bytes: Uint8Array): Promise<DocumentReading>;
  /** Stops whatever the reader started (its thread); a later read starts it again. */
  close(): Promise<void>;
}
