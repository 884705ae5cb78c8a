import { describe, expect, it } from 'vitest';
import { analyze, termFrequencies } from '../../indexes/analyzer';
import { referenceScores } from './bm25-reference';
import { SMALL_CORPUS, QUERIES } from './lexical-index.contract';
import { bm25TermWeight, DEFAULT_SPARSE_BM25, documentSparseVector, querySparseVector, termId } from '../../indexes/qdrant/sparse-vector';

describe('term ids', () => {
  it('are stable unsigned 32-bit hashes of the analyzed term', () => {
    // Pinned: changing the hash silently would make stored sparse vectors unreadable.
    expect(termId('v2.3.1')).toBe(termId('v2.3.1'));
    expect([termId(''), termId('index'), termId('e-1234')]).toEqual([2872998923, 2699885782, 2686942839]);
    for (const term of ['index', 'v2.3.1', 'e-1234', '東京', 'ü']) {
      const id = termId(term);
      expect(Number.isInteger(id) && id >= 0 && id <= 0xffffffff).toBe(true);
    }
    expect(new Set(['index', 'indic', 'v2.3.1', 'v2.3.2', 'e-1234', 'e-1235'].map(termId)).size).toBe(6);
  });
});

describe('sparse BM25 vectors', () => {
  it('document values are the BM25 tf saturation of each analyzed term, indices sorted and unique', () => {
    const text = 'The index rebuild blocks writes; the index rebuild is slow.';
    const vector = documentSparseVector(text, 'Index notes');
    const terms = analyze(`Index notes\n${text}`);
    const expected = new Map([...termFrequencies(terms)].map(([term, tf]) => [termId(term), bm25TermWeight(tf, terms.length, DEFAULT_SPARSE_BM25)]));
    expect(vector.indices).toEqual([...expected.keys()].sort((left, right) => left - right));
    vector.indices.forEach((index, position) => expect(vector.values[position]).toBeCloseTo(expected.get(index)!, 12));
    expect(expected.get(termId('index'))).toBeCloseTo((3 * 1.9) / (3 + 0.9 * (0.6 + (0.4 * terms.length) / 256)), 12);
  });

  it('query values are query-term frequencies; a stopword-only query is empty', () => {
    const vector = querySparseVector('index index rebuild');
    expect(vector.values[vector.indices.indexOf(termId('index'))]).toBe(2);
    expect(vector.values[vector.indices.indexOf(termId('rebuild'))]).toBe(1);
    expect(querySparseVector('the of and')).toEqual({ indices: [], values: [] });
  });

  it("dot product × Qdrant's idf equals the reference BM25 with a fixed avgdl", () => {
    const corpus = SMALL_CORPUS.map((input, position) => {
      const chunk = typeof input === 'string' ? { text: input } : input;
      return { chunkId: `chunk-${position}`, documentId: 'd', versionId: 'v', ...chunk };
    });
    const documents = corpus.map((chunk) => ({ chunkId: chunk.chunkId, vector: documentSparseVector(chunk.text, chunk.title) }));
    const df = new Map<number, number>();
    for (const document of documents) for (const index of document.vector.indices) df.set(index, (df.get(index) ?? 0) + 1);
    const n = documents.length;
    for (const query of QUERIES) {
      const sparse = querySparseVector(query);
      const reference = referenceScores(corpus, query, { ...DEFAULT_SPARSE_BM25 });
      for (const document of documents) {
        let score = 0;
        sparse.indices.forEach((index, position) => {
          const at = document.vector.indices.indexOf(index);
          if (at < 0) return;
          const idf = Math.log(1 + (n - df.get(index)! + 0.5) / (df.get(index)! + 0.5));
          score += sparse.values[position]! * idf * document.vector.values[at]!;
        });
        expect(score, `${query} / ${document.chunkId}`).toBeCloseTo(reference.get(document.chunkId) ?? 0, 10);
      }
    }
  });
});
