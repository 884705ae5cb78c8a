import type { IndexBuild } from '../core/db/schema';
import type { EmbeddingProvider, Reranker } from '../core/providers/ports';
import type { IndexScope, LexicalIndex, ScoredChunk, VectorIndex } from '../../indexes/ports';
import { reciprocalRankFusion, type FusedItem } from './fuse';

export interface RetrieveOptions {
  /** Top-N taken from each retriever. */
  candidates: number;
  /** How many fused candidates the reranker sees. */
  rerankCandidates: number;
  /** Results returned. */
  k: number;
  rrfK: number;
  weights: { bm25: number; vector: number };
  /** Which stages run: the eval compares them side by side. */
  mode: 'hybrid+rerank' | 'hybrid' | 'bm25' | 'vector';
  /** Below this cosine, a vector-only match is noise; with no lexical match either, retrieval is empty. */
  minVectorScore: number;
  documentIds?: string[] | undefined;
}

export const DEFAULT_RETRIEVE_OPTIONS: RetrieveOptions = {
  candidates: 50,
  rerankCandidates: 30,
  k: 8,
  rrfK: 60,
  weights: { bm25: 1, vector: 1 },
  mode: 'hybrid+rerank',
  minVectorScore: 0.3,
};

export interface RetrievedChunk {
  chunkId: string;
  documentId: string;
  versionId: string;
  title: string;
  text: string;
  ordinal: number;
  charStart: number;
  charEnd: number;
  page: number | null;
  pageEnd: number | null;
  headingPath: string[];
  /** cl100k tokens of `text`, as the chunker counted them. */
  tokenCount: number;
  score: number;
  scores: { bm25: number | null; vector: number | null; fused: number | null; rerank: number | null };
  ranks: { bm25: number | null; vector: number | null };
}

export interface RetrievalResult {
  results: RetrievedChunk[];
  /** True when nothing cleared the recall floor: the caller should refuse without a model. */
  empty: boolean;
  reason?: 'no_match' | 'below_floor';
  timings: { bm25Ms: number; vectorMs: number; fuseMs: number; rerankMs: number; totalMs: number };
}

export type HydratedRow = Omit<RetrievedChunk, 'score' | 'scores' | 'ranks'>;

export interface RetrieveDeps {
  lexical: LexicalIndex;
  vectors: VectorIndex;
  embedder: EmbeddingProvider;
  reranker: Reranker;
  /** The rows of fused chunk ids, with their document titles (ids not found are left out). */
  readRows: (chunkIds: readonly string[]) => Promise<Map<string, HydratedRow>>;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

function scopeOf(build: IndexBuild): IndexScope {
  return { tenantId: build.tenantId, corpusId: build.corpusId, buildId: build.id };
}

/**
 * BM25 and vector top-N in parallel, reciprocal rank fusion, then rerank of the
 * top M to k. Every result keeps the score of each stage for traces.
 */
export async function retrieve(deps: RetrieveDeps, build: IndexBuild, query: string, partial: Partial<RetrieveOptions> = {}): Promise<RetrievalResult> {
  const options = { ...DEFAULT_RETRIEVE_OPTIONS, ...partial };
  const started = performance.now();
  const scope = scopeOf(build);
  const useLexical = options.mode !== 'vector';
  const useVector = options.mode !== 'bm25';
  const [[lexical, bm25Ms], [vector, vectorMs]] = await Promise.all([
    useLexical ? timed(() => deps.lexical.search(scope, query, options.candidates)) : Promise.resolve<[ScoredChunk[], number]>([[], 0]),
    useVector
      ? timed(async () => {
          const [queryVector] = await deps.embedder.embed([query], { inputType: 'query' });
          return deps.vectors.search(scope, deps.embedder.modelId, queryVector ?? [], options.candidates);
        })
      : Promise.resolve<[ScoredChunk[], number]>([[], 0]),
  ]);

  const vectorAboveFloor = vector.filter((item) => item.score >= options.minVectorScore);
  const timingsBase = { bm25Ms, vectorMs };
  if (lexical.length === 0 && vectorAboveFloor.length === 0) {
    const reason = vector.length === 0 ? 'no_match' : 'below_floor';
    return { results: [], empty: true, reason, timings: { ...timingsBase, fuseMs: 0, rerankMs: 0, totalMs: performance.now() - started } };
  }

  const fuseStart = performance.now();
  const lists = [];
  if (useLexical) lists.push({ name: 'bm25', weight: options.weights.bm25, items: lexical });
  if (useVector) lists.push({ name: 'vector', weight: options.weights.vector, items: vector });
  let fused = reciprocalRankFusion(lists, { k: options.rrfK });
  // Hydrated: what the reranker and the results can use; twice that when a document filter will drop some.
  const wanted = Math.max(options.mode === 'hybrid+rerank' ? options.rerankCandidates : 0, options.k) * (options.documentIds ? 2 : 1);
  const rows = await deps.readRows(fused.slice(0, wanted).map((item) => item.chunkId));
  if (options.documentIds) {
    const allowed = new Set(options.documentIds);
    fused = fused.filter((item) => allowed.has(rows.get(item.chunkId)?.documentId ?? ''));
  }
  fused = fused.filter((item) => rows.has(item.chunkId));
  const fuseMs = performance.now() - fuseStart;

  let ordered: { item: FusedItem; rerank: number | null }[] = fused.map((item) => ({ item, rerank: null }));
  let rerankMs = 0;
  if (options.mode === 'hybrid+rerank' && fused.length > 0) {
    const head = fused.slice(0, options.rerankCandidates);
    const [reranked, elapsed] = await timed(() =>
      deps.reranker.rerank(
        query,
        head.map((item) => {
          const row = rows.get(item.chunkId);
          return { id: item.chunkId, text: row?.text ?? '', title: [row?.title ?? '', ...(row?.headingPath ?? [])].join(' / ') };
        }),
        { topK: head.length, priors: new Map(head.map((item) => [item.chunkId, item.score])) },
      ),
    );
    rerankMs = elapsed;
    const byId = new Map(head.map((item) => [item.chunkId, item]));
    // The reranked head first, then the fused tail the reranker did not see.
    ordered = [
      ...reranked.flatMap((result) => {
        const item = byId.get(result.id);
        return item ? [{ item, rerank: result.score }] : [];
      }),
      ...fused.slice(head.length).map((item) => ({ item, rerank: null })),
    ];
  }

  const results = ordered.slice(0, options.k).map(({ item, rerank }) => {
    const row = rows.get(item.chunkId)!;
    return {
      ...row,
      score: rerank ?? item.score,
      scores: { bm25: item.scores.bm25 ?? null, vector: item.scores.vector ?? null, fused: item.score, rerank },
      ranks: { bm25: item.ranks.bm25 ?? null, vector: item.ranks.vector ?? null },
    };
  });
  return {
    results,
    empty: results.length === 0,
    ...(results.length === 0 ? { reason: 'no_match' as const } : {}),
    timings: { ...timingsBase, fuseMs, rerankMs, totalMs: performance.now() - started },
  };
}
