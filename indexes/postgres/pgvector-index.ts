import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { isUuid } from '../../src/core/corpora';
import { AppError } from '../../src/core/errors';
import type { IndexScope, ScoredChunk, VectorIndex, VectorRecord } from '../ports';
import { BinaryCopyWriter, uuidBytes } from './copy-binary';
import { inTransaction, sqlState, tellCommitted } from './transaction';
import { readVectorState, type VectorState } from './build-state-reader';

/**
 * pgvector over the shared `chunk_vectors` table. The column is an untyped
 * `vector` because builds differ in dimension; each build gets its own partial
 * HNSW expression index over `embedding::vector(d)` restricted to its build id,
 * and every query repeats that exact expression and predicate so the planner
 * can use it. Tenant and corpus are filtered inside the index scan; pgvector
 * 0.8's iterative scan keeps walking the graph until `limit` rows pass them.
 */

export interface PgvectorOptions {
  /** hnsw.ef_search for every search (default 100): candidate list size, recall vs latency. */
  efSearch?: number;
  /** Rows per INSERT statement (default 500). */
  batchSize?: number;
  /** HNSW build parameters for new builds (pgvector defaults: m 16, ef_construction 64). */
  m?: number;
  efConstruction?: number;
  /**
   * Always answer from the HNSW index. By default the planner is free to scan a
   * small build exactly (cheaper below a few thousand rows, and exact); tests
   * and benchmarks that measure the index itself turn this on.
   */
  alwaysUseIndex?: boolean;
}

export interface BuildModel {
  modelId: string;
  dimensions: number;
}

/**
 * An upsert committed (PGlite): the build's vector statistics before and after its transaction (nothing else
 * writes between the two: PGlite serialises transactions), how many of its chunks had a vector already, and the
 * records written (one per chunk id, the last given).
 */
export interface CommittedVectors {
  before: VectorState | undefined;
  after: VectorState;
  replaced: number;
  model: BuildModel;
  records: readonly VectorRecord[];
}

export interface UpsertOptions {
  /** Called after the transaction commits (PGlite's COPY path only); whatever it does, the upsert has succeeded. */
  onCommitted?: (written: CommittedVectors) => void;
}

/** pgvector's HNSW limit for `vector`. */
const MAX_HNSW_DIMENSIONS = 2000;

/** The build id as a SQL literal, after strict validation (it is interpolated into DDL and index predicates). */
function buildLiteral(buildId: string): string {
  if (!isUuid(buildId)) throw new AppError('VALIDATION_FAILED', `not a uuid build id: ${JSON.stringify(buildId)}`);
  return `'${buildId.toLowerCase()}'::uuid`;
}

function checkDimensions(dimensions: number): number {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_HNSW_DIMENSIONS) {
    throw new AppError('VALIDATION_FAILED', `vector dimensions must be an integer in 1..${MAX_HNSW_DIMENSIONS}, got ${dimensions}`);
  }
  return dimensions;
}

export function hnswIndexName(buildId: string): string {
  buildLiteral(buildId);
  return `chunk_vectors_hnsw_${buildId.toLowerCase().replaceAll('-', '')}`;
}

/** pgvector's text form; rejects NaN/Infinity, which pgvector would refuse less clearly. */
export function vectorLiteral(vector: readonly number[]): string {
  for (const value of vector) {
    if (!Number.isFinite(value)) throw new AppError('VALIDATION_FAILED', 'vector contains a non-finite value');
  }
  return `[${vector.join(',')}]`;
}

export class PgvectorIndex implements VectorIndex {
  /** Build id → its model and owner (a build never changes model; the owner is re-checked on every hit). */
  private readonly models = new Map<string, BuildModel & { tenantId: string; corpusId: string }>();
  private readonly efSearch: number;
  private readonly batchSize: number;
  private readonly buildParameters: string;
  private readonly alwaysUseIndex: boolean;

  constructor(
    private readonly store: Store,
    options: PgvectorOptions = {},
  ) {
    this.efSearch = options.efSearch ?? 100;
    this.batchSize = options.batchSize ?? 500;
    this.alwaysUseIndex = options.alwaysUseIndex ?? false;
    const m = options.m ?? 16;
    const efConstruction = options.efConstruction ?? 64;
    if (!Number.isInteger(m) || m < 2 || m > 100 || !Number.isInteger(efConstruction) || efConstruction < 2 * m || efConstruction > 1000) {
      throw new AppError('CONFIG_INVALID', `HNSW parameters out of range: m=${m}, ef_construction=${efConstruction}`);
    }
    this.buildParameters = `m = ${m}, ef_construction = ${efConstruction}`;
    if (!Number.isInteger(this.efSearch) || this.efSearch < 1 || this.efSearch > 1000) {
      throw new AppError('CONFIG_INVALID', `hnsw.ef_search must be an integer in 1..1000, got ${this.efSearch}`);
    }
  }

  /** `index: false` leaves out the HNSW index (searches scan exactly) until ensureIndex. */
  async createBuild(scope: IndexScope, model: { id: string; dimensions: number }, options: { index?: boolean } = {}): Promise<void> {
    const dimensions = checkDimensions(model.dimensions);
    const recorded = await this.loadModel(scope);
    if (recorded.modelId !== model.id || recorded.dimensions !== dimensions) {
      throw mismatch(scope, recorded, `createBuild with ${model.id} (${dimensions} dimensions)`);
    }
    if (options.index !== false) await this.ensureIndex(scope);
  }

  /** Creates the build's partial HNSW index if it is missing (over the rows already there, when there are any). */
  async ensureIndex(scope: IndexScope): Promise<void> {
    const dimensions = checkDimensions((await this.loadModel(scope)).dimensions);
    const build = buildLiteral(scope.buildId);
    try {
      await this.store.query(
        sql.raw(`CREATE INDEX IF NOT EXISTS ${hnswIndexName(scope.buildId)} ON chunk_vectors
                 USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops)
                 WITH (${this.buildParameters}) WHERE build_id = ${build}`),
      );
    } catch (error) {
      // IF NOT EXISTS is not race-proof: two processes creating the same build at once collide in pg_class.
      if (!['42P07', '23505'].includes(sqlState(error) ?? '')) throw error;
    }
  }

  async dropBuild(scope: IndexScope): Promise<void> {
    const build = buildLiteral(scope.buildId);
    // Refuse another tenant's build; a build whose row is already gone (its rows cascaded) only leaves the index to drop.
    const [owner] = await this.store.query<{ tenant_id: string; corpus_id: string }>(
      sql`SELECT tenant_id, corpus_id FROM index_builds WHERE id = ${scope.buildId}::uuid`,
    );
    if (owner && (owner.tenant_id !== scope.tenantId || owner.corpus_id !== scope.corpusId)) {
      throw new AppError('BUILD_NOT_FOUND', `index build ${scope.buildId} not found in this corpus`);
    }
    await inTransaction(this.store, async (executor) => {
      await executor(sql.raw(`DROP INDEX IF EXISTS ${hnswIndexName(scope.buildId)}`));
      await executor(sql`
        DELETE FROM chunk_vectors
        WHERE build_id = ${sql.raw(build)} AND tenant_id = ${scope.tenantId}::uuid AND corpus_id = ${scope.corpusId}::uuid`);
    });
    this.models.delete(scope.buildId);
  }

  async upsert(scope: IndexScope, modelId: string, records: readonly VectorRecord[], options: UpsertOptions = {}): Promise<void> {
    const model = await this.checkModel(scope, modelId);
    const latest = new Map<string, VectorRecord>();
    for (const record of records) {
      checkLength(scope, model, record.vector);
      latest.set(record.chunkId, record);
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    const build = buildLiteral(scope.buildId);
    const observed = options.onCommitted !== undefined;
    const committed = await inTransaction(this.store, async (executor, copyIn): Promise<CommittedVectors | undefined> => {
      if (copyIn) {
        // PGlite: replace by delete + binary COPY (copy-binary.ts says why). A build has one owner, checked above,
        // so the tenant condition of the ON CONFLICT below has nothing to guard here.
        const writer = new BinaryCopyWriter(rows.length * (120 + 4 * model.dimensions));
        const [buildId, tenant, corpus] = [uuidBytes(scope.buildId), uuidBytes(scope.tenantId), uuidBytes(scope.corpusId)];
        for (const record of rows) writer.row(6).uuid(buildId).uuid(record.chunkId).uuid(tenant).uuid(corpus).text(modelId).vector(record.vector);
        const before = observed ? await readVectorState(executor, scope.buildId) : undefined;
        const [gone] = await executor<{ n: number | string }>(sql`
          WITH gone AS (
            DELETE FROM chunk_vectors
            WHERE build_id = ${sql.raw(build)} AND tenant_id = ${scope.tenantId}::uuid AND corpus_id = ${scope.corpusId}::uuid
              AND chunk_id = ANY(${sql.param(rows.map((record) => record.chunkId))}::uuid[])
            RETURNING 1
          )
          SELECT count(*) AS n FROM gone`);
        await copyIn('chunk_vectors (build_id, chunk_id, tenant_id, corpus_id, model_id, embedding)', writer.finish());
        const after = observed ? await readVectorState(executor, scope.buildId) : undefined;
        return after ? { before, after, replaced: Number(gone?.n ?? 0), model, records: rows } : undefined;
      }
      for (let start = 0; start < rows.length; start += this.batchSize) {
        const batch = rows.slice(start, start + this.batchSize);
        await executor(sql`
          INSERT INTO chunk_vectors (build_id, chunk_id, tenant_id, corpus_id, model_id, embedding)
          SELECT ${sql.raw(build)}, u.chunk_id, ${scope.tenantId}::uuid, ${scope.corpusId}::uuid, ${modelId},
                 u.embedding::vector(${sql.raw(String(model.dimensions))})
          FROM unnest(${sql.param(batch.map((record) => record.chunkId))}::uuid[],
                      ${sql.param(batch.map((record) => vectorLiteral(record.vector)))}::text[]) AS u(chunk_id, embedding)
          ON CONFLICT (build_id, chunk_id) DO UPDATE
          SET embedding = EXCLUDED.embedding, model_id = EXCLUDED.model_id
          WHERE chunk_vectors.tenant_id = EXCLUDED.tenant_id AND chunk_vectors.corpus_id = EXCLUDED.corpus_id`);
      }
      return undefined;
    });
    tellCommitted(options.onCommitted, committed);
  }

  async removeChunks(scope: IndexScope, chunkIds: readonly string[]): Promise<void> {
    if (chunkIds.length === 0) return;
    await this.store.query(sql`
      DELETE FROM chunk_vectors
      WHERE build_id = ${sql.raw(buildLiteral(scope.buildId))} AND tenant_id = ${scope.tenantId}::uuid
        AND corpus_id = ${scope.corpusId}::uuid AND chunk_id = ANY(${sql.param([...chunkIds])}::uuid[])`);
  }

  async search(scope: IndexScope, modelId: string, vector: readonly number[], limit: number): Promise<ScoredChunk[]> {
    const model = await this.checkModel(scope, modelId);
    checkLength(scope, model, vector);
    if (limit <= 0) return [];
    const statement = this.searchStatement(scope, model, vector, Math.floor(limit));
    type Row = { chunk_id: string; distance: number | string };
    // On pg, settings and search in one round trip instead of four (BEGIN, settings, search, COMMIT): under load
    // each round trip waits its turn on a busy event loop. Its literals are uuids and numbers only (checked).
    const rows =
      this.store.script && inlinable(scope, vector)
        ? await this.store.script<Row>([this.searchSettings(), statement])
        : await inTransaction(this.store, async (executor) => {
            await executor(this.searchSettings());
            return executor<Row>(statement);
          });
    // relaxed_order may return neighbours slightly out of order; the final order is exact.
    return rows
      .map((row) => ({ chunkId: row.chunk_id, score: 1 - Number(row.distance) }))
      .sort((left, right) => right.score - left.score || (left.chunkId < right.chunkId ? -1 : 1));
  }

  /**
   * Transaction-local settings for a search (SET LOCAL equivalents): the HNSW
   * candidate list size, and pgvector 0.8's iterative scan so that rows of other
   * tenants filtered out inside the index scan do not leave fewer than `limit`.
   */
  searchSettings(): SQL {
    const forced = this.alwaysUseIndex
      ? sql`, set_config('enable_seqscan', 'off', true), set_config('enable_sort', 'off', true)`
      : sql``;
    return sql`SELECT set_config('hnsw.ef_search', ${String(this.efSearch)}, true),
                      set_config('hnsw.iterative_scan', 'relaxed_order', true)${forced}`;
  }

  /**
   * The search statement, exposed for EXPLAIN in tests and benchmarks. It must
   * keep the index's expression `embedding::vector(d)` and predicate
   * `build_id = '<uuid>'` literally, or the planner cannot use the partial index.
   */
  searchStatement(scope: IndexScope, model: BuildModel, vector: readonly number[], limit: number): SQL {
    const cast = sql.raw(`::vector(${checkDimensions(model.dimensions)})`);
    return sql`
      SELECT chunk_id, embedding${cast} <=> ${vectorLiteral(vector)}${cast} AS distance
      FROM chunk_vectors
      WHERE build_id = ${sql.raw(buildLiteral(scope.buildId))} AND tenant_id = ${scope.tenantId}::uuid
        AND corpus_id = ${scope.corpusId}::uuid
      ORDER BY embedding${cast} <=> ${vectorLiteral(vector)}${cast}
      LIMIT ${limit}`;
  }

  /** The build's model as recorded in index_builds/embedding_models (cached; builds never change model). */
  async loadModel(scope: IndexScope): Promise<BuildModel> {
    const cached = this.models.get(scope.buildId);
    if (cached && cached.tenantId === scope.tenantId && cached.corpusId === scope.corpusId) {
      return { modelId: cached.modelId, dimensions: cached.dimensions };
    }
    buildLiteral(scope.buildId);
    const [row] = await this.store.query<{ model_id: string; dimension: number }>(sql`
      SELECT b.embedding_model_id AS model_id, m.dimension
      FROM index_builds b JOIN embedding_models m ON m.id = b.embedding_model_id
      WHERE b.id = ${scope.buildId}::uuid AND b.tenant_id = ${scope.tenantId}::uuid AND b.corpus_id = ${scope.corpusId}::uuid`);
    if (!row) throw new AppError('BUILD_NOT_FOUND', `index build ${scope.buildId} not found in this corpus`);
    const model = { modelId: row.model_id, dimensions: Number(row.dimension) };
    this.models.set(scope.buildId, { ...model, tenantId: scope.tenantId, corpusId: scope.corpusId });
    return model;
  }

  /** The build's model, after checking it is `modelId` (EMBEDDING_MODEL_MISMATCH otherwise). */
  async checkModel(scope: IndexScope, modelId: string): Promise<BuildModel> {
    const model = await this.loadModel(scope);
    if (model.modelId !== modelId) throw mismatch(scope, model, `vectors of model ${modelId}`);
    return model;
  }
}

/** Whether a search's values may be written into its text (Store.script): uuids and finite numbers only. */
function inlinable(scope: IndexScope, vector: readonly number[]): boolean {
  return isUuid(scope.tenantId) && isUuid(scope.corpusId) && vector.every(Number.isFinite);
}

export function checkLength(scope: IndexScope, model: BuildModel, vector: readonly number[]): void {
  if (vector.length !== model.dimensions) throw mismatch(scope, model, `a vector of length ${vector.length}`);
}

function mismatch(scope: IndexScope, model: BuildModel, given: string): AppError {
  return new AppError(
    'EMBEDDING_MODEL_MISMATCH',
    `index build ${scope.buildId} holds ${model.modelId} vectors (${model.dimensions} dimensions); got ${given}`,
    { details: { buildId: scope.buildId, expectedModelId: model.modelId, expectedDimensions: model.dimensions } },
  );
}
