import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter, readBinaryCopy, uuidBytes } from '../../../indexes/postgres/copy-binary';
import { AppError } from '../../../src/core/errors';

const HEADER = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

describe('BinaryCopyWriter', () => {
  it('writes the PGCOPY header, length-prefixed fields in network order, and the -1 trailer', () => {
    const bytes = new BinaryCopyWriter(8).row(3).uuid('00112233-4455-6677-8899-aabbccddeeff').text('é').int4(-2).finish();
    expect([...bytes]).toEqual([
      ...HEADER,
      0, 3, // fields in the row
      0, 0, 0, 16, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
      0, 0, 0, 2, 0xc3, 0xa9, // UTF-8 bytes, not UTF-16 units
      0, 0, 0, 4, 0xff, 0xff, 0xff, 0xfe,
      0xff, 0xff,
    ]);
  });

  it("writes pgvector's binary form: dimensions, a zero, then float4 values", () => {
    const bytes = new BinaryCopyWriter().row(1).vector([1, -0.5]).finish();
    const view = new DataView(bytes.buffer, bytes.byteOffset + HEADER.length + 2);
    expect(view.getInt32(0)).toBe(12);
    expect(view.getInt16(4)).toBe(2);
    expect(view.getInt16(6)).toBe(0);
    expect(view.getFloat32(8)).toBe(1);
    expect(view.getFloat32(12)).toBe(-0.5);
    expect(view.getInt16(16)).toBe(-1);
  });

  it("writes array_recv's form for int4[] and uuid[]: one dimension, no nulls, element type, length, lower bound 1", () => {
    const bytes = new BinaryCopyWriter().row(2).int4Array([7, -1]).uuidArray([uuidBytes('00112233-4455-6677-8899-aabbccddeeff')]).finish();
    const int4Array = [0, 0, 0, 36, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff];
    const uuidArray = [0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x0b, 0x86, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 16];
    const id = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
    expect([...bytes]).toEqual([...HEADER, 0, 2, ...int4Array, ...uuidArray, ...id, 0xff, 0xff]);
  });

  it('refuses an empty array (it would need a zero-dimension form) and a uuid that is not 16 bytes', () => {
    expect(() => new BinaryCopyWriter().row(1).int4Array([])).toThrow(/empty array/);
    expect(() => new BinaryCopyWriter().row(1).uuidArray([new Uint8Array(15)])).toThrow(/16 bytes/);
  });

  it('reads back what it writes, field by field, and refuses what is not a whole binary COPY file', () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    const payload = Uint8Array.from({ length: 70_000 }, (_, index) => index % 251);
    const file = new BinaryCopyWriter(16).row(2).uuid(id).bytea(payload).row(2).text('é').int4(7).finish();
    const rows = readBinaryCopy(file);
    expect(rows).toHaveLength(2);
    expect(Buffer.from(rows[0]![0]!).toString('hex')).toBe(id.replaceAll('-', ''));
    expect(Buffer.compare(rows[0]![1]!, payload)).toBe(0);
    expect(rows[0]![1]).toHaveLength(payload.length);
    expect(Buffer.from(rows[1]![0]!).toString('utf8')).toBe('é');
    expect(Buffer.from(rows[1]![1]!).readInt32BE(0)).toBe(7);
    expect(() => readBinaryCopy(Uint8Array.from([1, 2, 3]))).toThrow(/not a binary COPY file/);
    expect(() => readBinaryCopy(file.subarray(0, 60))).toThrow(/ends inside a field/);
  });

  it('takes a uuid as text or as its bytes, the same either way', () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    expect(new BinaryCopyWriter().row(1).uuid(uuidBytes(id)).finish()).toEqual(new BinaryCopyWriter().row(1).uuid(id).finish());
  });

  it("gives each payload a buffer of its own (never Node's shared pool), so that it can be transferred between threads", () => {
    const [first, second] = [new BinaryCopyWriter(64).row(1).int4(1).finish(), new BinaryCopyWriter(64).row(1).int4(2).finish()];
    expect(first.buffer).not.toBe(second.buffer);
    expect(first.byteOffset).toBe(0);
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => port1.postMessage(first, [first.buffer])).not.toThrow();
      expect(first.buffer.byteLength).toBe(0); // detached: moved, not copied
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('grows past its first buffer without losing bytes', () => {
    const writer = new BinaryCopyWriter(32);
    const words = Array.from({ length: 500 }, (_, index) => `term-${index}`);
    for (const word of words) writer.row(1).text(word);
    const bytes = Buffer.from(writer.finish());
    let at = HEADER.length;
    for (const word of words) {
      expect(bytes.readInt16BE(at)).toBe(1);
      const size = bytes.readInt32BE(at + 2);
      expect(bytes.toString('utf8', at + 6, at + 6 + size)).toBe(word);
      at += 6 + size;
    }
    expect(bytes.readInt16BE(at)).toBe(-1);
    expect(at + 2).toBe(bytes.length);
  });

  it('refuses a malformed uuid and a non-finite vector value with VALIDATION_FAILED', () => {
    expect(() => new BinaryCopyWriter().row(1).uuid('not-a-uuid')).toThrow(AppError);
    expect(() => uuidBytes('3f2504e0-4f89-11d3-9a0c-0305e82c33')).toThrow(/not a uuid/);
    expect(() => new BinaryCopyWriter().row(1).vector([0, Number.NaN])).toThrow(/non-finite/);
    expect(() => new BinaryCopyWriter().row(1).vector([Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });
});
