import { QdrantClientTimeoutError, QdrantClientUnexpectedResponseError, type QdrantClient, type Schemas } from '@qdrant/js-client-rest';
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
 *
 * Needs Qdrant ≥ 1.17: collection `metadata` (1.16) is where a build's model
 * and owner live for other processes, and upsert `update_mode` (1.17) is what
 * lets two writers of one point (the BM25 leg and the dense leg run in
 * parallel) each add their vector without erasing the other's. The server's
 * version is checked on first use (never at construction: start-up does not
 * wait for Qdrant) and by ping(), which /readyz calls.
 */

/** The oldest Qdrant whose API does everything this adapter sends (see above). */
export const MINIMUM_QDRANT_VERSION = '1.17.0';

export interface QdrantIndexOptions {
  bm25?: Partial<SparseBm25Parameters>;
  /** hnsw_ef for dense searches (default 100). */
  efSearch?: number;
  /** Candidates per prefetch in hybridSearch (default 4 × limit, at least 50). */
  prefetchLimit?: (limit: number) => number;
  /** Points per write request (default 256). */
  batchSize?: number;
  /** k of the reciprocal rank fusion in hybridSearch (RRF_K; default 60). Qdrant's own default is 2. */
  rrfK?: number;
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
function httpStatus(error: unknown): number | undefined {
  if (error instanceof QdrantClientUnexpectedResponseError) {
    const status = /Unexpected Response: (\d{3})/.exec(error.message)?.[1];
    return status ? Number(status) : undefined;
  }
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** Qdrant's own words from an error answer (`{status: {error}}`), for messages an operator can act on. */
function serverMessage(error: unknown): string {
  const data = typeof error === 'object' && error !== null ? (error as { data?: { status?: { error?: unknown } } }).data : undefined;
  const message = data?.status?.error;
  return typeof message === 'string' ? message : error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** No answer at all (refused, reset, DNS, timeout) or a 5xx: Qdrant is not there to serve, the request was fine. */
function isUnavailable(error: unknown): boolean {
  if (error instanceof QdrantClientTimeoutError) return true;
  const status = httpStatus(error);
  if (status !== undefined) return status >= 500;
  return error instanceof TypeError || (error instanceof Error && typeof (error as { code?: unknown }).code === 'string');
}

/** Compares dotted versions numerically (1.9.0 < 1.17.0); pre-release suffixes are ignored. */
export function compareVersions(left: string, right: string): number {
  const parse = (version: string) => version.split(/[.-]/).slice(0, 3).map((part) => Number.parseInt(part, 10) || 0);
  const [a, b] = [parse(left), parse(right)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const versionInfo = z.object({ version: z.string() });

/** The payload indexes every build's collection carries, created at createBuild and repaired when missing. */
const PAYLOAD_INDEXES: readonly { key: string; schema: Schemas['PayloadFieldSchema'] }[] = [
  { key: PAYLOAD_KEYS.tenant, schema: { type: 'keyword', is_tenant: true } },
  { key: PAYLOAD_KEYS.corpus, schema: 'keyword' },
  { key: PAYLOAD_KEYS.document, schema: 'keyword' },
  { key: PAYLOAD_KEYS.version, schema: 'keyword' },
];

type PointRef = Pick<IndexedChunk, 'chunkId' | 'documentId' | 'versionId'>;

export class QdrantIndex implements LexicalIndex, VectorIndex {
  private readonly models = new Map<string, CollectionMetadata>();
  private readonly bm25: SparseBm25Parameters;
  private readonly efSearch: number;
  private readonly prefetchLimit: (limit: number) => number;
  private readonly batchSize: number;
  private readonly rrfK: number;
  /** The version check, kept once it passed; a failed one is tried again on the next call. */
  private serverChecked: Promise<void> | undefined;

  constructor(
    private readonly client: QdrantClient,
    options: QdrantIndexOptions = {},
  ) {
    this.bm25 = { ...DEFAULT_SPARSE_BM25, ...options.bm25 };
    this.efSearch = options.efSearch ?? 100;
    this.prefetchLimit = options.prefetchLimit ?? ((limit) => Math.max(50, limit * 4));
    this.batchSize = options.batchSize ?? 256;
    this.rrfK = options.rrfK ?? 60;
  }

  /**
   * Asks the server for its version: INDEX_UNAVAILABLE when it does not answer,
   * INDEX_UNSUPPORTED when it is older than MINIMUM_QDRANT_VERSION. /readyz calls
   * this on every probe; the adapter itself once per process (ensureServer).
   */
  async ping(): Promise<{ version: string }> {
    let answer: unknown;
    try {
      answer = await this.client.versionInfo();
    } catch (error) {
      throw new AppError('INDEX_UNAVAILABLE', `Qdrant is unreachable: ${serverMessage(error)}`, { cause: error, retryAfterMs: 1_000 });
    }
    const parsed = versionInfo.safeParse(answer);
    if (!parsed.success) throw new AppError('INDEX_UNSUPPORTED', 'the server at QDRANT_URL did not answer GET / with a Qdrant version');
    if (compareVersions(parsed.data.version, MINIMUM_QDRANT_VERSION) < 0) {
      throw new AppError(
        'INDEX_UNSUPPORTED',
        `Qdrant ${parsed.data.version} is too old: Attest needs Qdrant ${MINIMUM_QDRANT_VERSION} or newer (collection metadata, insert-only upserts); upgrade the Qdrant server`,
        { details: { qdrantVersion: parsed.data.version, minimumVersion: MINIMUM_QDRANT_VERSION } },
      );
    }
    return { version: parsed.data.version };
  }

  /**
   * The version check before the first request that depends on it; one round trip per process once it
   * passes. The server calls it once after listening, so a too-old Qdrant is in the log from the start.
   */
  checkServer(): Promise<void> {
    return this.ensureServer();
  }

  private ensureServer(): Promise<void> {
    this.serverChecked ??= this.ping().then(
      () => undefined,
      (error: unknown) => {
        this.serverChecked = undefined;
        throw error;
      },
    );
    return this.serverChecked;
  }

  /**
   * Creates the build's collection and payload indexes. Idempotent and
   * repairing: a collection left without its indexes (a crash between the
   * requests, or two processes creating it at once) gets them on the next call.
   */
  async createBuild(scope: IndexScope, model: { id: string; dimensions: number }): Promise<void> {
    const name = collectionName(scope.buildId);
    if (!Number.isInteger(model.dimensions) || model.dimensions < 1) {
      throw new AppError('VALIDATION_FAILED', `vector dimensions must be a positive integer, got ${model.dimensions}`);
    }
    await this.ensureServer();
    const metadata: CollectionMetadata = {
      tenant_id: scope.tenantId,
      corpus_id: scope.corpusId,
      embedding_model_id: model.id,
      dimensions: model.dimensions,
      analyzer_version: ANALYZER_VERSION,
    };
    if (!(await this.call(scope, () => this.client.collectionExists(name))).exists) {
      try {
        // Through the typed OpenAPI client: QdrantClient.createCollection (1.18) drops `metadata`,
        // which is where the build's model and owner live for other processes (Qdrant ≥ 1.16).
        await this.client.api().createCollection({
          collection_name: name,
          vectors: { [DENSE]: { size: model.dimensions, distance: 'Cosine' } },
          sparse_vectors: { [SPARSE]: { modifier: 'idf' } },
          metadata,
        } satisfies Schemas['CreateCollection'] & { collection_name: string });
      } catch (error) {
        // Another process created it between our check and our request: theirs is checked below like any other.
        const status = httpStatus(error);
        if (status !== 409 && !(status === 400 && /already exists/i.test(serverMessage(error)))) throw this.translate(scope, error);
      }
    }
    this.models.delete(scope.buildId);
    const existing = await this.loadModel(scope);
    if (existing.embedding_model_id !== model.id || existing.dimensions !== model.dimensions) {
      throw mismatch(scope, existing, `createBuild with ${model.id} (${model.dimensions} dimensions)`);
    }
  }

  /** Creates the payload indexes the collection lacks (Qdrant's create_field_index is idempotent per field). */
  private async repairPayloadIndexes(scope: IndexScope, present: Record<string, unknown> | undefined): Promise<void> {
    const name = collectionName(scope.buildId);
    for (const { key, schema } of PAYLOAD_INDEXES) {
      if (present?.[key] !== undefined) continue;
      await this.call(scope, () => this.client.createPayloadIndex(name, { field_name: key, field_schema: schema, wait: true }));
    }
  }

  async dropBuild(scope: IndexScope): Promise<void> {
    const name = collectionName(scope.buildId);
    await this.ensureServer();
    if (!(await this.call(scope, () => this.client.collectionExists(name))).exists) return;
    await this.loadModel(scope); // refuses another tenant's build
    await this.call(scope, () => this.client.deleteCollection(name));
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
    // `{fusion: 'rrf'}` would fuse with Qdrant's k = 2, not the k the rest of retrieval uses (RRF_K).
    return this.query(scope, { prefetch, query: { rrf: { k: this.rrfK } }, filter, limit });
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
   * Sets one named vector per point without touching the others. The BM25 and
   * the dense leg write the same points at the same time, so nothing here may
   * replace a whole point: new points go in with `update_mode: insert_only`
   * (a point another writer created meanwhile is left alone), then every
   * point gets its vector through update_vectors, which sets only that name.
   * A point of another tenant or corpus is refused, never overwritten (the
   * check below, and update_filter for a point planted between check and write).
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
        present.add(String(record.id).toLowerCase());
      }
      const inserts = batch.filter((item) => !present.has(item.point.chunkId.toLowerCase()));
      if (inserts.length > 0) {
        await this.call(scope, () =>
          this.client.upsert(name, {
            points: inserts.map((item) => ({ id: item.point.chunkId, vector: { [using]: item.vector }, payload: payloadOf(scope, item.point) })),
            update_mode: 'insert_only',
            wait: true,
          }),
        );
      }
      await this.call(scope, () =>
        this.client.updateVectors(name, {
          points: batch.map((item) => ({ id: item.point.chunkId, vector: { [using]: item.vector } })),
          update_filter: scopeFilter(scope),
          wait: true,
        }),
      );
    }
  }

  /**
   * The build's model from the collection metadata (cached); the collection
   * must belong to the scope. The first load in a process also repairs missing
   * payload indexes, so a build whose creation was cut short heals on first use.
   */
  private async loadModel(scope: IndexScope): Promise<CollectionMetadata> {
    const cached = this.models.get(scope.buildId);
    if (cached) return owned(scope, cached);
    await this.ensureServer();
    const info = await this.call(scope, () => this.client.getCollection(collectionName(scope.buildId)));
    const parsed = collectionMetadata.safeParse(info.config.metadata);
    if (!parsed.success) {
      throw new AppError(
        'INDEX_UNSUPPORTED',
        `the Qdrant collection of index build ${scope.buildId} has no Attest metadata (it was not created by Attest, or by a Qdrant older than ${MINIMUM_QDRANT_VERSION}); rebuild the index`,
        { details: { buildId: scope.buildId } },
      );
    }
    const metadata = owned(scope, parsed.data);
    await this.repairPayloadIndexes(scope, info.payload_schema);
    this.models.set(scope.buildId, metadata);
    return metadata;
  }

  private async checkModel(scope: IndexScope, modelId: string): Promise<CollectionMetadata> {
    const model = await this.loadModel(scope);
    if (model.embedding_model_id !== modelId) throw mismatch(scope, model, `vectors of model ${modelId}`);
    return model;
  }

  /** Every request goes through here: HTTP and network failures become the service's error codes. */
  private async call<T>(scope: IndexScope, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.translate(scope, error);
    }
  }

  /** A missing collection is a missing build (never a reason to create one); no answer is INDEX_UNAVAILABLE. */
  private translate(scope: IndexScope, error: unknown): unknown {
    if (error instanceof AppError) return error;
    if (httpStatus(error) === 404) return new AppError('BUILD_NOT_FOUND', `index build ${scope.buildId} has no Qdrant collection`, { cause: error });
    if (isUnavailable(error)) return new AppError('INDEX_UNAVAILABLE', `Qdrant did not serve the request: ${serverMessage(error)}`, { cause: error, retryAfterMs: 1_000 });
    return error;
  }
}

function owned(scope: IndexScope, metadata: CollectionMetadata): CollectionMetadata {
  if (metadata.tenant_id !== scope.tenantId || metadata.corpus_id !== scope.corpusId) {
    throw new AppError('BUILD_NOT_FOUND', `index build ${scope.buildId} not found in this corpus`);
  }
  return metadata;
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
