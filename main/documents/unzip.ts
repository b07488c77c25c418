import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
// The default export, not named imports: tests watch `zlib.inflateRawSync` and
// `zlib.createInflateRaw` to prove that a refusal came before any inflating.
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { LeftOutReason } from '../../common/requests.ts';
import { AppError } from '../errors.ts';
import { officeActiveContent } from './office.ts';
import { isOle, oleActiveContent } from './ole.ts';
import { numberedName, safeName, splitExtension } from './safeName.ts';
import { signedContent } from './signed.ts';
import { hasPdfHeader, isJpeg, isPng, isTiff, isZip, startsWith } from '../files/magic.ts';

/**
 * The outputs of a Visengine request, taken out of the zip in memory and judged before anything
 * reaches the disk. Every check that needs only the central directory runs before a single byte is
 * inflated.
 *
 * Two kinds of verdict. A file the office must not keep (a program, a script, an office document
 * with macros, bytes that are not what the name says, an unknown type, an encrypted or oversized
 * entry) is left out on its own, with its reason, and every other file is kept: one odd
 * attachment must not cost the clerk the whole outcome. An archive that lies or attacks (names
 * that climb out of the folder, links, entries sharing bytes, sizes that do not hold, too many
 * entries or bytes, damage) is refused whole: nothing in it can be trusted.
 *
 * A signed file (`x.pdf.p7m`, CAdES) is kept as it is, and its content is written beside it
 * (`x.pdf`) for viewing and printing, after the same checks as any file; a content that would be
 * left out takes the signed file with it.
 */

export type OutputKind = 'pdf' | 'p7m' | 'xml' | 'text' | 'image' | 'office';

export interface UnzipLimits {
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all the kept entries together. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed size of one entry, enforced only on entries above `ratioFloorBytes`. */
  maxRatio: number;
}

export interface ExtractedFile {
  /** A safe basename, unique (ignoring case) within the result. */
  name: string;
  /** The path inside the zip, as the sender wrote it. */
  originalName: string;
  /** A stored (uncompressed) entry is a view into the zip given, not a copy. */
  bytes: Uint8Array;
  kind: OutputKind;
  /** Hex. */
  sha256: string;
  /** The content of a signed file: the name (in this result) of the `.p7m` it was taken from. */
  signedIn?: string;
}

export interface LeftOutFile {
  /** The safe basename the file would have had: what the clerk is shown. */
  name: string;
  /** The path inside the zip, as the sender wrote it. */
  originalName: string;
  reason: LeftOutReason;
  /** For the log: extension, what the bytes look like, the part at fault. Never content. */
  details: Record<string, unknown>;
}

export interface ExtractedOutputs {
  /** What is kept, in archive order, each signed file followed by its content. */
  files: ExtractedFile[];
  leftOut: LeftOutFile[];
}

export type UnsafeArchiveReason =
  | 'too_many_entries'
  | 'entry_too_large'
  | 'total_too_large'
  | 'symlink'
  | 'absolute_path'
  | 'traversal'
  | 'encrypted'
  | 'disallowed_type'
  | 'corrupt'
  | 'empty';

const MB = 1024 * 1024;

export const defaultUnzipLimits: UnzipLimits = {
  maxEntries: 200,
  maxEntryBytes: 100 * MB,
  maxTotalBytes: 300 * MB,
  maxRatio: 200,
};

// Small text and XML files legitimately compress a thousandfold; a bomb needs volume.
export const ratioFloorBytes = MB;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
const STORED = 0;
const DEFLATED = 8;
const AES = 99;
const STRONG_ENCRYPTION = 0x40;
const LOCAL_HEADER_SIZE = 30;

const yauzlOptions = {
  lazyEntries: true,
  // Entries are inflated after the whole central directory has been judged.
  autoClose: false,
  decodeStrings: true,
  validateEntrySizes: true,
  // Backslashes become slashes, so "..\x" and "C:\x" meet yauzl's own path checks.
  strictFileNames: false,
};

interface Allowed {
  kind: OutputKind;
  matches: (bytes: Uint8Array) => boolean;
}

const allowedByExtension: Record<string, Allowed> = {
  '.pdf': { kind: 'pdf', matches: hasPdfHeader },
  // DER, or base64 (bare or PEM); whether it is CAdES is for signed.ts to say.
  '.p7m': { kind: 'p7m', matches: (bytes) => isDer(bytes) || isBase64Text(bytes) },
  '.xml': { kind: 'xml', matches: isXml },
  '.txt': { kind: 'text', matches: isPlainText },
  '.csv': { kind: 'text', matches: isPlainText },
  '.png': { kind: 'image', matches: isPng },
  '.jpg': { kind: 'image', matches: isJpeg },
  '.jpeg': { kind: 'image', matches: isJpeg },
  '.tif': { kind: 'image', matches: isTiff },
  '.tiff': { kind: 'image', matches: isTiff },
  // Zips of their own: what they hold is judged by officeActiveContent (office.ts) once inflated.
  '.docx': { kind: 'office', matches: isZip },
  '.xlsx': { kind: 'office', matches: isZip },
  '.odt': { kind: 'office', matches: isZip },
  // Word 97-2003: an OLE compound file, judged by oleActiveContent (ole.ts).
  '.doc': { kind: 'office', matches: isOle },
  '.ods': { kind: 'office', matches: isZip },
};

// Refused from the name alone, before inflating: programs, scripts, active content, macros.
const disallowedExtensions = new Set(
  [
    'exe dll com scr pif cpl msi msp msc jar app dmg pkg deb rpm apk iso img vhd',
    'bat cmd ps1 psm1 sh js jse mjs vbs vbe wsf wsh hta reg lnk url scf chm inf',
    'html htm xhtml xht mht mhtml svg svgz',
    'docm dotm xlsm xltm xlam pptm potm ppam sldm',
  ]
    .join(' ')
    .split(' ')
    .map((e) => `.${e}`),
);

// Operating-system leftovers that are never an output.
const junkNames = new Set(['.ds_store', 'thumbs.db', 'desktop.ini']);

const reasonText: Record<UnsafeArchiveReason, string> = {
  too_many_entries: 'troppi file',
  entry_too_large: 'un file troppo grande',
  total_too_large: 'troppi dati una volta estratti',
  symlink: 'un collegamento simbolico',
  absolute_path: 'un percorso assoluto',
  traversal: 'un percorso che esce dalla cartella',
  encrypted: 'un file cifrato',
  disallowed_type: 'un tipo di file non ammesso',
  corrupt: 'dati danneggiati',
  empty: 'nessun file',
};

/** Refuses the whole archive; names stay in `details`, out of the message that reaches the log. */
function unsafeArchive(
  reason: UnsafeArchiveReason,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AppError {
  const message =
    reason === 'corrupt'
      ? 'Il documento ricevuto è danneggiato o non è un archivio zip valido: non è stato salvato nulla'
      : reason === 'empty'
        ? 'Il documento ricevuto non contiene alcun file: non è stato salvato nulla'
        : `Il documento ricevuto contiene un file non ammesso (${reasonText[reason]}): non è stato salvato nulla`;
  return new AppError('unsafe_archive', message, { details: { reason, ...details }, cause });
}

export async function extractOutputs(
  zip: Uint8Array,
  limits: Partial<UnzipLimits> = {},
): Promise<ExtractedOutputs> {
  const max: UnzipLimits = { ...defaultUnzipLimits, ...limits };
  if (zip.byteLength === 0) throw unsafeArchive('empty');
  const buffer = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const zipfile = await yauzl.fromBufferPromise(buffer, yauzlOptions).catch((error: unknown) => {
    throw fromYauzl(error);
  });
  try {
    if (zipfile.entryCount > max.maxEntries) {
      throw unsafeArchive('too_many_entries', { count: zipfile.entryCount, limit: max.maxEntries });
    }
    const { planned, leftOut } = admit(await readCentralDirectory(zipfile), max);
    if (planned.length === 0 && leftOut.length === 0) throw unsafeArchive('empty');
    refuseOverlaps(planned.map((p) => p.entry));

    const taken = new Set<string>();
    const files: ExtractedFile[] = [];
    for (const { entry, safe } of planned) {
      const { bytes, sha256 } = await inflate(zipfile, buffer, entry);
      const verdict = await assess(safe, bytes, sha256, max, 0);
      if ('reason' in verdict) {
        leftOut.push({
          name: safe,
          originalName: entry.fileName,
          reason: verdict.reason,
          details: verdict.details,
        });
        continue;
      }
      let signedIn: string | undefined;
      for (const kept of verdict.kept) {
        const name = unique(kept.name, taken);
        files.push({
          name,
          originalName: entry.fileName,
          bytes: kept.bytes,
          kind: kept.kind,
          sha256: kept.sha256 ?? createHash('sha256').update(kept.bytes).digest('hex'),
          ...(signedIn ? { signedIn } : {}),
        });
        if (kept.kind === 'p7m') signedIn = name;
      }
    }
    return { files, leftOut };
  } finally {
    zipfile.close();
  }
}

interface Kept {
  name: string;
  bytes: Uint8Array;
  kind: OutputKind;
  sha256?: string;
}

type Verdict = { kept: Kept[] } | { reason: LeftOutReason; details: Record<string, unknown> };

/** `x.pdf.p7m.p7m` is signed twice over; deeper than this is no office's practice. */
const MAX_SIGNED_LAYERS = 4;

/**
 * Whether a file is kept, and what is written for it: the file, and for a signed file the content
 * it carries (the content of a file signed more than once is the innermost one).
 */
async function assess(
  safe: string,
  bytes: Uint8Array,
  sha256: string | undefined,
  max: UnzipLimits,
  layer: number,
): Promise<Verdict> {
  const judged = judge(safe, bytes);
  if ('reason' in judged) return judged;
  const { name, kind } = judged;
  if (kind === 'office') {
    const part = /\.doc$/iu.test(name)
      ? oleActiveContent(bytes)
      : await officeActiveContent(bytes, /\.od[a-z]$/iu.test(name) ? 'odf' : 'ooxml', {
          ...max,
          ratioFloorBytes,
        });
    return part
      ? { reason: 'macro', details: { detected: 'macro', part } }
      : { kept: [{ name, bytes, kind, sha256 }] };
  }
  if (kind !== 'p7m') return { kept: [{ name, bytes, kind, sha256 }] };

  if (layer >= MAX_SIGNED_LAYERS)
    return { reason: 'unreadable_signature', details: { problem: 'nested too deep' } };
  const signed = signedContent(bytes);
  if (signed.kind === 'unreadable')
    return { reason: 'unreadable_signature', details: { problem: signed.problem } };
  const file: Kept = { name, bytes, kind, sha256 };
  if (signed.kind === 'detached') return { kept: [file] };
  const inner = await assess(withoutP7m(name), signed.bytes, undefined, max, layer + 1);
  if ('reason' in inner) return { reason: inner.reason, details: { ...inner.details, signed: true } };
  // Of a file signed more than once, the layers between the original and the content are not kept.
  return { kept: [file, ...inner.kept.filter((k) => k.kind !== 'p7m')] };
}

/** `x.pdf.p7m` → `x.pdf`; a content with no name of its own is judged by its bytes. */
function withoutP7m(name: string): string {
  return name.replace(/\.p7m$/iu, '') || 'documento';
}

function readCentralDirectory(zipfile: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zipfile.on('entry', (entry: Entry) => {
      entries.push(entry);
      zipfile.readEntry();
    });
    zipfile.once('end', () => resolve(entries));
    zipfile.on('error', (error: unknown) => reject(fromYauzl(error)));
    zipfile.readEntry();
  });
}

interface Planned {
  entry: Entry;
  /** The last path segment, made safe: what the clerk will see. */
  safe: string;
}

/**
 * Everything the central directory can tell, for every entry, before inflating any: the entries
 * to inflate, and those already left out from their name or their declared sizes.
 */
function admit(entries: Entry[], max: UnzipLimits): { planned: Planned[]; leftOut: LeftOutFile[] } {
  const planned: Planned[] = [];
  const leftOut: LeftOutFile[] = [];
  let total = 0;
  for (const entry of entries) {
    const name = entry.fileName;
    const pathIssue = pathProblem(name);
    if (pathIssue) throw unsafeArchive(pathIssue, { entry: name });
    const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (type === S_IFLNK) throw unsafeArchive('symlink', { entry: name });
    if (isDirectory(entry, type) || isJunk(name)) continue;
    const safe = safeName(lastSegment(name), { fallback: 'documento' });
    const leave = (reason: LeftOutReason, details: Record<string, unknown>) =>
      leftOut.push({ name: safe, originalName: name, reason, details });
    if (
      entry.isEncrypted() ||
      entry.compressionMethod === AES ||
      entry.generalPurposeBitFlag & STRONG_ENCRYPTION
    ) {
      leave('encrypted', {});
      continue;
    }
    if (type !== 0 && type !== S_IFREG) {
      throw unsafeArchive('disallowed_type', { entry: name, mode: type.toString(8) });
    }
    if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
      throw unsafeArchive('corrupt', {
        entry: name,
        problem: `compression method ${entry.compressionMethod}`,
      });
    }

    const extension = splitExtension(safe).extension.toLowerCase();
    if (disallowedByName(safe)) {
      leave('disallowed_type', { extension });
      continue;
    }

    const declared = entry.uncompressedSize;
    if (declared > max.maxEntryBytes) {
      leave('entry_too_large', { declared, limit: max.maxEntryBytes });
      continue;
    }
    const ratio = declared / Math.max(entry.compressedSize, 1);
    if (declared > ratioFloorBytes && ratio > max.maxRatio) {
      leave('ratio', { ratio: Math.round(ratio), limit: max.maxRatio });
      continue;
    }
    total += declared;
    if (total > max.maxTotalBytes)
      throw unsafeArchive('total_too_large', { declared: total, limit: max.maxTotalBytes });
    planned.push({ entry, safe });
  }
  return { planned, leftOut };
}

/**
 * A program, a script or active content by its name, signed or not: `setup.exe.p7m` holds a
 * program all the same.
 */
function disallowedByName(safe: string): boolean {
  for (let name = safe; ; name = withoutP7m(name)) {
    if (disallowedExtensions.has(splitExtension(name).extension.toLowerCase())) return true;
    if (!/\.p7m$/iu.test(name)) return false;
  }
}

/** yauzl already refuses these names; the check stays here so the rule survives a yauzl change. */
function pathProblem(name: string): 'absolute_path' | 'traversal' | null {
  const normal = name.replace(/\\/gu, '/');
  if (normal.startsWith('/') || /^[a-z]:/iu.test(normal)) return 'absolute_path';
  // Windows drops trailing dots and spaces, so ".. " and "..." can climb as well as "..".
  return normal.split('/').some((segment) => /^[. ]*\.[. ]*\.[. ]*$/u.test(segment)) ? 'traversal' : null;
}

function isDirectory(entry: Entry, type: number): boolean {
  const madeOnDos = entry.versionMadeBy >>> 8 === 0;
  return (
    entry.fileName.endsWith('/') ||
    type === S_IFDIR ||
    (madeOnDos && (entry.externalFileAttributes & DOS_DIRECTORY) !== 0)
  );
}

function isJunk(name: string): boolean {
  const segments = name.split('/');
  const last = (segments.at(-1) ?? '').toLowerCase();
  return segments.includes('__MACOSX') || junkNames.has(last) || last.startsWith('._');
}

function lastSegment(name: string): string {
  return name.split('/').at(-1) ?? '';
}

/**
 * Several central-directory records pointing into the same bytes is how the "better zip bomb"
 * multiplies one compressed stream; no honest zip does it.
 */
function refuseOverlaps(entries: Entry[]): void {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const after = sorted[i]!;
    const earliestEnd = before.relativeOffsetOfLocalHeader + LOCAL_HEADER_SIZE + before.compressedSize;
    if (earliestEnd > after.relativeOffsetOfLocalHeader) {
      throw unsafeArchive('corrupt', { entry: after.fileName, problem: 'overlapping entries' });
    }
  }
}

/**
 * yauzl has read the central directory and now checks the local header (signature, and that the
 * entry's data lies within the zip); the data itself is then taken straight from the buffer we
 * hold. A stored entry is a view of it; a deflated one is inflated into a buffer sized from the
 * declared size, already held to the limits: a stream that brings one byte more is a lying header
 * and is cut there, so a bomb never gets past its declaration. sha256 and CRC run once over the
 * whole entry.
 */
async function inflate(
  zipfile: ZipFile,
  zip: Buffer,
  entry: Entry,
): Promise<{ bytes: Uint8Array; sha256: string }> {
  const declared = entry.uncompressedSize;
  let start: number;
  try {
    ({ fileDataStart: start } = await zipfile.readLocalFileHeaderPromise(entry, { minimal: true }));
  } catch (error) {
    throw fromYauzl(error, entry.fileName);
  }
  const compressed = zip.subarray(start, start + entry.compressedSize);
  let bytes: Uint8Array;
  if (entry.compressionMethod === STORED) {
    if (compressed.length > declared) {
      throw unsafeArchive('entry_too_large', {
        entry: entry.fileName,
        declared,
        inflated: compressed.length,
      });
    }
    bytes = compressed;
  } else {
    bytes = await inflateRaw(compressed, declared, entry.fileName);
  }
  // A plain view (no copy), whichever path produced the bytes.
  bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length > declared) {
    throw unsafeArchive('entry_too_large', { entry: entry.fileName, declared, inflated: bytes.length });
  }
  if (bytes.length !== declared || zlib.crc32(bytes) >>> 0 !== entry.crc32 >>> 0) {
    throw unsafeArchive('corrupt', {
      entry: entry.fileName,
      problem: bytes.length !== declared ? 'short entry' : 'crc',
    });
  }
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Up to this size an entry is inflated in one synchronous call (a few milliseconds of the main
 * process, like parsing the JSON that carried it) into one buffer: no stream, no chunk garbage.
 * Larger entries go to the thread pool.
 */
const SYNC_INFLATE_BYTES = 8 * 1024 * 1024;

/** Output chunks of the thread-pool path: a few dozen callbacks per entry, not thousands. */
const STREAM_CHUNK_BYTES = 1024 * 1024;

/**
 * The output never grows past the declaration: the synchronous path has room for one byte more
 * and stops there; the streaming one stops at the first chunk that would pass it. Returns the
 * bytes inflated, fewer than declared when the stream ends short.
 */
async function inflateRaw(compressed: Uint8Array, declared: number, name: string): Promise<Uint8Array> {
  if (declared > SYNC_INFLATE_BYTES) return inflateRawStreaming(compressed, declared, name);
  try {
    return zlib.inflateRawSync(compressed, {
      chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, declared + 1),
      maxOutputLength: Math.max(declared, 1),
    });
  } catch (error) {
    if (errnoOf(error) === 'ERR_BUFFER_TOO_LARGE') {
      throw unsafeArchive('entry_too_large', { entry: name, declared, inflated: declared + 1 }, error);
    }
    throw fromYauzl(error, name);
  }
}

function inflateRawStreaming(compressed: Uint8Array, declared: number, name: string): Promise<Uint8Array> {
  // Not zero-filled: every byte handed out below has been written by zlib.
  const out = Buffer.allocUnsafeSlow(declared);
  let filled = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const inflater = zlib.createInflateRaw({ chunkSize: STREAM_CHUNK_BYTES });
    const fail = (error: AppError) => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      reject(error);
    };
    inflater.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (filled + chunk.length > declared) {
        fail(unsafeArchive('entry_too_large', { entry: name, declared, inflated: filled + chunk.length }));
        return;
      }
      out.set(chunk, filled);
      filled += chunk.length;
    });
    inflater.on('error', (error: unknown) => fail(fromYauzl(error, name)));
    inflater.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(out.subarray(0, filled));
    });
    inflater.end(compressed);
  });
}

function errnoOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function fromYauzl(error: unknown, entry?: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  const named = (prefix: string) => (message.startsWith(prefix) ? message.slice(prefix.length) : null);
  const absolute = named('absolute path: ');
  if (absolute !== null) return unsafeArchive('absolute_path', { entry: absolute }, error);
  const climbing = named('invalid relative path: ') ?? named('invalid characters in fileName: ');
  if (climbing !== null) return unsafeArchive('traversal', { entry: climbing }, error);
  if (message.startsWith('strong encryption')) return unsafeArchive('encrypted', { entry }, error);
  const lie = /^too many bytes in the stream\. expected (\d+)\. got at least (\d+)/u.exec(message);
  if (lie) {
    return unsafeArchive(
      'entry_too_large',
      { entry, declared: Number(lie[1]), inflated: Number(lie[2]) },
      error,
    );
  }
  return unsafeArchive(
    'corrupt',
    entry === undefined ? { problem: message } : { entry, problem: message },
    error,
  );
}

/** The bytes must be what the extension promises; a nameless PDF is still a PDF. */
function judge(
  safe: string,
  bytes: Uint8Array,
): { name: string; kind: OutputKind } | { reason: LeftOutReason; details: Record<string, unknown> } {
  const extension = splitExtension(safe).extension.toLowerCase();
  if (disallowedExtensions.has(extension)) return { reason: 'disallowed_type', details: { extension } };
  const allowed = allowedByExtension[extension];
  if (!allowed) {
    if (hasPdfHeader(bytes)) return { name: safeName(`${safe}.pdf`), kind: 'pdf' };
    return { reason: 'disallowed_type', details: { extension: extension || null, detected: detect(bytes) } };
  }
  if (!allowed.matches(bytes)) {
    return { reason: 'content_mismatch', details: { extension, detected: detect(bytes) } };
  }
  return { name: safe, kind: allowed.kind };
}

function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  // Windows and macOS fold case: "Esito.pdf" and "esito.pdf" are one file there.
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = numberedName(name, n);
  taken.add(candidate.toLowerCase());
  return candidate;
}

function view(bytes: Uint8Array, length = bytes.length): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(length, bytes.length));
}

function isDer(bytes: Uint8Array): boolean {
  return bytes.length > 1 && bytes[0] === 0x30;
}

function isXml(bytes: Uint8Array): boolean {
  return (
    view(bytes, 5).toString('latin1') === '<?xml' ||
    startsWith(bytes, [0xef, 0xbb, 0xbf, 0x3c]) ||
    startsWith(bytes, [0xff, 0xfe, 0x3c, 0x00]) ||
    startsWith(bytes, [0xfe, 0xff, 0x00, 0x3c])
  );
}

function isBase64Text(bytes: Uint8Array): boolean {
  const head = view(bytes, 64).toString('latin1');
  return head.startsWith('-----BEGIN ') || /^[A-Za-z0-9+/\r\n]{16}/u.test(head);
}

function isPlainText(bytes: Uint8Array): boolean {
  return !bytes.includes(0) && isUtf8(bytes);
}

/** For the details of a refusal only: what the bytes look like. */
function detect(bytes: Uint8Array): string {
  const head = view(bytes, 64)
    .toString('latin1')
    .replace(/^\ufeff|^\xef\xbb\xbf/u, '')
    .trimStart();
  if (hasPdfHeader(bytes)) return 'pdf';
  if (startsWith(bytes, [0x4d, 0x5a]) || startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'executable';
  const machO = bytes.length >= 4 ? view(bytes, 4).readUInt32BE(0) : 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(machO)) return 'executable';
  if (head.startsWith('#!')) return 'script';
  if (isZip(bytes)) return 'zip';
  if (/^<(!doctype html|html|script|svg)/iu.test(head)) return 'html';
  if (isXml(bytes)) return 'xml';
  if (isPng(bytes) || isJpeg(bytes) || isTiff(bytes)) return 'image';
  if (isDer(bytes)) return 'der';
  if (isPlainText(bytes)) return 'text';
  return 'unknown';
}
