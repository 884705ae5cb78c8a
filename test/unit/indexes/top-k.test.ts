import { describe, expect, it } from 'vitest';
import { topK } from '../../../indexes/postgres/top-k';

describe('topK', () => {
  const scores = Float64Array.from([0.5, 2, 1, 2, 0, 3, 1]);

  it('returns the best numbers by score, ties to the lower number, from all of 0..n-1', () => {
    expect(topK(scores.length, scores, 4)).toEqual([5, 1, 3, 2]);
    expect(topK(scores.length, scores, 100)).toEqual([5, 1, 3, 2, 6, 0, 4]);
    expect(topK(scores.length, scores, 0)).toEqual([]);
  });

  it('considers only the candidates given, as an array or a typed array view', () => {
    const touched = Int32Array.from([6, 2, 0, 4, 9]).subarray(0, 4);
    expect(topK(touched, scores, 2)).toEqual([2, 6]);
    expect(topK([4, 0, 3], scores, 3)).toEqual([3, 0, 4]);
  });

  it('agrees with a full sort on random scores', () => {
    const random = Float64Array.from({ length: 500 }, (_, index) => Math.round(Math.sin(index * 7.1) * 20) / 4);
    const sorted = [...random.keys()].sort((left, right) => random[right]! - random[left]! || left - right);
    expect(topK(random.length, random, 37)).toEqual(sorted.slice(0, 37));
  });

  it('breaks ties by the order given instead of the number (chunks appended out of id order)', () => {
    const ids = ['d', 'b', 'a', 'c', 'e', 'a0', 'f'];
    const byId = (left: number, right: number) => ids[left]! > ids[right]!;
    // Scores 2 at 1 ('b') and 3 ('c'); 1 at 2 ('a') and 6 ('f').
    expect(topK(scores.length, scores, 4, byId)).toEqual([5, 1, 3, 2]);
    const equal = new Float64Array(ids.length).fill(1);
    expect(topK(equal.length, equal, 3, byId).map((index) => ids[index])).toEqual(['a', 'a0', 'b']);
    expect(topK(equal.length, equal, 3).map((index) => ids[index])).toEqual(['d', 'b', 'a']);
  });
});
