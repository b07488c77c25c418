/**
 * OLE compound files (CFB version 3, 512-byte sectors) for the .doc check: a root, the storages
 * and streams given (every stream in regular sectors, none in the mini stream), and header fields
 * that may lie. Layout: header, one FAT sector, the directory, then each stream's sectors.
 */

export interface CfbEntry {
  name: string;
  /** A stream's bytes; a storage has none. */
  data?: Uint8Array;
}

export interface CfbOptions {
  /** Overrides of header fields (offset → 16- or 32-bit value), to make the header lie. */
  header?: { offset: number; value: number; bits?: 16 | 32 }[];
  /** Overrides of FAT entries (sector → next), to make chains loop or run off. */
  fat?: Record<number, number>;
}

const SECTOR = 512;
const END_OF_CHAIN = 0xfffffffe;
const FAT_SECTOR = 0xfffffffd;
const FREE = 0xffffffff;

/** The first bytes of a Word document's FIB: wIdent, nFib, and the flags at offset 10. */
export function wordFib(nFib = 0x00c1, flags = 0): Uint8Array {
  const fib = Buffer.alloc(4096, 0);
  fib.writeUInt16LE(0xa5ec, 0);
  fib.writeUInt16LE(nFib, 2);
  fib.writeUInt16LE(flags, 10);
  return fib;
}

export function craftCfb(entries: CfbEntry[], options: CfbOptions = {}): Buffer {
  const all = [{ name: 'Root Entry' }, ...entries];
  const dirSectors = Math.ceil((all.length * 128) / SECTOR);
  const streams = entries.map((e) => e.data ?? null);
  const fat: number[] = [FAT_SECTOR];
  const chain = (length: number) => {
    const start = fat.length;
    for (let i = 0; i < length; i++) fat.push(i === length - 1 ? END_OF_CHAIN : fat.length + 1);
    return start;
  };
  const dirStart = chain(dirSectors);
  const starts = streams.map((data) =>
    data && data.length ? chain(Math.ceil(data.length / SECTOR)) : END_OF_CHAIN,
  );
  if (fat.length > SECTOR / 4) throw new Error('craftCfb: one FAT sector only');

  const header = Buffer.alloc(SECTOR, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c);
  header.writeUInt32LE(dirStart, 0x30);
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(END_OF_CHAIN, 0x3c);
  header.writeUInt32LE(END_OF_CHAIN, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);
  for (const { offset, value, bits } of options.header ?? [])
    if (bits === 16) header.writeUInt16LE(value, offset);
    else header.writeUInt32LE(value >>> 0, offset);

  const fatSector = Buffer.alloc(SECTOR, 0xff);
  fat.forEach((next, i) => fatSector.writeUInt32LE(options.fat?.[i] ?? next, i * 4));
  for (const [sector, next] of Object.entries(options.fat ?? {}))
    fatSector.writeUInt32LE(next >>> 0, Number(sector) * 4);

  const directory = Buffer.alloc(dirSectors * SECTOR, 0);
  all.forEach((entry, i) => {
    const at = i * 128;
    const name = Buffer.from(`${entry.name}\0`, 'utf16le');
    name.copy(directory, at, 0, Math.min(name.length, 64));
    directory.writeUInt16LE(Math.min(name.length, 64), at + 0x40);
    const data = i === 0 ? null : streams[i - 1];
    directory.writeUInt8(i === 0 ? 5 : data ? 2 : 1, at + 0x42);
    directory.writeUInt32LE(0xffffffff, at + 0x44);
    directory.writeUInt32LE(0xffffffff, at + 0x48);
    directory.writeUInt32LE(i === 0 && all.length > 1 ? 1 : 0xffffffff, at + 0x4c);
    directory.writeUInt32LE(i === 0 ? END_OF_CHAIN : starts[i - 1]!, at + 0x74);
    directory.writeUInt32LE(data ? data.length : 0, at + 0x78);
  });

  const data = streams.map((d) => {
    if (!d || !d.length) return Buffer.alloc(0);
    const padded = Buffer.alloc(Math.ceil(d.length / SECTOR) * SECTOR, 0);
    Buffer.from(d).copy(padded);
    return padded;
  });
  return Buffer.concat([header, fatSector, directory, ...data]);
}
