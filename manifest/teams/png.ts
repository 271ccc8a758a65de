import { crc32, deflateSync } from 'node:zlib';

/** An image as 8-bit RGBA samples, row by row, top row first, straight (not premultiplied) alpha. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_RGBA = 6;
const FILTER_NONE = 0;

/** Encodes an RGBA image as a PNG (IHDR, one IDAT, IEND); the same image always gives the same bytes. */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive whole numbers, got ${width}×${height}`);
  }
  const rowBytes = width * 4;
  if (pixels.length !== rowBytes * height) {
    throw new RangeError(`${width}×${height} RGBA needs ${rowBytes * height} bytes, got ${pixels.length}`);
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = COLOR_TYPE_RGBA;
  // bytes 10–12: deflate compression, adaptive filtering, no interlace — all zero

  // Every scanline is prefixed with its filter type; icons this small do not need smarter filters.
  const scanlines = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const start = y * (rowBytes + 1);
    scanlines[start] = FILTER_NONE;
    scanlines.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), start + 1);
  }

  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, checksum]);
}
