import { describe, expect, it } from 'vitest';
import { Bm25Reference } from '../../../evals/bm25-reference';

describe('Bm25Reference', () => {
  // Analyzed: d1 = [appl, banana] (dl 2), d2 = [appl, appl, cherri] (dl 3), d3 = [banana] (dl 1); avgdl 2.
  const index = new Bm25Reference();
  index.add('d1', 'apple banana');
  index.add('d2', 'apples apple cherry');
  index.add('d3', 'banana');

  it('scores with Lucene BM25 (k1 0.9, b 0.4), computed by hand', () => {
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5)); // ln 1.6, df(appl) = 2
    const d1 = (idf * 1 * 1.9) / (1 + 0.9 * (0.6 + 0.4 * (2 / 2)));
    const d2 = (idf * 2 * 1.9) / (2 + 0.9 * (0.6 + 0.4 * (3 / 2)));
    const hits = index.search('apple', 10);
    expect(hits.map((hit) => hit.id)).toEqual(['d2', 'd1']);
    expect(hits[0]?.score).toBeCloseTo(d2, 10);
    expect(hits[1]?.score).toBeCloseTo(d1, 10);
    expect(index.idf('appl')).toBeCloseTo(idf, 12);
    expect(index.documentFrequency('banana')).toBe(2);
  });

  it('counts repeated query terms, honours the limit and breaks ties by id', () => {
    const once = index.search('cherry', 10)[0]?.score ?? 0;
    expect(index.search('cherry cherry', 10)[0]?.score).toBeCloseTo(2 * once, 10);
    expect(index.search('apple banana', 1)).toHaveLength(1);
    const tied = new Bm25Reference();
    tied.add('b', 'same words');
    tied.add('a', 'same words');
    expect(tied.search('same', 10).map((hit) => hit.id)).toEqual(['a', 'b']);
    expect(tied.search('absent', 10)).toEqual([]);
  });

  it('accepts other parameters', () => {
    const flat = new Bm25Reference({ b: 0 });
    flat.add('short', 'apple');
    flat.add('long', 'apple pie with cream and sugar and more');
    const [first, second] = flat.search('apple', 2);
    expect(first?.score).toBeCloseTo(second?.score ?? 0, 12);
  });
});
