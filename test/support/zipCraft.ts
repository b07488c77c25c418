import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

/**
 * Raw ZIP bytes for hostile archives that no zip library agrees to write: any name, attributes,
 * flags and method, and declared sizes and CRCs that may lie. Layout per entry: local file header,
 * name, data; then the central directory; then the end-of-central-directory record. No zip64.
 */

export const STORED = 0;
export const DEFLATED = 8;

export const zipFlags = {
  encrypted: 0x0001,
  strongEncryption: 0x0040,
  utf8: 0x0800,
} as const;

export interface CraftEntry {
  /** A string is written as UTF-8 (with the UTF-8 flag); bytes are written as given. */
  name: string | Uint8Array;
  /** What the entry really holds, uncompressed. */
  data?: Uint8Array | string;
  /** 0 stored, 8 deflated (the default), anything else as given. */
  method?: number;
  /** The bytes stored as the entry's data when they are not simply `data` compressed (a bomb, garbage). */
  payload?: Uint8Array;
  /** Declared sizes and CRC, when they must differ from the truth. */
  uncompressedSize?: number;
  compressedSize?: number;
  crc32?: number;
  /** General purpose bit flags; the UTF-8 flag is added for string names. */
  flags?: number;
  externalAttributes?: number;
  /** High byte: the host (0 MS-DOS, 3 Unix); low byte: the spec version. */
  versionMadeBy?: number;
  /** Where the central directory says the local header is (to make entries overlap). */
  localHeaderOffset?: number;
}

export interface CraftOptions {
  /** The entry count the end record declares, when it must differ from the truth. */
  declaredEntryCount?: number;
}

/** Unix mode bits as a zip stores them in the external file attributes. */
export function unixMode(mode: number): number {
  return (mode << 16) >>> 0;
}

export function craftZip(entries: CraftEntry[], options: CraftOptions = {}): Buffer {
  const locals: Uint8Array[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : Buffer.from(entry.name);
    const data =
      typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data ?? []);
    const method = entry.method ?? DEFLATED;
    const payload = entry.payload ?? (method === DEFLATED ? deflateRawSync(data) : data);
    const flags = (entry.flags ?? 0) | (typeof entry.name === 'string' ? zipFlags.utf8 : 0);
    const crc = entry.crc32 ?? crc32(data);
    const compressedSize = entry.compressedSize ?? payload.length;
    const uncompressedSize = entry.uncompressedSize ?? data.length;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    writeDosTime(local, 10);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressedSize, 18);
    local.writeUInt32LE(uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, payload);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.versionMadeBy ?? 0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    writeDosTime(central, 12);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressedSize, 20);
    central.writeUInt32LE(uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    // 30 extra length, 32 comment length, 34 disk, 36 internal attributes: all zero
    central.writeUInt32LE((entry.externalAttributes ?? 0) >>> 0, 38);
    central.writeUInt32LE(entry.localHeaderOffset ?? offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + payload.length;
  }

  const directory = Buffer.concat(centrals);
  const count = options.declaredEntryCount ?? entries.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // 4 this disk, 6 directory disk: zero
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  // 20 comment length: zero
  return Buffer.concat([...locals, directory, end]);
}

/** `size` zeros deflated without ever holding them: the raw material of a zip bomb. */
export async function deflatedZeros(size: number): Promise<{ payload: Buffer; crc32: number }> {
  const block = Buffer.alloc(1024 * 1024);
  let crc = 0;
  function* zeros(): Generator<Buffer> {
    for (let left = size; left > 0; left -= block.length) {
      const piece = left >= block.length ? block : block.subarray(0, left);
      crc = crc32(piece, crc);
      yield piece;
    }
  }
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from(zeros()),
    createDeflateRaw({ level: 9 }),
    async (source: AsyncIterable<Buffer>) => {
      for await (const part of source) parts.push(part);
    },
  );
  return { payload: Buffer.concat(parts), crc32: crc };
}

// 2026-01-01 00:00 in MS-DOS format: fixed so that equal entries give equal bytes.
function writeDosTime(buffer: Buffer, at: number): void {
  buffer.writeUInt16LE(0, at);
  buffer.writeUInt16LE(((2026 - 1980) << 9) | (1 << 5) | 1, at + 2);
}
