import { analyze, termFrequencies } from '../indexes/analyzer';

/**
 * In-memory Okapi BM25, the reference the Postgres BM25 adapter is
 * cross-checked against (same analyzer, same formula, so their rankings on a
 * small corpus must agree up to float rounding) and the baseline of the
 * retrieval benchmarks. Not a production index: everything lives in memory.
 *
 * Scoring is Lucene's BM25Similarity (what Anserini's published BEIR numbers
 * use), without Lucene's lossy one-byte length encoding:
 *   idf(t)   = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   score    = Σ_t qtf · idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))
 * A term repeated in the query counts once per occurrence (qtf), as Anserini's
 * bag-of-words query does.
 */

export interface Bm25Parameters {
  /** Term-frequency saturation. Anserini's BEIR default is 0.9. */
  k1: number;
  /** Length normalisation. Anserini's BEIR default is 0.4. */
  b: number;
}

export const DEFAULT_BM25_PARAMETERS: Bm25Parameters = { k1: 0.9, b: 0.4 };

export interface Bm25Hit {
  id: string;
  score: number;
}

interface Posting {
  doc: number;
  tf: number;
}

export class Bm25Reference {
  private readonly parameters: Bm25Parameters;
  private readonly ids: string[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, Posting[]>();
  private totalLength = 0;

  constructor(parameters: Partial<Bm25Parameters> = {}) {
    this.parameters = { ...DEFAULT_BM25_PARAMETERS, ...parameters };
  }

  get size(): number {
    return this.ids.length;
  }

  /** Indexes one document. Ids are not deduplicated: the caller owns identity. */
  add(id: string, text: string): void {
    this.addTerms(id, analyze(text));
  }

  /** For callers that analyzed already (or test a different analyzer). */
  addTerms(id: string, terms: readonly string[]): void {
    const doc = this.ids.length;
    this.ids.push(id);
    this.lengths.push(terms.length);
    this.totalLength += terms.length;
    for (const [term, tf] of termFrequencies(terms)) {
      const list = this.postings.get(term);
      if (list === undefined) this.postings.set(term, [{ doc, tf }]);
      else list.push({ doc, tf });
    }
  }

  /** Document frequency of an analyzed term. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5));
  }

  search(query: string, limit: number): Bm25Hit[] {
    return this.searchTerms(analyze(query), limit);
  }

  /** Best first; equal scores are ordered by id so runs are reproducible. */
  searchTerms(queryTerms: readonly string[], limit: number): Bm25Hit[] {
    const { k1, b } = this.parameters;
    const averageLength = this.ids.length === 0 ? 0 : this.totalLength / this.ids.length;
    const scores = new Float64Array(this.ids.length);
    const touched: number[] = [];
    for (const [term, queryTf] of termFrequencies(queryTerms)) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const weight = queryTf * this.idf(term);
      for (const { doc, tf } of list) {
        const length = this.lengths[doc] ?? 0;
        const norm = k1 * (1 - b + (b * length) / averageLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = (scores[doc] ?? 0) + (weight * tf * (k1 + 1)) / (tf + norm);
      }
    }
    const hits = touched.map((doc) => ({ id: this.ids[doc] ?? '', score: scores[doc] ?? 0 }));
    hits.sort((left, right) => right.score - left.score || compareIds(left.id, right.id));
    return hits.slice(0, limit);
  }
}

function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
