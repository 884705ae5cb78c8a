import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGunzipInJs } from '../../../src/core/threads/gunzip-in-js.mjs';

async function gunzip(chunks: Uint8Array[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    createGunzipInJs(),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('createGunzipInJs (zlib.createGunzip in JavaScript, for the PGlite thread)', () => {
  it('inflates a gzip stream fed in small pieces to exactly its bytes', async () => {
    const original = Buffer.from(Array.from({ length: 5000 }, (_, index) => `line ${index} ${(index * 31) % 97}`).join('\n'));
    const gz = gzipSync(original);
    const pieces = Array.from({ length: Math.ceil(gz.length / 1000) }, (_, index) => gz.subarray(index * 1000, (index + 1) * 1000));
    expect(pieces.length).toBeGreaterThan(3);
    expect((await gunzip(pieces)).equals(original)).toBe(true);
  });

  it('fails the pipeline on data that is not gzip, and on a truncated stream', async () => {
    await expect(gunzip([Buffer.from('this is not gzip at all, just text')])).rejects.toThrow();
    const gz = gzipSync(Buffer.alloc(100_000, 'a'));
    await expect(gunzip([gz.subarray(0, gz.length - 30)])).rejects.toThrow();
  });
});
