import { QdrantClientUnexpectedResponseError, type QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import { z } from 'zod';
import { isUuid } from '../../src/core/corpora';
import { AppError } from '../../src/core/errors';
import { ANALYZER_VERSION } from '../analyzer';
import type { IndexedChunk, IndexScope, LexicalIndex, ScoredChunk, VectorIndex, VectorRecord } from '../ports';
import { PAYLOAD_KEYS, scopeFilter } from './qdrant-filter';
import { DEFAULT_SPARSE_BM25, documentSparseVector, querySparseVector, type SparseBm25Parameters } from './sparse-vector';

/**
 * Qdrant as both indexes, one collection per build (`attest_<build uuid>`):
 * a named dense vector `dense` (cosine) and a sparse vector `bm25` whose IDF
 * Qdrant applies at query time (`modifier: 'idf'`). A chunk is one point (id =
 * chunk id) carrying whichever vectors have been written; each write touches
 * only its own named vector. Collections are created in createBuild and never
 * on first write: writing to a build without one fails with BUILD_NOT_FOUND.
 */

export interface QdrantIndexOptions {
  bm25?: Partial<SparseBm25Parameters>;
  /** hnsw_ef for dense searches (default 100). */
  efSearch?: number;
  /** Candidates per prefetch in hybridSearch (default 4 × limit, at least 50). */
  prefetchLimit?: (limit: number) => number;
  /** Points per write request (default 256). */
  batchSize?: number;
}

const DENSE = 'dense';
const SPARSE = 'bm25';

const collectionMetadata = z.object({
  tenant_id: z.string(),
  corpus_id: z.string(),
  embedding_model_id: z.string(),
  dimensions: z.number().int().positive(),
  analyzer_version: z.string(),
});
type CollectionMetadata = z.infer<typeof collectionMetadata>;

export function collectionName(buildId: string): string {
  if (!isUuid(buildId)) throw new AppError('VALIDATION_FAILED', `not a uuid build id: ${JSON.stringify(buildId)}`);
  return `attest_${buildId.toLowerCase()}`;
}

/** The client throws the fetcher's ApiError (with `status`) for HTTP errors, or its own error naming the status. */
function isNotFound(error: unknown): boolean {
  if (error instanceof QdrantClientUnexpectedResponseError) return error.message.includes(': 404 ');
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

type PointRef = Pick<IndexedChunk, 'chunkId' | 'documentId' | 'versionId'>;

export class QdrantIndex implements LexicalIndex, VectorIndex {
  private readonly models = new Map<string, CollectionMetadata>();
  private readonly bm25: SparseBm25Parameters;
  private readonly efSearch: number;
  private readonly prefetchLimit: (limit: number) => number;
  private readonly batchSize: number;

  constructor(
    private readonly client: QdrantClient,
    options: QdrantIndexOptions = {},
  ) {
    this.bm25 = { ...DEFAULT_SPARSE_BM25, ...options.bm25 };
    this.efSearch = options.efSearch ?? 100;
    this.prefetchLimit = options.prefetchLimit ?? ((limit) => Math.max(50, limit * 4));
    this.batchSize = options.batchSize ?? 256;
  }

  async createBuild(scope: IndexScope, model: { id: string; dimensions: number }): Promise<void> {
    const name = collectionName(scope.buildId);
    if (!Number.isInteger(model.dimensions) || model.dimensions < 1) {
      throw new AppError('VALIDATION_FAILED', `vector dimensions must be a positive integer, got ${model.dimensions}`);
    }
    const metadata: CollectionMetadata = {
      tenant_id: scope.tenantId,
      corpus_id: scope.corpusId,
      embedding_model_id: model.id,
      dimensions: model.dimensions,
      analyzer_version: ANALYZER_VERSION,
    };
    if ((await this.client.collectionExists(name)).exists) {
      const existing = await this.loadModel(scope);
      if (existing.embedding_model_id !== model.id || existing.dimensions !== model.dimensions) {
        throw mismatch(scope, existing, `createBuild with ${model.id} (${model.dimensions} dimensions)`);
      }
      return;
    }
    // Through the typed OpenAPI client: QdrantClient.createCollection (1.18) drops `metadata`,
    // which is where the build's model and owner live for other processes (Qdrant ≥ 1.16).
    await this.client.api().createCollection({
      collection_name: name,
      vectors: { [DENSE]: { size: model.dimensions, distance: 'Cosine' } },
      sparse_vectors: { [SPARSE]: { modifier: 'idf' } },
      metadata,
    } satisfies Schemas['CreateCollection'] & { collection_name: string });
    await this.client.createPayloadIndex(name, { field_name: PAYLOAD_KEYS.tenant, field_schema: { type: 'keyword', is_tenant: true }, wait: true });
    for (const key of [PAYLOAD_KEYS.corpus, PAYLOAD_KEYS.document, PAYLOAD_KEYS.version]) {
      await this.client.createPayloadIndex(name, { field_name: key, field_schema: 'keyword', wait: true });
    }
    this.models.set(scope.buildId, metadata);
  }

  async dropBuild(scope: IndexScope): Promise<void> {
    const name = collectionName(scope.buildId);
    if (!(await this.client.collectionExists(name)).exists) return;
    await this.loadModel(scope); // refuses another tenant's build
    await this.client.deleteCollection(name);
    this.models.delete(scope.buildId);
  }

  /** LexicalIndex.add: writes (only) the sparse BM25 vector of each chunk. */
  async add(scope: IndexScope, chunks: readonly IndexedChunk[]): Promise<void> {
    await this.loadModel(scope);
    await this.writeVectors(
      scope,
      chunks.map((chunk) => ({ point: chunk, vector: documentSparseVector(chunk.text, chunk.title, this.bm25) })),
      SPARSE,
    );
  }

  /** VectorIndex.upsert: writes (only) the dense vector of each chunk. */
  async upsert(scope: IndexScope, modelId: string, records: readonly VectorRecord[]): Promise<void> {
    const model = await this.checkModel(scope, modelId);
    for (const record of records) checkLength(scope, model, record.vector);
    await this.writeVectors(
      scope,
      records.map((record) => ({ point: record, vector: [...record.vector] })),
      DENSE,
    );
  }

  async removeChunks(scope: IndexScope, chunkIds: readonly string[]): Promise<void> {
    if (chunkIds.length === 0) return;
    await this.call(scope, () =>
      this.client.delete(collectionName(scope.buildId), { filter: scopeFilter(scope, [{ kind: 'chunks', chunkIds }]), wait: true }),
    );
  }

  /** BM25 (LexicalIndex) when given a query string; nearest dense vectors (VectorIndex) when given a model id and a vector. */
  search(scope: IndexScope, query: string, limit: number): Promise<ScoredChunk[]>;
  search(scope: IndexScope, modelId: string, vector: readonly number[], limit: number): Promise<ScoredChunk[]>;
  async search(scope: IndexScope, text: string, vectorOrLimit: readonly number[] | number, maybeLimit?: number): Promise<ScoredChunk[]> {
    if (typeof vectorOrLimit === 'number') return this.lexicalSearch(scope, text, vectorOrLimit);
    return this.denseSearch(scope, text, vectorOrLimit, maybeLimit ?? 10);
  }

  /** BM25 and dense in one request, fused by Qdrant's reciprocal rank fusion. Scores are RRF scores. */
  async hybridSearch(scope: IndexScope, query: string, vector: readonly number[], limit: number, modelId?: string): Promise<ScoredChunk[]> {
    const model = await this.loadModel(scope);
    if (modelId !== undefined && modelId !== model.embedding_model_id) throw mismatch(scope, model, `vectors of model ${modelId}`);
    checkLength(scope, model, vector);
    if (limit <= 0) return [];
    const filter = scopeFilter(scope);
    const candidates = this.prefetchLimit(limit);
    const sparse = querySparseVector(query);
    const prefetch: Schemas['Prefetch'][] = [{ query: [...vector], using: DENSE, filter, limit: candidates, params: { hnsw_ef: this.efSearch } }];
    if (sparse.indices.length > 0) prefetch.unshift({ query: sparse, using: SPARSE, filter, limit: candidates });
    return this.query(scope, { prefetch, query: { fusion: 'rrf' }, filter, limit });
  }

  private async lexicalSearch(scope: IndexScope, query: string, limit: number): Promise<ScoredChunk[]> {
    const sparse = querySparseVector(query);
    if (sparse.indices.length === 0 || limit <= 0) return [];
    return this.query(scope, { query: sparse, using: SPARSE, filter: scopeFilter(scope), limit });
  }

  private async denseSearch(scope: IndexScope, modelId: string, vector: readonly number[], limit: number): Promise<ScoredChunk[]> {
    const model = await this.checkModel(scope, modelId);
    checkLength(scope, model, vector);
    if (limit <= 0) return [];
    return this.query(scope, { query: [...vector], using: DENSE, filter: scopeFilter(scope), limit, params: { hnsw_ef: this.efSearch } });
  }

  private async query(scope: IndexScope, request: Schemas['QueryRequest']): Promise<ScoredChunk[]> {
    const response = await this.call(scope, () =>
      this.client.query(collectionName(scope.buildId), { ...request, with_payload: false, with_vector: false }),
    );
    return response.points.map((point) => ({ chunkId: String(point.id), score: point.score }));
  }

  /**
   * Sets one named vector per point without touching the others: points that
   * exist get updateVectors, new ones are inserted with their payload. A point
   * of another tenant or corpus is refused, never overwritten.
   */
  private async writeVectors(scope: IndexScope, items: readonly { point: PointRef; vector: Schemas['Vector'] }[], using: string): Promise<void> {
    const name = collectionName(scope.buildId);
    const latest = new Map(items.map((item) => [item.point.chunkId, item]));
    const unique = [...latest.values()];
    for (let start = 0; start < unique.length; start += this.batchSize) {
      const batch = unique.slice(start, start + this.batchSize);
      const existing = await this.call(scope, () =>
        this.client.retrieve(name, { ids: batch.map((item) => item.point.chunkId), with_payload: [PAYLOAD_KEYS.tenant, PAYLOAD_KEYS.corpus], with_vector: false }),
      );
      const present = new Set<string>();
      for (const record of existing) {
        if (record.payload?.[PAYLOAD_KEYS.tenant] !== scope.tenantId || record.payload?.[PAYLOAD_KEYS.corpus] !== scope.corpusId) {
          throw new AppError('CONFLICT', `chunk ${String(record.id)} belongs to another tenant or corpus in build ${scope.buildId}`);
        }
        present.add(String(record.id));
      }
      const updates = batch.filter((item) => present.has(item.point.chunkId));
      const inserts = batch.filter((item) => !present.has(item.point.chunkId));
      if (updates.length > 0) {
        await this.client.updateVectors(name, { points: updates.map((item) => ({ id: item.point.chunkId, vector: { [using]: item.vector } })), wait: true });
      }
      if (inserts.length > 0) {
        await this.client.upsert(name, {
          points: inserts.map((item) => ({ id: item.point.chunkId, vector: { [using]: item.vector }, payload: payloadOf(scope, item.point) })),
          wait: true,
        });
      }
    }
  }

  /** The build's model from the collection metadata (cached); the collection must belong to the scope. */
  private async loadModel(scope: IndexScope): Promise<CollectionMetadata> {
    const cached = this.models.get(scope.buildId);
    const metadata = cached ?? collectionMetadata.parse((await this.call(scope, () => this.client.getCollection(collectionName(scope.buildId)))).config.metadata);
    if (metadata.tenant_id !== scope.tenantId || metadata.corpus_id !== scope.corpusId) {
      throw new AppError('BUILD_NOT_FOUND', `index build ${scope.buildId} not found in this corpus`);
    }
    this.models.set(scope.buildId, metadata);
    return metadata;
  }

  private async checkModel(scope: IndexScope, modelId: string): Promise<CollectionMetadata> {
    const model = await this.loadModel(scope);
    if (model.embedding_model_id !== modelId) throw mismatch(scope, model, `vectors of model ${modelId}`);
    return model;
  }

  /** A missing collection is a missing build, never a reason to create one. */
  private async call<T>(scope: IndexScope, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isNotFound(error)) throw new AppError('BUILD_NOT_FOUND', `index build ${scope.buildId} has no Qdrant collection`, { cause: error });
      throw error;
    }
  }
}

function payloadOf(scope: IndexScope, point: PointRef): Schemas['Payload'] {
  return {
    [PAYLOAD_KEYS.tenant]: scope.tenantId,
    [PAYLOAD_KEYS.corpus]: scope.corpusId,
    [PAYLOAD_KEYS.document]: point.documentId,
    [PAYLOAD_KEYS.version]: point.versionId,
  };
}

function checkLength(scope: IndexScope, model: CollectionMetadata, vector: readonly number[]): void {
  if (vector.length !== model.dimensions) throw mismatch(scope, model, `a vector of length ${vector.length}`);
}

function mismatch(scope: IndexScope, model: CollectionMetadata, given: string): AppError {
  return new AppError(
    'EMBEDDING_MODEL_MISMATCH',
    `index build ${scope.buildId} holds ${model.embedding_model_id} vectors (${model.dimensions} dimensions); got ${given}`,
    { details: { buildId: scope.buildId, expectedModelId: model.embedding_model_id, expectedDimensions: model.dimensions } },
  );
}
