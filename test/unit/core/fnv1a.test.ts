import { describe, expect, it } from 'vitest';
import { fnv1a, fnvMix, FNV_OFFSET } from '../../../src/core/fnv1a';

describe('fnv1a', () => {
  it('gives the published 32-bit FNV-1a values for ASCII text', () => {
    expect(fnv1a(FNV_OFFSET, '')).toBe(0x811c9dc5);
    expect(fnv1a(FNV_OFFSET, 'a')).toBe(0xe40c292c);
    expect(fnv1a(FNV_OFFSET, 'foobar')).toBe(0xbf9cf968);
  });

  it('hashes a slice as the same text alone, and continues from a given state', () => {
    expect(fnv1a(FNV_OFFSET, 'xxfoobarxx', 2, 8)).toBe(fnv1a(FNV_OFFSET, 'foobar'));
    expect(fnv1a(fnv1a(FNV_OFFSET, 'foo'), 'bar')).toBe(fnv1a(FNV_OFFSET, 'foobar'));
  });

  it('mixes 32-bit values order-sensitively into an unsigned state', () => {
    const one = fnvMix(fnvMix(FNV_OFFSET, 1), 2);
    expect(one).toBeGreaterThanOrEqual(0);
    expect(one).not.toBe(fnvMix(fnvMix(FNV_OFFSET, 2), 1));
    expect(fnvMix(FNV_OFFSET, 'a'.charCodeAt(0))).toBe(fnv1a(FNV_OFFSET, 'a'));
  });
});
