// A small ZIP reader for the Office, OpenDocument and EPUB parsers. Plain JavaScript: it runs in the
// parse worker (office-worker.mjs) as well as in typed code (sniff.ts, through zip.d.mts).
//
// Why our own and not the parsers' (JSZip inside mammoth and exceljs): a zip bomb has to be caught
// before anything inflates it whole. Entry count and declared sizes are read from the central
// directory; then every entry is inflated with a hard output limit, because a declared size is only a
// claim.
//
// Why fflate and not node:zlib: this runs in parse workers that are terminated at their time limit, and on
// Node 20 terminating a worker thread while it constructs a zlib handle aborts the whole process
// (node_zlib.cc "close before init", seen in CI). fflate is plain JavaScript: there is no handle to tear down.
import { TextDecoder } from 'node:util';
import { Inflate } from 'fflate';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;

export class ZipError extends Error {
  /** @param {'ZIP_CORRUPT' | 'ZIP_TOO_LARGE' | 'ZIP_ENCRYPTED'} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'ZipError';
    this.code = code;
  }
}

/** @param {Uint8Array} bytes */
function view(bytes) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** @param {Uint8Array} bytes */
function findEndOfCentralDirectory(bytes) {
  const data = view(bytes);
  // The record is 22 bytes plus a comment of at most 65535.
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let offset = bytes.length - 22; offset >= stop; offset -= 1) {
    if (data.getUint32(offset, true) === EOCD_SIGNATURE) return offset;
  }
  return -1;
}

/**
 * The entries of the central directory: names, sizes and where their data is. Throws ZipError
 * ZIP_CORRUPT when there is no readable directory.
 * @param {Uint8Array} bytes
 * @returns {{ name: string, method: number, compressedSize: number, size: number, localOffset: number, encrypted: boolean }[]}
 */
export function listZipEntries(bytes) {
  const eocd = findEndOfCentralDirectory(bytes);
  if (eocd < 0) throw new ZipError('ZIP_CORRUPT', 'the archive has no central directory (truncated or not a zip)');
  const data = view(bytes);
  let count = data.getUint16(eocd + 10, true);
  let size = data.getUint32(eocd + 12, true);
  let offset = data.getUint32(eocd + 16, true);
  if (offset === 0xffffffff || count === 0xffff) {
    // ZIP64: the real figures are in the ZIP64 end record the locator points at.
    const locator = eocd - 20;
    if (locator < 0 || data.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) throw new ZipError('ZIP_CORRUPT', 'the ZIP64 directory locator is missing');
    const record = Number(data.getBigUint64(locator + 8, true));
    if (record + 56 > bytes.length || data.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE) throw new ZipError('ZIP_CORRUPT', 'the ZIP64 directory record is missing');
    count = Number(data.getBigUint64(record + 32, true));
    size = Number(data.getBigUint64(record + 40, true));
    offset = Number(data.getBigUint64(record + 48, true));
  }
  if (offset + size > bytes.length) throw new ZipError('ZIP_CORRUPT', 'the central directory lies outside the file');
  const entries = [];
  const decoder = new TextDecoder('utf-8');
  let cursor = offset;
  for (let index = 0; index < count; index += 1) {
    if (cursor + 46 > bytes.length || data.getUint32(cursor, true) !== CENTRAL_SIGNATURE) throw new ZipError('ZIP_CORRUPT', 'a central directory entry is damaged');
    const flags = data.getUint16(cursor + 8, true);
    const method = data.getUint16(cursor + 10, true);
    let compressedSize = data.getUint32(cursor + 20, true);
    let entrySize = data.getUint32(cursor + 24, true);
    const nameLength = data.getUint16(cursor + 28, true);
    const extraLength = data.getUint16(cursor + 30, true);
    const commentLength = data.getUint16(cursor + 32, true);
    let localOffset = data.getUint32(cursor + 42, true);
    const name = decoder.decode(bytes.subarray(cursor + 46, cursor + 46 + nameLength));
    // ZIP64 extra field (0x0001): the 64-bit values, in this order, for each 32-bit field that is 0xffffffff.
    let extra = cursor + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = data.getUint16(extra, true);
      const length = data.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        if (entrySize === 0xffffffff) { entrySize = Number(data.getBigUint64(field, true)); field += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = Number(data.getBigUint64(field, true)); field += 8; }
        if (localOffset === 0xffffffff) localOffset = Number(data.getBigUint64(field, true));
      }
      extra += 4 + length;
    }
    entries.push({ name, method, compressedSize, size: entrySize, localOffset, encrypted: (flags & 1) === 1 });
    cursor = extraEnd + commentLength;
  }
  return entries;
}

/** @param {Uint8Array} bytes @param {{ compressedSize: number, localOffset: number }} entry */
function entryData(bytes, entry) {
  const data = view(bytes);
  const local = entry.localOffset;
  if (local + 30 > bytes.length || data.getUint32(local, true) !== LOCAL_SIGNATURE) throw new ZipError('ZIP_CORRUPT', 'a local file header is damaged');
  const start = local + 30 + data.getUint16(local + 26, true) + data.getUint16(local + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipError('ZIP_CORRUPT', 'an entry runs past the end of the file');
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * One entry's bytes, inflated with at most `maxBytes` of output.
 * @param {Uint8Array} bytes
 * @param {{ name: string, method: number, compressedSize: number, size: number, localOffset: number, encrypted: boolean }} entry
 * @param {number} maxBytes
 * @returns {Uint8Array}
 */
export function inflateEntry(bytes, entry, maxBytes) {
  if (entry.encrypted) throw new ZipError('ZIP_ENCRYPTED', `the archive entry ${entry.name} is encrypted`);
  const raw = entryData(bytes, entry);
  if (entry.method === 0) {
    if (raw.length > maxBytes) throw new ZipError('ZIP_TOO_LARGE', 'the archive expands beyond its size limit');
    return raw;
  }
  if (entry.method !== 8) throw new ZipError('ZIP_CORRUPT', `the archive entry ${entry.name} uses an unsupported compression method (${entry.method})`);
  return inflateRawLimited(raw, maxBytes, entry.name);
}

/** Input fed to the inflater at a time: DEFLATE expands at most about 1032:1, so one step yields at most ~8 MB before the limit is checked. */
const INFLATE_STEP = 8 * 1024;

/**
 * Raw DEFLATE with a hard output limit: stops with ZIP_TOO_LARGE as soon as the output passes `maxBytes`,
 * without inflating the rest; ZIP_CORRUPT when the data is not valid DEFLATE or ends early.
 * @param {Uint8Array} raw @param {number} maxBytes @param {string} name
 * @returns {Uint8Array}
 */
export function inflateRawLimited(raw, maxBytes, name) {
  // zlib calls this an unexpected end of file; fflate accepts it as nothing.
  if (raw.length === 0) throw new ZipError('ZIP_CORRUPT', `the archive entry ${name} could not be inflated`);
  /** @type {Uint8Array[]} */
  const chunks = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) over = true;
    else chunks.push(chunk);
  });
  try {
    for (let offset = 0; offset < raw.length && !over; offset += INFLATE_STEP) {
      inflater.push(raw.subarray(offset, offset + INFLATE_STEP), offset + INFLATE_STEP >= raw.length);
    }
  } catch {
    if (!over) throw new ZipError('ZIP_CORRUPT', `the archive entry ${name} could not be inflated`);
  }
  if (over) throw new ZipError('ZIP_TOO_LARGE', 'the archive expands beyond its size limit');
  if (chunks.length === 1) return /** @type {Uint8Array} */ (chunks[0]);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Checks a whole archive before any parser sees it: at most `maxEntries` entries, and at most
 * `maxBytes` once every entry is inflated (each inflated with the budget left, so a lying size costs
 * no more than the budget). Returns the inflated entries, by name.
 * @param {Uint8Array} bytes
 * @param {{ maxEntries: number, maxBytes: number }} limits
 * @returns {Map<string, Uint8Array>}
 */
export function openGuardedZip(bytes, limits) {
  const entries = listZipEntries(bytes);
  if (entries.length > limits.maxEntries) throw new ZipError('ZIP_TOO_LARGE', `the archive has ${entries.length} entries; the limit is ${limits.maxEntries}`);
  const declared = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > limits.maxBytes) throw new ZipError('ZIP_TOO_LARGE', `the archive expands to ${declared} bytes; the limit is ${limits.maxBytes}`);
  const files = new Map();
  let budget = limits.maxBytes;
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const inflated = inflateEntry(bytes, entry, budget);
    budget -= inflated.length;
    files.set(entry.name, inflated);
  }
  return files;
}
