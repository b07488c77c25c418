import type { FileKind } from './sniff.ts';

/** One file as we keep and send it: a compressed JPEG page, or a PDF of one or more pages. */
export interface NormalizedPart {
  bytes: Uint8Array;
  mime: 'application/pdf' | 'image/jpeg';
  /** What the clerk handed over, which may differ from `mime` (a PNG becomes a JPEG). */
  kind: FileKind;
  pages: number;
  /** Pixel size of a JPEG part; null for a PDF. */
  width: number | null;
  height: number | null;
}
