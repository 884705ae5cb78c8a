import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../../src/query/fuse';

const items = (...ids: string[]) => ids.map((chunkId, index) => ({ chunkId, score: 10 - index }));

describe('reciprocalRankFusion', () => {
  it('sums weight / (k + rank) and keeps each list’s rank and raw score', () => {
    const fused = reciprocalRankFusion([
      { name: 'bm25', items: items('a', 'b', 'c') },
      { name: 'vector', items: items('b', 'd') },
    ]);
    expect(fused.map((item) => item.chunkId)).toEqual(['b', 'a', 'd', 'c']); // d: 1/62 beats c: 1/63
    expect(fused[0]?.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[0]?.ranks).toEqual({ bm25: 2, vector: 1 });
    expect(fused[0]?.scores).toEqual({ bm25: 9, vector: 10 });
    expect(fused[1]).toEqual({ chunkId: 'a', score: 1 / 61, ranks: { bm25: 1, vector: null }, scores: { bm25: 10, vector: null } });
  });

  it('applies list weights and a custom k', () => {
    const fused = reciprocalRankFusion(
      [
        { name: 'bm25', items: items('a') },
        { name: 'vector', weight: 0.5, items: items('b') },
      ],
      { k: 1 },
    );
    expect(fused.map((item) => [item.chunkId, item.score])).toEqual([
      ['a', 0.5],
      ['b', 0.25],
    ]);
  });

  it('breaks score ties by chunk id, independent of input order', () => {
    const forward = reciprocalRankFusion([
      { name: 'x', items: items('m', 'z') },
      { name: 'y', items: items('z', 'm') },
    ]);
    const backward = reciprocalRankFusion([
      { name: 'y', items: items('z', 'm') },
      { name: 'x', items: items('m', 'z') },
    ]);
    expect(forward.map((item) => item.chunkId)).toEqual(['m', 'z']);
    expect(backward.map((item) => item.chunkId)).toEqual(['m', 'z']);
  });

  it('counts an item a list repeats once, at its best rank', () => {
    const fused = reciprocalRankFusion([{ name: 'bm25', items: items('a', 'a', 'b') }]);
    expect(fused.map((item) => [item.chunkId, item.ranks.bm25])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
    expect(fused[0]?.score).toBeCloseTo(1 / 61, 12);
  });

  it('handles no lists and empty lists, and rejects duplicate names or a bad k', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([{ name: 'bm25', items: [] }])).toEqual([]);
    expect(() => reciprocalRankFusion([{ name: 'a', items: [] }, { name: 'a', items: [] }])).toThrow(/unique/);
    expect(() => reciprocalRankFusion([], { k: -1 })).toThrow(RangeError);
  });

  it('does not mutate its inputs', () => {
    const lists = [{ name: 'bm25', items: items('b', 'a') }];
    const copy = structuredClone(lists);
    reciprocalRankFusion(lists);
    expect(lists).toEqual(copy);
  });
});
