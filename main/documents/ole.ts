/*
 * Word 97-2003 documents (.doc) among the outputs: an OLE compound file (CFB, [MS-CFB]), a small
 * file system of its own. One is kept only when nothing in it can run: no VBA project (Word keeps
 * it in a `Macros` storage, Excel in `_VBA_PROJECT_CUR`, both with `VBA` and `_VBA_PROJECT`
 * inside), no embedded OLE object (`ObjectPool`), not a Word 6/95 document (WordBasic macros live
 * inside its text stream, not in a storage of their own), not encrypted (its parts cannot be read).
 *
 * A small reader of our own: SheetJS' `cfb` reads these files, but it is not among the app's
 * dependencies and parses every stream into a tree, where this check needs the directory's names
 * and twelve bytes of one stream. Every sector number, chain and size comes from the sender and is
 * checked against the file before use: a chain that loops, leaves the file or outgrows it ends the
 * reading, and the file is refused as one that cannot be checked.
 */

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_BYTES = 512;
const HEADER_DIFAT_ENTRIES = 109;
const DIRECTORY_ENTRY_BYTES = 128;
/** Sector numbers at or above this are markers (end of chain, free, FAT, DIFAT), not sectors. */
const MAX_REGULAR_SECTOR = 0xfffffffa;
const END_OF_CHAIN = 0xfffffffe;
const STORAGE = 1;
const STREAM = 2;
const ROOT = 5;

/** Storages and streams, lower case, that hold code or embedded objects. */
const ACTIVE_NAMES = new Set(['macros', '_vba_project_cur', 'vba', '_vba_project', 'objectpool']);

/** nFib of Word 97 and later; earlier versions (Word 6/95) carry WordBasic macros in the text. */
const WORD_97_NFIB = 0x00c1;
const WORD_IDENT = 0xa5ec;
const F_ENCRYPTED = 0x0100;

export function isOle(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Why the Word document `bytes` is not safe to keep (the name of the part at fault, or what could
 * not be checked), or null when it is. Throws nothing.
 */
export function oleActiveContent(bytes: Uint8Array): string | null {
  if (!isOle(bytes)) return 'not_a_compound_file';
  try {
    const file = new CompoundFile(bytes);
    const entries = file.directory();
    for (const entry of entries) if (ACTIVE_NAMES.has(entry.name.toLowerCase())) return entry.name;
    const word = entries.find((e) => e.type === STREAM && e.name === 'WordDocument');
    if (!word) return 'no_word_document';
    const fib = file.streamStart(word, 12);
    if (fib.getUint16(0, true) !== WORD_IDENT) return 'WordDocument';
    if (fib.getUint16(2, true) < WORD_97_NFIB) return 'WordDocument (Word 6/95)';
    if (fib.getUint16(10, true) & F_ENCRYPTED) return 'WordDocument (encrypted)';
    return null;
  } catch (error) {
    return error instanceof Unreadable ? `unreadable: ${error.message}` : 'unreadable';
  }
}

class Unreadable extends Error {}

interface DirectoryEntry {
  name: string;
  type: number;
  start: number;
  size: number;
}

/** The header, the FAT and the directory of a compound file, each bound to the bytes given. */
class CompoundFile {
  private readonly view: DataView;
  private readonly sectorBytes: number;
  private readonly sectorCount: number;
  private readonly miniCutoff: number;
  private readonly fat: Uint32Array;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const shift = this.view.getUint16(0x1e, true);
    if (shift !== 9 && shift !== 12) throw new Unreadable(`sector shift ${shift}`);
    this.sectorBytes = 1 << shift;
    this.sectorCount = Math.floor(bytes.length / this.sectorBytes) - 1;
    this.miniCutoff = this.view.getUint32(0x38, true);
    this.fat = this.readFat();
  }

  /** Every entry of the directory, in the order of its sectors; unused slots left out. */
  directory(): DirectoryEntry[] {
    const entries: DirectoryEntry[] = [];
    for (const sector of this.chain(this.view.getUint32(0x30, true))) {
      for (
        let at = this.offsetOf(sector);
        at < this.offsetOf(sector) + this.sectorBytes;
        at += DIRECTORY_ENTRY_BYTES
      ) {
        const type = this.view.getUint8(at + 0x42);
        if (type !== STORAGE && type !== STREAM && type !== ROOT) continue;
        const nameBytes = Math.min(this.view.getUint16(at + 0x40, true), 64);
        const name = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, Math.max(nameBytes - 2, 0))
          .toString('utf16le')
          .replace(/\0+$/u, '');
        entries.push({
          name,
          type,
          start: this.view.getUint32(at + 0x74, true),
          size: this.view.getUint32(at + 0x78, true),
        });
      }
    }
    return entries;
  }

  /** The first `length` bytes of a stream kept in regular sectors (not the mini stream). */
  streamStart(entry: DirectoryEntry, length: number): DataView {
    if (entry.size < this.miniCutoff || entry.size < length)
      throw new Unreadable(`${entry.name} in the mini stream`);
    const first = this.chain(entry.start).next();
    if (first.done) throw new Unreadable(`${entry.name} has no sector`);
    return new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offsetOf(first.value), length);
  }

  /** The FAT, from the sectors the DIFAT (header, then its own chain) names. */
  private readFat(): Uint32Array {
    const fatSectors = this.view.getUint32(0x2c, true);
    if (fatSectors > this.sectorCount)
      throw new Unreadable(`${fatSectors} FAT sectors in ${this.sectorCount}`);
    const perSector = this.sectorBytes / 4;
    const fat = new Uint32Array(fatSectors * perSector);
    const sectors: number[] = [];
    for (let i = 0; i < Math.min(fatSectors, HEADER_DIFAT_ENTRIES); i++)
      sectors.push(this.view.getUint32(0x4c + i * 4, true));
    let difat = this.view.getUint32(0x44, true);
    for (let hops = 0; sectors.length < fatSectors; hops++) {
      if (hops > this.sectorCount) throw new Unreadable('DIFAT chain loops');
      const at = this.offsetOf(difat);
      for (let i = 0; i < perSector - 1 && sectors.length < fatSectors; i++)
        sectors.push(this.view.getUint32(at + i * 4, true));
      difat = this.view.getUint32(at + (perSector - 1) * 4, true);
    }
    sectors.forEach((sector, n) => {
      const at = this.offsetOf(sector);
      for (let i = 0; i < perSector; i++) fat[n * perSector + i] = this.view.getUint32(at + i * 4, true);
    });
    return fat;
  }

  /** The sectors of a chain, each checked to be in the file and visited once. */
  private *chain(start: number): Generator<number> {
    const seen = new Set<number>();
    for (let sector = start; sector !== END_OF_CHAIN;) {
      if (seen.has(sector)) throw new Unreadable('chain loops');
      if (seen.size > this.sectorCount) throw new Unreadable('chain longer than the file');
      seen.add(sector);
      this.offsetOf(sector);
      yield sector;
      if (sector >= this.fat.length) throw new Unreadable(`sector ${sector} outside the FAT`);
      sector = this.fat[sector]!;
    }
  }

  private offsetOf(sector: number): number {
    if (sector >= MAX_REGULAR_SECTOR || sector >= this.sectorCount)
      throw new Unreadable(`sector ${sector} outside the file`);
    return (sector + 1) * this.sectorBytes;
  }
}
