import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateRawLimited, ZipError } from '../../../ingestion/parse/zip.mjs';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    return (error as ZipError).code;
  }
  return undefined;
}

// Text that deflates to well over one 8 KB input step, so the entry is inflated in many pushes.
const text = new TextEncoder().encode(Array.from({ length: 20_000 }, (_, index) => `row ${index} value ${(index * 7919) % 10007}`).join('\n'));

describe('inflateRawLimited (ZIP entries, in JavaScript)', () => {
  it('inflates an entry fed in many steps to exactly its bytes', () => {
    const raw = deflateRawSync(text);
    expect(raw.length).toBeGreaterThan(3 * 8 * 1024);
    expect(Buffer.from(inflateRawLimited(raw, text.length, 'rows.csv')).equals(Buffer.from(text))).toBe(true);
  });

  it('allows output of exactly the limit and refuses one byte more with ZIP_TOO_LARGE', () => {
    const raw = deflateRawSync(text);
    expect(inflateRawLimited(raw, text.length, 'rows.csv').length).toBe(text.length);
    expect(codeOf(() => inflateRawLimited(raw, text.length - 1, 'rows.csv'))).toBe('ZIP_TOO_LARGE');
  });

  it('stops a bomb (64 MB of zeros in 64 KB) at a 1 MB limit', () => {
    const bomb = deflateRawSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(codeOf(() => inflateRawLimited(bomb, 1024 * 1024, 'bomb.xml'))).toBe('ZIP_TOO_LARGE');
  });

  it('truncated, garbage and empty data are ZIP_CORRUPT', () => {
    const raw = deflateRawSync(text);
    expect(codeOf(() => inflateRawLimited(raw.subarray(0, raw.length - 100), text.length, 'cut.xml'))).toBe('ZIP_CORRUPT');
    expect(codeOf(() => inflateRawLimited(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]), 1000, 'junk.xml'))).toBe('ZIP_CORRUPT');
    expect(codeOf(() => inflateRawLimited(new Uint8Array(0), 1000, 'empty.xml'))).toBe('ZIP_CORRUPT');
  });
});
