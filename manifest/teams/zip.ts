import { crc32, deflateRawSync } from 'node:zlib';

/** One file of a ZIP archive: a plain name (no folders, no `..`) and its bytes. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const VERSION_NEEDED = 20; // 2.0: deflate
const FLAG_UTF8_NAME = 0x0800;
// Every entry is dated 1980-01-01 00:00 (the DOS epoch), so the same files always make the same archive bytes.
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
// Without ZIP64 records, counts and sizes must fit the classic 16- and 32-bit fields.
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

/**
 * A ZIP archive of the entries, in order, at its root: each deflated, or stored when deflating does not make it
 * smaller (PNGs are already compressed). No ZIP64, no encryption, no extra fields.
 */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > MAX_ENTRIES) throw new RangeError(`a ZIP without ZIP64 holds at most ${MAX_ENTRIES} entries`);
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    checkName(entry.name, seen);
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? Buffer.from(entry.data) : deflated;
    if (entry.data.length > MAX_SIZE || offset > MAX_SIZE) throw new RangeError(`${entry.name} is too large for a ZIP without ZIP64`);
    const fields: EntryFields = {
      method: stored ? METHOD_STORED : METHOD_DEFLATED,
      crc: crc32(entry.data),
      compressedSize: body.length,
      size: entry.data.length,
      nameLength: name.length,
    };

    locals.push(localHeader(fields), name, body);
    centrals.push(centralHeader(fields, offset), name);
    offset += 30 + name.length + body.length;
  }

  const centralDirectory = Buffer.concat(centrals);
  if (offset > MAX_SIZE) throw new RangeError('the archive is too large for a ZIP without ZIP64');
  return Buffer.concat([...locals, centralDirectory, endOfCentralDirectory(entries.length, centralDirectory.length, offset)]);
}

interface EntryFields {
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  nameLength: number;
}

function localHeader(fields: EntryFields): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  writeCommonFields(header, 6, fields);
  header.writeUInt16LE(fields.nameLength, 26);
  header.writeUInt16LE(0, 28); // extra field length
  return header;
}

function centralHeader(fields: EntryFields, localHeaderOffset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4); // version made by: 2.0, MS-DOS attributes
  header.writeUInt16LE(VERSION_NEEDED, 6);
  writeCommonFields(header, 8, fields);
  header.writeUInt16LE(fields.nameLength, 28);
  // 30 extra length, 32 comment length, 34 disk number, 36 internal attributes, 38 external attributes: all zero
  header.writeUInt32LE(localHeaderOffset, 42);
  return header;
}

/** The fields local and central headers share, from "general purpose flags" to "uncompressed size". */
function writeCommonFields(header: Buffer, at: number, fields: EntryFields): void {
  header.writeUInt16LE(FLAG_UTF8_NAME, at);
  header.writeUInt16LE(fields.method, at + 2);
  header.writeUInt16LE(DOS_TIME, at + 4);
  header.writeUInt16LE(DOS_DATE, at + 6);
  header.writeUInt32LE(fields.crc, at + 8);
  header.writeUInt32LE(fields.compressedSize, at + 12);
  header.writeUInt32LE(fields.size, at + 16);
}

function endOfCentralDirectory(entryCount: number, centralDirectorySize: number, centralDirectoryOffset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  // 4 this disk, 6 disk with the central directory: zero
  record.writeUInt16LE(entryCount, 8);
  record.writeUInt16LE(entryCount, 10);
  record.writeUInt32LE(centralDirectorySize, 12);
  record.writeUInt32LE(centralDirectoryOffset, 16);
  // 20 comment length: zero
  return record;
}

function checkName(name: string, seen: Set<string>): void {
  if (name === '' || Buffer.byteLength(name) > 0xffff || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new RangeError(`not a safe ZIP entry name: ${JSON.stringify(name)}`);
  }
  if (seen.has(name)) throw new RangeError(`two ZIP entries named ${name}`);
  seen.add(name);
}
