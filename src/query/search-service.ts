import type { Db } from '../core/db/client';
import type { Corpus, IndexBuild } from '../core/db/schema';
import type { Reranker } from '../core/providers/ports';
import type { LexicalIndex, VectorIndex } from '../../indexes/ports';
import type { BuildStore } from '../../ingestion/builds';
import type { EmbeddingRegistry } from '../../ingestion/embedding-registry';
import { retrieve, type RetrievalResult, type RetrieveOptions } from './retrieve';

/** Retrieval against a corpus's active build (or a named one: canaries score builds before promotion). */
export class SearchService {
  constructor(
    private readonly deps: { db: Db; lexical: LexicalIndex; vectors: VectorIndex; registry: EmbeddingRegistry; reranker: Reranker; builds: BuildStore },
    private readonly defaults: Partial<RetrieveOptions>,
  ) {}

  async activeBuild(corpus: Corpus): Promise<IndexBuild> {
    return this.deps.builds.active(corpus);
  }

  async search(corpus: Corpus, query: string, options: Partial<RetrieveOptions> = {}, build?: IndexBuild): Promise<RetrievalResult & { build: IndexBuild }> {
    const target = build ?? (await this.deps.builds.active(corpus));
    const embedder = this.deps.registry.provider(target.embeddingModelId);
    // The lexical hashing embedder mostly repeats BM25's evidence with more noise; on SciFact
    // (evals/bench/bm25-inmemory.ts) fusion helps only with its list down-weighted to 0.2.
    const weights = { bm25: 1, vector: embedder.provider === 'local' ? 0.2 : 1 };
    const result = await retrieve(
      { db: this.deps.db, lexical: this.deps.lexical, vectors: this.deps.vectors, reranker: this.deps.reranker, embedder },
      target,
      query,
      { weights, ...this.defaults, ...options },
    );
    return { ...result, build: target };
  }
}
