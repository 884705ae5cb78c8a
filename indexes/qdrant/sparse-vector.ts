import type { Schemas } from '@qdrant/js-client-rest';
import { analyzeQuery, analyzeTitled, termFrequencies } from '../analyzer';

/**
 * BM25 as Qdrant sparse vectors. Qdrant's `idf` modifier multiplies each query
 * dimension by ln(1 + (N − df + 0.5)/(df + 0.5)) computed over the collection;
 * the document side carries the BM25 tf saturation
 *   tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
 * and the query side the query-term frequency, so the dot product is the Okapi
 * BM25 score. Qdrant knows nothing of document lengths, so avgdl is a fixed
 * parameter (as in fastembed's Bm25) rather than the collection's live mean.
 */

export interface SparseBm25Parameters {
  k1: number;
  b: number;
  /** The avgdl the document weights assume (analyzed terms per chunk). */
  averageDocumentLength: number;
}

export const DEFAULT_SPARSE_BM25: SparseBm25Parameters = { k1: 0.9, b: 0.4, averageDocumentLength: 256 };

/**
 * Stable 32-bit id of an analyzed term: FNV-1a over its UTF-8 bytes with
 * murmur3's finaliser. Never change it without a new analyzer version: stored
 * sparse vectors are only comparable with queries hashed the same way.
 */
export function termId(term: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Sums weights per term id (colliding terms share a dimension) and sorts indices ascending. */
function toSparse(weights: ReadonlyMap<string, number>): Schemas['SparseVector'] {
  const byId = new Map<number, number>();
  for (const [term, weight] of weights) {
    const id = termId(term);
    byId.set(id, (byId.get(id) ?? 0) + weight);
  }
  const indices = [...byId.keys()].sort((left, right) => left - right);
  return { indices, values: indices.map((index) => byId.get(index) ?? 0) };
}

export function bm25TermWeight(tf: number, documentLength: number, parameters: SparseBm25Parameters): number {
  const { k1, b, averageDocumentLength } = parameters;
  return (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * documentLength) / averageDocumentLength));
}

/** The document side: BM25 tf saturation per analyzed term of title + text. */
export function documentSparseVector(
  text: string,
  title: string | undefined,
  parameters: SparseBm25Parameters = DEFAULT_SPARSE_BM25,
): Schemas['SparseVector'] {
  const terms = analyzeTitled(title, text);
  const weights = new Map<string, number>();
  for (const [term, tf] of termFrequencies(terms)) weights.set(term, bm25TermWeight(tf, terms.length, parameters));
  return toSparse(weights);
}

/** The query side: query-term frequencies (Qdrant applies the idf). */
export function querySparseVector(query: string): Schemas['SparseVector'] {
  return toSparse(termFrequencies(analyzeQuery(query)));
}
