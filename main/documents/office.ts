import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

/*
 * Office documents among the outputs (docx, xlsx, odt, ods) are zips themselves. One is kept only
 * when nothing in it can run or reach out when opened: no VBA project, no ActiveX, no embedded OLE
 * object, no Basic or script library, no event bound to a macro, no template or object loaded from
 * elsewhere. Names are compared ignoring case (Office and LibreOffice do: `word/VBAPROJECT.BIN`
 * runs as well as `word/vbaProject.bin`), and the parts that declare content are read, not guessed.
 */

export type OfficeFamily = 'ooxml' | 'odf';

/** Parts read in full to be checked; an office file this large is not an output we expect. */
const MAX_PART_BYTES = 32 * 1024 * 1024;
const MAX_PARTS = 5_000;

/** The outer zip's limits (unzip.ts), held for the parts read here as for its own entries. */
export interface PartLimits {
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxRatio: number;
  /** Below this size the ratio is not judged: small XML parts compress a thousandfold. */
  ratioFloorBytes: number;
}

/** Entry names that hold code or active objects, lower case. */
const ACTIVE_NAMES: Record<OfficeFamily, RegExp> = {
  ooxml: /(^|\/)(vbaproject\.bin|vbadata\.xml|vbaprojectsignature\.bin)$|(^|\/)(activex|embeddings)\//,
  odf: /^(basic|scripts|dialogs)\/|\/(basic|scripts|dialogs)\//,
};

/** Content types and markers, lower case, that say a part is code or runs code. */
const ACTIVE_MARKERS: Record<OfficeFamily, string[]> = {
  ooxml: [
    'macroenabled',
    'vbaproject',
    'ms-office.activex',
    'vbadata',
    'oleobject',
    'application/vnd.ms-office.vba',
  ],
  odf: [
    'script:event-listener',
    'vnd.sun.star.script',
    'office:script',
    'macro:',
    'application/vnd.sun.xml.basic',
    'manifest:encryption-data',
  ],
};

/** Relationship types that load something from outside the file when it opens (template injection). */
const EXTERNAL_LOAD = /\/(attachedtemplate|oleobject|frame|subdocument|package)$/;

/**
 * Why the office file `bytes` is not safe to keep (the part at fault), or null when it is. Throws
 * nothing: an unreadable package is itself a reason.
 */
export async function officeActiveContent(
  bytes: Uint8Array,
  family: OfficeFamily,
  limits: PartLimits,
): Promise<string | null> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      strictFileNames: false,
      validateEntrySizes: true,
    });
  } catch {
    return 'not_a_package';
  }
  try {
    const entries = await listEntries(zip);
    if (entries.length > MAX_PARTS) return 'too_many_parts';
    for (const entry of entries) {
      const name = entry.fileName.replaceAll('\\', '/').toLowerCase();
      if (ACTIVE_NAMES[family].test(name)) return entry.fileName;
      if (entry.isEncrypted()) return entry.fileName;
    }
    let total = 0;
    for (const entry of entries) {
      const name = entry.fileName.replaceAll('\\', '/').toLowerCase();
      if (!isDeclaration(name, family)) continue;
      const declared = entry.uncompressedSize;
      total += declared;
      if (declared > Math.min(MAX_PART_BYTES, limits.maxEntryBytes) || total > limits.maxTotalBytes)
        return entry.fileName;
      if (declared > limits.ratioFloorBytes && declared / Math.max(entry.compressedSize, 1) > limits.maxRatio)
        return entry.fileName;
      const text = (await readEntry(zip, entry)).toLowerCase();
      if (ACTIVE_MARKERS[family].some((marker) => text.includes(marker))) return entry.fileName;
      if (family === 'ooxml' && name.endsWith('.rels') && loadsFromOutside(text)) return entry.fileName;
    }
    return null;
  } catch {
    return 'unreadable_package';
  } finally {
    zip.close();
  }
}

/** The parts that declare what the document holds and does. */
function isDeclaration(name: string, family: OfficeFamily): boolean {
  if (family === 'ooxml') return name === '[content_types].xml' || name.endsWith('.rels');
  // ODF binds macros in content, styles, settings and the manifest: every XML part.
  return name.endsWith('.xml') || name.endsWith('.rdf');
}

/** An external relationship of a kind Office fetches and runs on open (not a plain hyperlink). */
function loadsFromOutside(rels: string): boolean {
  for (const [tag] of rels.matchAll(/<relationship\b[^>]*>/g)) {
    const type = /\btype\s*=\s*"([^"]*)"/.exec(tag)?.[1] ?? '';
    if (/\btargetmode\s*=\s*"external"/.test(tag) && EXTERNAL_LOAD.test(type)) return true;
  }
  return false;
}

function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      if (entries.length > MAX_PARTS) resolve(entries);
      else zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

async function readEntry(zip: ZipFile, entry: Entry): Promise<string> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PART_BYTES) {
      stream.destroy();
      throw new Error('part too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
