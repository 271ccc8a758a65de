import { crc32, inflateRawSync } from 'node:zlib';

/** One file read back from a ZIP archive. */
export interface ZipFile {
  name: string;
  method: number;
  data: Buffer;
}

/**
 * Reads a single-disk ZIP archive without ZIP64 through its central directory, checking what an unzip tool relies on:
 * the end record, each central header against its local header, the sizes, and each file's CRC-32.
 */
export function readZip(archive: Buffer): ZipFile[] {
  const end = findEndOfCentralDirectory(archive);
  const entryCount = archive.readUInt16LE(end + 10);
  const directorySize = archive.readUInt32LE(end + 12);
  const directoryOffset = archive.readUInt32LE(end + 16);
  expectEqual(archive.readUInt16LE(end + 8), entryCount, 'entries on this disk');
  expectEqual(directoryOffset + directorySize, end, 'central directory end');

  const files: ZipFile[] = [];
  let at = directoryOffset;
  for (let index = 0; index < entryCount; index += 1) {
    expectEqual(archive.readUInt32LE(at), 0x02014b50, 'central header signature');
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localOffset = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    if ((flags & 0x0001) !== 0) throw new Error(`${name} is encrypted`);
    at += 46 + nameLength + extraLength + commentLength;

    expectEqual(archive.readUInt32LE(localOffset), 0x04034b50, `${name}: local header signature`);
    expectEqual(archive.readUInt16LE(localOffset + 6), flags, `${name}: local flags`);
    expectEqual(archive.readUInt16LE(localOffset + 8), method, `${name}: local method`);
    // Without a data descriptor (flag bit 3), the local header repeats CRC and sizes.
    expectEqual(flags & 0x0008, 0, `${name}: data descriptor flag`);
    expectEqual(archive.readUInt32LE(localOffset + 14), crc, `${name}: local CRC`);
    expectEqual(archive.readUInt32LE(localOffset + 18), compressedSize, `${name}: local compressed size`);
    expectEqual(archive.readUInt32LE(localOffset + 22), size, `${name}: local size`);
    const localNameLength = archive.readUInt16LE(localOffset + 26);
    const localExtraLength = archive.readUInt16LE(localOffset + 28);
    expectEqual(archive.toString('utf8', localOffset + 30, localOffset + 30 + localNameLength), name, 'local name');

    const start = localOffset + 30 + localNameLength + localExtraLength;
    const body = archive.subarray(start, start + compressedSize);
    expectEqual(body.length, compressedSize, `${name}: bytes present`);
    let data: Buffer;
    if (method === 0) data = Buffer.from(body);
    else if (method === 8) data = inflateRawSync(body);
    else throw new Error(`${name}: unsupported method ${method}`);
    expectEqual(data.length, size, `${name}: size`);
    expectEqual(crc32(data), crc, `${name}: CRC-32`);
    files.push({ name, method, data });
  }
  expectEqual(at, end, 'central directory size');
  return files;
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let at = archive.length - 22; at >= Math.max(0, archive.length - 22 - 0xffff); at -= 1) {
    if (archive.readUInt32LE(at) === 0x06054b50 && at + 22 + archive.readUInt16LE(at + 20) === archive.length) return at;
  }
  throw new Error('no end of central directory record');
}

function expectEqual(actual: number | string, expected: number | string, what: string): void {
  if (actual !== expected) throw new Error(`ZIP ${what}: expected ${expected}, found ${actual}`);
}
