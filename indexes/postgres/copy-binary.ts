import { isUuid } from '../../src/core/corpora';
import { AppError } from '../../src/core/errors';

/**
 * Rows in PostgreSQL's binary COPY format (the "PGCOPY" file format of the COPY
 * docs), for `COPY … FROM '/dev/blob' WITH (FORMAT binary)` on PGlite.
 *
 * Why binary: PGlite's libc parses float text through software long-double
 * arithmetic, so pgvector's text input cost ~1.2 ms per 384-dimension vector
 * (0.8 s of a 705-chunk ingest); the binary form goes through vector_recv,
 * which reads raw float4 bits (705 vectors: ~35 ms). Written by hand because
 * pg-copy-streams-binary is stream-based and has no uuid or vector field.
 */
export class BinaryCopyWriter {
  private buffer: Buffer<ArrayBuffer>;
  private length = 0;

  constructor(initialBytes = 64 * 1024) {
    // Never from Node's shared pool (allocUnsafe's small buffers are views of it): a payload's buffer is
    // transferred from the text-stages worker, and a pooled one is not the payload's to give (Node 21+ refuses).
    this.buffer = Buffer.allocUnsafeSlow(Math.max(initialBytes, 32));
    this.bytes(SIGNATURE);
    this.int32(0); // flags: no OIDs
    this.int32(0); // header extension length
  }

  /** Starts a row of `fields` values; each value method then writes one field. */
  row(fields: number): this {
    this.int16(fields);
    return this;
  }

  /** A uuid, as text or as uuidBytes() (encode once what many rows repeat). */
  uuid(value: string | Uint8Array): this {
    const bytes = typeof value === 'string' ? uuidBytes(value) : value;
    if (bytes.length !== 16) throw new AppError('VALIDATION_FAILED', 'a uuid is 16 bytes');
    this.int32(16);
    this.bytes(bytes);
    return this;
  }

  text(value: string): this {
    const size = Buffer.byteLength(value, 'utf8');
    this.int32(size);
    this.reserve(size);
    this.buffer.write(value, this.length, 'utf8');
    this.length += size;
    return this;
  }

  /** A bytea: the bytes as they are. */
  bytea(value: Uint8Array): this {
    this.int32(value.length);
    this.bytes(value);
    return this;
  }

  /** SQL NULL, for any column type. */
  null(): this {
    this.int32(-1);
    return this;
  }

  /** A one-dimensional text[]; empty is '{}' (array_recv's zero dimensions). */
  textArray(values: readonly string[]): this {
    if (values.length === 0) {
      this.int32(12);
      this.int32(0);
      this.int32(0);
      this.int32(TEXT_OID);
      return this;
    }
    const encoded = values.map((value) => Buffer.from(value, 'utf8'));
    this.int32(20 + encoded.reduce((sum, value) => sum + 4 + value.length, 0));
    this.int32(1);
    this.int32(0);
    this.int32(TEXT_OID);
    this.int32(values.length);
    this.int32(1);
    for (const value of encoded) this.bytea(value);
    return this;
  }

  int4(value: number): this {
    this.int32(4);
    this.int32(value);
    return this;
  }

  /** A one-dimensional uuid[] of uuidBytes() values (array_recv); at least one element. */
  uuidArray(values: readonly Uint8Array[]): this {
    this.arrayHeader(values.length, UUID_OID, 16);
    for (const value of values) {
      if (value.length !== 16) throw new AppError('VALIDATION_FAILED', 'a uuid is 16 bytes');
      this.int32(16);
      this.bytes(value);
    }
    return this;
  }

  /** A one-dimensional int4[] (array_recv); at least one element. */
  int4Array(values: readonly number[]): this {
    this.arrayHeader(values.length, INT4_OID, 4);
    for (const value of values) {
      this.int32(4);
      this.int32(value);
    }
    return this;
  }

  /** pgvector's `vector` (vector_recv): int16 dimensions, int16 unused, then float4 values. */
  vector(values: readonly number[]): this {
    if (values.length > 0xffff) throw new AppError('VALIDATION_FAILED', `vector of ${values.length} dimensions is too long`);
    this.int32(4 + 4 * values.length);
    this.int16(values.length);
    this.int16(0);
    this.reserve(4 * values.length);
    for (const value of values) {
      if (!Number.isFinite(value)) throw new AppError('VALIDATION_FAILED', 'vector contains a non-finite value');
      this.buffer.writeFloatBE(value, this.length);
      this.length += 4;
    }
    return this;
  }

  /** The whole file, trailer included; the writer is done after this. */
  finish(): Uint8Array<ArrayBuffer> {
    this.int16(-1);
    return this.buffer.subarray(0, this.length);
  }

  /** Field length, then array_recv's header: one dimension, no nulls, the element type, length and lower bound 1. */
  private arrayHeader(count: number, elementOid: number, elementBytes: number): void {
    if (count === 0) throw new AppError('VALIDATION_FAILED', 'an empty array has no dimension to write');
    this.int32(20 + count * (4 + elementBytes));
    this.int32(1);
    this.int32(0);
    this.int32(elementOid);
    this.int32(count);
    this.int32(1);
  }

  private int16(value: number): void {
    this.reserve(2);
    this.buffer.writeInt16BE(value, this.length);
    this.length += 2;
  }

  private int32(value: number): void {
    this.reserve(4);
    this.buffer.writeInt32BE(value, this.length);
    this.length += 4;
  }

  private bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  private reserve(size: number): void {
    if (this.length + size <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + size));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/**
 * The rows of a binary COPY file (`COPY … TO '/dev/blob' WITH (FORMAT binary)` on PGlite), each field's raw
 * bytes (null for NULL), as views into `data`. Decoding the fields is the caller's: their types are its query's.
 */
export function readBinaryCopy(data: Uint8Array): (Uint8Array | null)[][] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < SIGNATURE.length + 8 || SIGNATURE.some((byte, index) => data[index] !== byte)) {
    throw new AppError('INTERNAL', 'not a binary COPY file');
  }
  let at = SIGNATURE.length + 4;
  at += 4 + view.getInt32(at);
  const rows: (Uint8Array | null)[][] = [];
  for (;;) {
    const fields = view.getInt16(at);
    at += 2;
    if (fields === -1) return rows;
    const row: (Uint8Array | null)[] = [];
    for (let field = 0; field < fields; field++) {
      const size = view.getInt32(at);
      at += 4;
      if (size < 0) {
        row.push(null);
        continue;
      }
      if (at + size > data.length) throw new AppError('INTERNAL', 'binary COPY file ends inside a field');
      row.push(data.subarray(at, at + size));
      at += size;
    }
    rows.push(row);
  }
}

/** A uuid's 16 bytes. */
export function uuidBytes(value: string): Uint8Array {
  if (!isUuid(value)) throw new AppError('VALIDATION_FAILED', `not a uuid: ${JSON.stringify(value)}`);
  return Buffer.from(value.replaceAll('-', ''), 'hex');
}

const UUID_OID = 2950;
const TEXT_OID = 25;
const INT4_OID = 23;
const SIGNATURE = Uint8Array.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
