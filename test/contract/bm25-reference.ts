import { analyze, termFrequencies } from '../../indexes/analyzer';
import type { IndexedChunk } from '../../indexes/ports';

/**
 * The BM25 reference the lexical contract checks adapters against, computed
 * by hand from the formula over analyzed terms (Lucene/Anserini variant):
 *   idf = ln(1 + (N − df + 0.5)/(df + 0.5))
 *   w   = tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
 *   score = Σ over distinct query terms of qtf · idf · w
 */
export interface ReferenceParameters {
  k1: number;
  b: number;
  /** A fixed avgdl (Qdrant's sparse weights); undefined means the corpus mean. */
  averageDocumentLength?: number;
}

export function referenceScores(
  corpus: readonly IndexedChunk[],
  query: string,
  parameters: ReferenceParameters,
): Map<string, number> {
  const documents = corpus.map((chunk) => {
    const terms = analyze(chunk.title ? `${chunk.title}\n${chunk.text}` : chunk.text);
    return { chunkId: chunk.chunkId, length: terms.length, frequencies: termFrequencies(terms) };
  });
  const n = documents.length;
  const averageLength = parameters.averageDocumentLength ?? documents.reduce((sum, document) => sum + document.length, 0) / Math.max(n, 1);
  const scores = new Map<string, number>();
  for (const [term, queryFrequency] of termFrequencies(analyze(query))) {
    const df = documents.filter((document) => document.frequencies.has(term)).length;
    if (df === 0) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const document of documents) {
      const tf = document.frequencies.get(term);
      if (tf === undefined) continue;
      const saturation = (tf * (parameters.k1 + 1)) / (tf + parameters.k1 * (1 - parameters.b + (parameters.b * document.length) / averageLength));
      scores.set(document.chunkId, (scores.get(document.chunkId) ?? 0) + queryFrequency * idf * saturation);
    }
  }
  return scores;
}

/** The reference ranking: score descending, chunk id ascending on ties (as the adapters order). */
export function referenceRanking(scores: ReadonlyMap<string, number>, limit: number): { chunkId: string; score: number }[] {
  return [...scores]
    .map(([chunkId, score]) => ({ chunkId, score }))
    .sort((left, right) => right.score - left.score || (left.chunkId < right.chunkId ? -1 : 1))
    .slice(0, limit);
}
