import type { Db } from '../core/db/client';
import type { Corpus, IndexBuild } from '../core/db/schema';
import type { Reranker } from '../core/providers/ports';
import type { LexicalIndex, TermStatistics, VectorIndex } from '../../indexes/ports';
import type { BuildStore } from '../../ingestion/builds';
import type { EmbeddingRegistry } from '../../ingestion/embedding-registry';
import { LRUCache } from 'lru-cache';
import { ChunkRows, type ChunkRowsOptions } from './chunk-rows';
import { retrieve, type RetrievalResult, type RetrieveOptions } from './retrieve';

/** Retrieval against a corpus's active build (or a named one: canaries score builds before promotion). */
export class SearchService {
  private readonly rows: ChunkRows;
  /**
   * Active builds by id. Search reads only what a build never changes (its id, tenant, corpus and embedding
   * model), and the corpus row read for each request names the active build, so a promotion is seen at once:
   * one database round trip less per question.
   */
  private readonly builds = new LRUCache<string, IndexBuild>({ max: 1_000 });

  constructor(
    private readonly deps: { db: Db; lexical: LexicalIndex; vectors: VectorIndex; registry: EmbeddingRegistry; reranker: Reranker; builds: BuildStore },
    private readonly defaults: Partial<RetrieveOptions>,
    /** Chunk rows kept between queries (default: up to 30K, small builds copied whole). */
    rows: ChunkRowsOptions = { maxRows: 30_000, preloadUpTo: 30_000, minReloadIntervalMs: 10_000 },
  ) {
    this.rows = new ChunkRows(deps.db, rows);
  }

  /** Copies the rows of the corpus's active build into memory now (what the first search starts in the background). */
  async warmRows(corpus: Corpus): Promise<void> {
    const build = await this.activeBuildOf(corpus);
    await this.rows.preload({ tenantId: corpus.tenantId, corpusId: corpus.id, generation: corpus.generation, buildId: build.id });
  }

  async activeBuild(corpus: Corpus): Promise<IndexBuild> {
    return this.deps.builds.active(corpus);
  }

  private async activeBuildOf(corpus: Corpus): Promise<IndexBuild> {
    const cached = corpus.activeBuildId ? this.builds.get(corpus.activeBuildId) : undefined;
    if (cached && cached.tenantId === corpus.tenantId && cached.corpusId === corpus.id) return cached;
    const build = await this.deps.builds.active(corpus);
    this.builds.set(build.id, build);
    return build;
  }

  /** Chunk counts of analyzed terms in a build (undefined when the lexical index cannot count). */
  async termStatistics(build: IndexBuild, terms: readonly string[]): Promise<TermStatistics | undefined> {
    if (!this.deps.lexical.termStatistics) return undefined;
    return this.deps.lexical.termStatistics({ tenantId: build.tenantId, corpusId: build.corpusId, buildId: build.id }, terms);
  }

  async search(corpus: Corpus, query: string, options: Partial<RetrieveOptions> = {}, build?: IndexBuild): Promise<RetrievalResult & { build: IndexBuild }> {
    const target = build ?? (await this.activeBuildOf(corpus));
    const embedder = this.deps.registry.provider(target.embeddingModelId);
    // Each embedder says how much its list weighs against BM25 (see EmbeddingProvider.fusionWeight).
    const weights = { bm25: 1, vector: embedder.fusionWeight ?? 1 };
    const result = await retrieve(
      {
        lexical: this.deps.lexical,
        vectors: this.deps.vectors,
        reranker: this.deps.reranker,
        embedder,
        readRows: (chunkIds) => this.rows.read({ tenantId: corpus.tenantId, corpusId: corpus.id, generation: corpus.generation, buildId: target.id }, chunkIds, !build),
      },
      target,
      query,
      { weights, ...this.defaults, ...options },
    );
    return { ...result, build: target };
  }
}
