import { describe, expect, it } from 'vitest';
import { ChunkRowCache } from '../../../src/query/chunk-row-cache';

describe('ChunkRowCache', () => {
  it('keeps rows per scope: a new corpus generation misses what the old one read', () => {
    const cache = new ChunkRowCache<{ title: string }>(10);
    cache.set('corpus-a:1', 'chunk-1', { title: 'Old name' });
    expect(cache.get('corpus-a:1', 'chunk-1')).toEqual({ title: 'Old name' });
    expect(cache.get('corpus-a:2', 'chunk-1')).toBeUndefined();
    expect(cache.get('corpus-b:1', 'chunk-1')).toBeUndefined();
  });

  it('evicts the least recently used row beyond its size, counting a read as a use', () => {
    const cache = new ChunkRowCache<number>(3);
    cache.set('s', 'a', 1);
    cache.set('s', 'b', 2);
    cache.set('s', 'c', 3);
    expect(cache.get('s', 'a')).toBe(1);
    cache.set('s', 'd', 4);
    expect(cache.size).toBe(3);
    expect(cache.get('s', 'b')).toBeUndefined();
    expect([cache.get('s', 'a'), cache.get('s', 'c'), cache.get('s', 'd')]).toEqual([1, 3, 4]);
  });

  it('holds nothing with a size of 0', () => {
    const cache = new ChunkRowCache<number>(0);
    cache.set('s', 'a', 1);
    expect(cache.get('s', 'a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
