import { AppError } from '../../errors.ts';
import { BadResponseError } from '../errors.ts';

/*
 * The body of a `GET /documento` answer, read as it arrives: `{"data":{"nome":…,"dimensione":…,
 * "file":"<base64 zip>"},"success":…}`. The base64 text of `data.file` (a third larger than the zip)
 * is never held: it is decoded in groups of four characters straight into the output buffer.
 * Everything else is copied into a small skeleton JSON, with `file` left as "", that the caller
 * parses and validates like any other answer.
 *
 * Inside `file` the JSON escapes a server may write are understood: `\/` (PHP's json_encode escapes
 * every slash), `\n`, `\r`, `\t` (line breaks of a wrapped base64: skipped) and `\u00XX` naming one
 * of those characters or a base64 one. Anything else — another escape, a character outside the standard base64
 * alphabet, a raw control character, a misplaced `=` — is a BadResponseError. A missing final padding
 * is accepted (as Node's decoder does); a lone trailing character is not.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PAD = 64;
const INVALID = 255;

/** Sextet of each byte: 0–63, PAD for '=', INVALID otherwise. */
const SEXTET = new Uint8Array(256).fill(INVALID);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < 64; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;
SEXTET[0x3d] = PAD;

/** Plain base64 characters gathered (escapes resolved), then decoded in groups of four. */
const SCRATCH = 256 * 1024;
/** The skeleton holds the envelope, `nome`, `dimensione`: a few hundred bytes in practice. */
const DEFAULT_MAX_SKELETON = 1024 * 1024;
/** Never preallocate more than this on the word of a header or of `dimensione`. */
const MAX_PREALLOCATE = 512 * 1024 * 1024;
/** Growth step when no size is known in advance. */
const GROW = 4 * 1024 * 1024;

interface Frame {
  object: boolean;
  /** The key of the member being read (objects only). */
  key: string | null;
  /** True after `{` or `,` in an object: the next string is a key. */
  expectKey: boolean;
}

export interface DocumentScannerOptions {
  /** Prefix of error messages, e.g. "GET /documento/…". */
  where: string;
  status: number;
  /** The Content-Length of the answer, when sent: bounds the decoded size. */
  contentLength?: number | null;
  /** Decoded bytes of `file` beyond which the answer is refused, Content-Length or not. */
  maxBytes?: number;
  maxSkeletonBytes?: number;
}

export interface ScannedDocument {
  /** The answer with `data.file` replaced by "": small, for JSON.parse and the schemas. */
  skeleton: string;
  /** The decoded bytes of `data.file`; null when the answer had no such string. */
  zip: Uint8Array | null;
}

export class DocumentScanner {
  private readonly where: string;
  private readonly status: number;
  private readonly contentLength: number | null;
  private readonly maxSkeleton: number;
  private readonly maxBytes: number;

  // --- the JSON around `file`
  private readonly stack: Frame[] = [];
  private mode: 'json' | 'string' | 'file' = 'json';
  /** Inside a string: the previous byte was a backslash. */
  private stringEscape = false;
  private readingKey = false;
  private keyBytes: number[] = [];
  private keyRaw = false;
  private skeleton: Uint8Array[] = [];
  private skeletonBytes = 0;
  private sawFile = false;

  // --- inside `file`
  /** 0: none; 1: after a backslash; 2–5: reading the hex digits of a \u escape. */
  private escape = 0;
  private hex = 0;
  private quad = 0;
  private quadLength = 0;
  private pads = 0;
  /** A group ended with padding: nothing but the closing quote may follow. */
  private closed = false;
  private readonly scratch = Buffer.allocUnsafe(SCRATCH);
  private scratchLength = 0;
  private out: Buffer | null = null;
  private outLength = 0;
  private full: Buffer[] = [];
  private fullBytes = 0;

  constructor(options: DocumentScannerOptions) {
    this.where = options.where;
    this.status = options.status;
    this.contentLength =
      options.contentLength !== undefined &&
      options.contentLength !== null &&
      Number.isSafeInteger(options.contentLength) &&
      options.contentLength >= 0
        ? options.contentLength
        : null;
    this.maxSkeleton = options.maxSkeletonBytes ?? DEFAULT_MAX_SKELETON;
    this.maxBytes = options.maxBytes ?? MAX_PREALLOCATE;
  }

  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = bytes.length;
    let pos = 0;
    let kept = 0; // start of the part of this chunk that goes to the skeleton
    while (pos < end) {
      if (this.mode === 'file') {
        pos = this.decode(bytes, pos, end);
        if (!this.inFile()) kept = pos - 1; // from the closing quote on, the skeleton again
        continue;
      }
      const b = bytes[pos]!;
      if (this.mode === 'string') {
        if (this.stringEscape) {
          this.stringEscape = false;
          this.keepKeyByte(b);
        } else if (b === BACKSLASH) {
          this.stringEscape = true;
          this.keyRaw = true;
          this.keepKeyByte(b);
        } else if (b === QUOTE) {
          this.mode = 'json';
          if (this.readingKey) this.endKey();
        } else {
          this.keepKeyByte(b);
        }
        pos++;
        continue;
      }
      pos++;
      switch (b) {
        case QUOTE: {
          const top = this.stack.at(-1);
          if (top?.object && top.expectKey) {
            top.expectKey = false;
            this.readingKey = true;
            this.keyBytes = [];
            this.keyRaw = false;
            this.mode = 'string';
          } else if (this.atFile()) {
            this.keep(bytes, kept, pos); // up to and with the opening quote
            this.startFile();
          } else {
            this.readingKey = false;
            this.mode = 'string';
          }
          break;
        }
        case 0x7b: // {
          this.stack.push({ object: true, key: null, expectKey: true });
          break;
        case 0x5b: // [
          this.stack.push({ object: false, key: null, expectKey: false });
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.stack.pop();
          break;
        case 0x2c: {
          // ,
          const top = this.stack.at(-1);
          if (top?.object) top.expectKey = true;
          break;
        }
        default:
          break;
      }
    }
    if (this.mode !== 'file') this.keep(bytes, kept, end);
  }

  /** The body ended: the skeleton and the decoded zip, or a BadResponseError if it stopped short. */
  finish(): ScannedDocument {
    // Elsewhere a body cut short is left to JSON.parse, which says so like for any answer.
    if (this.mode === 'file') throw this.bad('risposta troncata nel campo file');
    const skeleton = new TextDecoder().decode(Buffer.concat(this.skeleton, this.skeletonBytes));
    this.skeleton = [];
    return { skeleton, zip: this.sawFile ? this.result() : null };
  }

  // ------------------------------------------------------------------------------------------

  private inFile(): boolean {
    return this.mode === 'file';
  }

  private atFile(): boolean {
    const [root, data] = this.stack;
    return (
      this.stack.length === 2 &&
      root!.object &&
      root!.key === 'data' &&
      data!.object &&
      data!.key === 'file' &&
      !data!.expectKey
    );
  }

  private keepKeyByte(b: number): void {
    if (this.readingKey && this.keyBytes.length < 64) this.keyBytes.push(b);
  }

  private endKey(): void {
    this.readingKey = false;
    const top = this.stack.at(-1);
    if (!top?.object) return;
    const raw = String.fromCharCode(...this.keyBytes);
    let key = raw;
    if (this.keyRaw) {
      try {
        key = JSON.parse(`"${raw}"`) as string;
      } catch {
        key = raw; // the skeleton will not parse either
      }
    }
    top.key = key;
  }

  private keep(bytes: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.skeletonBytes += to - from;
    if (this.skeletonBytes > this.maxSkeleton) {
      throw this.bad(`risposta inattesa: oltre ${this.maxSkeleton} byte fuori dal campo file`);
    }
    this.skeleton.push(Uint8Array.prototype.slice.call(bytes, from, to));
  }

  private startFile(): void {
    if (this.sawFile) throw this.bad('campo file ripetuto');
    this.sawFile = true;
    this.mode = 'file';
    const bound = this.contentLength === null ? null : Math.floor((this.contentLength * 3) / 4) + 3;
    const dimensione = this.dimensioneSoFar();
    let size = 0;
    if (dimensione !== null && dimensione <= (bound ?? MAX_PREALLOCATE)) size = dimensione;
    else if (bound !== null && bound <= MAX_PREALLOCATE) size = bound;
    if (size > 0) this.out = Buffer.allocUnsafeSlow(Math.min(size, this.maxBytes));
  }

  /** `dimensione`, when the server wrote it before `file`: only a hint for the first allocation. */
  private dimensioneSoFar(): number | null {
    const text = new TextDecoder().decode(Buffer.concat(this.skeleton, this.skeletonBytes));
    const match = /"dimensione"\s*:\s*"?(\d{1,15})"?\s*[,}]/.exec(text);
    if (!match) return null;
    const n = Number(match[1]);
    return Number.isSafeInteger(n) ? n : null;
  }

  /** Decodes `file` from `start`; returns `end`, or the index just after the closing quote. */
  private decode(bytes: Buffer, start: number, end: number): number {
    let pos = start;
    // The first quote ahead closes the string (an escaped one, `\"`, is refused before it is reached).
    let quote = bytes.indexOf(QUOTE, pos);
    if (quote < 0 || quote > end) quote = end;
    let backslash = -1;
    while (pos < end) {
      if (this.escape !== 0) {
        this.escapeByte(bytes[pos]!);
        pos++;
        continue;
      }
      // The next quote or backslash bounds a run of plain characters.
      if (backslash < pos) {
        backslash = bytes.indexOf(BACKSLASH, pos);
        if (backslash < 0 || backslash > quote) backslash = quote;
      }
      pos = this.run(bytes, pos, backslash);
      if (pos === end) break;
      pos++;
      if (pos - 1 === quote) {
        this.endFile();
        this.mode = 'json';
        return pos;
      }
      this.escape = 1; // a backslash
    }
    return pos;
  }

  /** Plain characters (no quote, no backslash) in [start, stop): copied to the scratch. */
  private run(bytes: Buffer, start: number, stop: number): number {
    let pos = start;
    while (pos < stop) {
      const n = Math.min(stop - pos, SCRATCH - this.scratchLength);
      if (n < 16) {
        for (let i = 0; i < n; i++) this.scratch[this.scratchLength++] = bytes[pos++]!;
      } else {
        bytes.copy(this.scratch, this.scratchLength, pos, pos + n);
        this.scratchLength += n;
        pos += n;
      }
      if (this.scratchLength === SCRATCH) this.flush(false);
    }
    return pos;
  }

  /** One character given by an escape. */
  private scratchByte(b: number): void {
    this.scratch[this.scratchLength++] = b;
    if (this.scratchLength === SCRATCH) this.flush(false);
  }

  /**
   * Decodes the scratch: whole groups of four in bulk; at the end (`final`) the
   * last group, with its padding, character by character.
   */
  private flush(final: boolean): void {
    const length = this.scratchLength;
    const tail = final ? (length === 0 ? 0 : ((length - 1) % 4) + 1) : length % 4;
    const whole = length - tail;
    if (whole > 0) this.bulk(whole);
    if (final) {
      for (let i = whole; i < length; i++) this.char(this.scratch[i]!);
      this.scratchLength = 0;
    } else {
      this.scratch.copyWithin(0, whole, length);
      this.scratchLength = tail;
    }
  }

  /** The first `whole` (a multiple of 4) characters of the scratch. */
  private bulk(whole: number): void {
    const scratch = this.scratch;
    let from = 0;
    if (this.quadLength === 0 && this.pads === 0 && !this.closed) {
      // Four characters → three bytes, in plain JS: Node's decoder would want a string of them
      // (heap garbage as large as the answer) and skips, without a word, what it does not know.
      const out = this.room((whole / 4) * 3);
      let at = this.outLength;
      for (; from < whole; from += 4) {
        const a = SEXTET[scratch[from]!]!;
        const b = SEXTET[scratch[from + 1]!]!;
        const c = SEXTET[scratch[from + 2]!]!;
        const d = SEXTET[scratch[from + 3]!]!;
        // '=' (64) or an unknown character (255): the slow path below places or reports it.
        if ((a | b | c | d) > 63) break;
        const group = (a << 18) | (b << 12) | (c << 6) | d;
        out[at] = group >>> 16;
        out[at + 1] = (group >>> 8) & 0xff;
        out[at + 2] = group & 0xff;
        at += 3;
      }
      this.outLength = at;
    }
    for (let i = from; i < whole; i++) this.char(scratch[i]!);
  }

  private escapeByte(b: number): void {
    if (this.escape === 1) {
      if (b === 0x75) {
        this.escape = 2; // \u: four hex digits follow
        this.hex = 0;
        return;
      }
      this.escape = 0;
      if (b === 0x2f) this.scratchByte(b);
      else if (b !== 0x6e && b !== 0x72 && b !== 0x74) {
        throw this.bad(`sequenza \\${printable(b)} nel campo file`);
      }
      return;
    }
    const digit = hexValue(b);
    if (digit < 0) throw this.bad('sequenza \\u non valida nel campo file');
    this.hex = this.hex * 16 + digit;
    this.escape++;
    if (this.escape < 6) return;
    this.escape = 0;
    const code = this.hex;
    if (code === 0x0a || code === 0x0d || code === 0x09) return;
    if (code >= 0x80 || SEXTET[code] === INVALID) {
      throw this.bad(`carattere U+${code.toString(16).padStart(4, '0')} nel campo file`);
    }
    this.scratchByte(code);
  }

  private char(b: number): void {
    const v = SEXTET[b]!;
    if (v === INVALID) throw this.bad(`carattere ${printable(b)} non base64 nel campo file`);
    this.sextet(v);
  }

  private sextet(v: number): void {
    if (this.closed) throw this.bad('dati dopo il padding nel campo file');
    if (v === PAD) {
      if (this.quadLength < 2) throw this.bad('padding base64 non valido nel campo file');
      this.pads++;
      if (this.quadLength + this.pads === 4) {
        this.emitPartial();
        this.closed = true;
      }
      return;
    }
    if (this.pads > 0) throw this.bad('padding base64 non valido nel campo file');
    this.quad = (this.quad << 6) | v;
    if (++this.quadLength === 4) {
      const target = this.room(3);
      const at = this.outLength;
      target[at] = (this.quad >>> 16) & 0xff;
      target[at + 1] = (this.quad >>> 8) & 0xff;
      target[at + 2] = this.quad & 0xff;
      this.outLength = at + 3;
      this.quad = 0;
      this.quadLength = 0;
    }
  }

  /** A final group of 2 or 3 characters: 1 or 2 bytes. */
  private emitPartial(): void {
    const target = this.room(2);
    const at = this.outLength;
    if (this.quadLength === 2) {
      target[at] = (this.quad >>> 4) & 0xff;
      this.outLength = at + 1;
    } else {
      target[at] = (this.quad >>> 10) & 0xff;
      target[at + 1] = (this.quad >>> 2) & 0xff;
      this.outLength = at + 2;
    }
    this.quad = 0;
    this.quadLength = 0;
  }

  private endFile(): void {
    if (this.escape !== 0) throw this.bad('sequenza incompleta nel campo file');
    this.flush(true);
    if (this.pads > 0 && !this.closed) throw this.bad('padding base64 non valido nel campo file');
    if (this.quadLength === 1) throw this.bad('base64 incompleto nel campo file');
    if (this.quadLength > 1) this.emitPartial();
  }

  /** The output buffer with room for `n` more bytes. */
  private room(n: number): Buffer {
    if (this.fullBytes + this.outLength + n > this.maxBytes) {
      throw new AppError(
        'file_too_large',
        `il documento ricevuto supera ${Math.round(this.maxBytes / 1024 / 1024)} MB e non è stato scaricato`,
        { details: { limit: this.maxBytes } },
      );
    }
    const out = this.out;
    if (out && out.length - this.outLength >= n) return out;
    if (out && this.outLength > 0) {
      this.full.push(out.subarray(0, this.outLength));
      this.fullBytes += this.outLength;
    }
    this.out = Buffer.allocUnsafeSlow(Math.max(n, GROW));
    this.outLength = 0;
    return this.out;
  }

  private result(): Uint8Array {
    const last = this.out ? this.out.subarray(0, this.outLength) : Buffer.alloc(0);
    this.out = null;
    if (this.full.length === 0) return last;
    const all = Buffer.concat([...this.full, last], this.fullBytes + last.length);
    this.full = [];
    return all;
  }

  private bad(reason: string): BadResponseError {
    return new BadResponseError(`${this.where}: ${reason} (HTTP ${this.status})`, { status: this.status });
  }
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}

function printable(b: number): string {
  return b >= 0x21 && b < 0x7f ? `«${String.fromCharCode(b)}»` : `0x${b.toString(16).padStart(2, '0')}`;
}
