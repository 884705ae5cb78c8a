import { describe, expect, it } from 'vitest';
import { aggregate, hitAtK, mrrAtK, ndcgAtK, recallAtK } from '../../../evals/metrics';

// Graded qrels: d2 is highly relevant (2), d4 and d9 relevant (1), d5 judged non-relevant.
const graded = new Map([
  ['d2', 2],
  ['d4', 1],
  ['d9', 1],
  ['d5', 0],
]);
const run = ['d1', 'd2', 'd5', 'd4'];

describe('ndcgAtK', () => {
  it('uses linear gains, log2 discount and the ideal from all judged relevant documents', () => {
    // DCG@3 = 2/log2(3); IDCG@3 = 2/1 + 1/log2(3) + 1/log2(4) = 3.130930
    expect(ndcgAtK(run, graded, 3)).toBeCloseTo(1.261860 / 3.130930, 6);
    // DCG@4 adds 1/log2(5); IDCG@4 is still 3.130930 (only three relevant documents).
    expect(ndcgAtK(run, graded, 4)).toBeCloseTo((1.261860 + 0.430677) / 3.130930, 6);
  });

  it('is 1 for the ideal ranking and 0.5 for a single relevant document at rank 3', () => {
    expect(ndcgAtK(['d2', 'd4', 'd9'], graded, 10)).toBeCloseTo(1, 10);
    expect(ndcgAtK(['a', 'b', 'c'], new Map([['c', 1]]), 3)).toBeCloseTo(0.5, 10);
  });

  it('counts a repeated document once, at its first rank', () => {
    const qrels = new Map([['a', 1], ['b', 1]]);
    expect(ndcgAtK(['a', 'a', 'b'], qrels, 2)).toBeCloseTo(1, 10);
  });
});

describe('recallAtK, mrrAtK, hitAtK', () => {
  it('treats grade > 0 as relevant', () => {
    expect(recallAtK(run, graded, 3)).toBeCloseTo(1 / 3, 10);
    expect(recallAtK(run, graded, 4)).toBeCloseTo(2 / 3, 10);
    expect(mrrAtK(run, graded, 10)).toBe(0.5);
    expect(mrrAtK(run, graded, 1)).toBe(0);
    expect(hitAtK(run, graded, 1)).toBe(0);
    expect(hitAtK(run, graded, 2)).toBe(1);
  });

  it('scores 0 everywhere for a query without relevant judgments, as trec_eval does', () => {
    const none = new Map([['a', 0]]);
    for (const metric of [ndcgAtK, recallAtK, mrrAtK, hitAtK]) expect(metric(['a', 'b'], none, 10)).toBe(0);
    expect(ndcgAtK([], graded, 10)).toBe(0);
  });

  it('rejects a cutoff that is not a positive integer', () => {
    expect(() => ndcgAtK(run, graded, 0)).toThrow(RangeError);
    expect(() => recallAtK(run, graded, 2.5)).toThrow(RangeError);
  });
});

describe('aggregate', () => {
  it('is the mean, and 0 for no queries', () => {
    expect(aggregate([1, 0, 0.5])).toBe(0.5);
    expect(aggregate([])).toBe(0);
  });
});
