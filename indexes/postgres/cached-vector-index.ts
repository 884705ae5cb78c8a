import { sql } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { AdaptivePage } from '../../src/core/db/adaptive-page';
import type { IndexScope, ScoredChunk, VectorIndex, VectorRecord } from '../ports';
import { readVectorState, type BuildStateReader, type VectorState } from './build-state-reader';
import { BuildSnapshots, type BuildSnapshot, type SnapshotCounters } from './build-snapshots';
import { checkLength, type CommittedVectors, type PgvectorIndex } from './pgvector-index';
import { byChunkId, topK } from './top-k';

/**
 * A read cache in front of pgvector for small builds: while a build's
 * `build_vector_stats.version` is unchanged, its unit-normalised vectors sit in
 * one Float32Array and a query is an exact cosine scan over them. Writes go
 * straight to pgvector; a stale or missing copy answers from SQL and reloads in
 * the background (see BuildSnapshots). On PGlite, whose writes all pass through
 * this process one transaction at a time, an upsert that commits is appended to
 * the copy held at the version it started from (as CachedBm25Index does), so a
 * document's vectors landing do not cost a reload of the whole build.
 *
 * Why: on PGlite (the embedded default) pgvector runs in WebAssembly on the API
 * process's own thread. At 11.5K chunks of 384 dimensions one HNSW search at
 * ef_search 350 costs about 20 ms of CPU and an exact scan in SQL about 24 ms;
 * the same exact scan over a Float32Array costs about 5 ms, with recall 1.
 * Exact cost grows with the build, so only builds up to `maxVectors` are held
 * (HNSW wins beyond a few tens of thousands).
 */

export interface CachedVectorOptions {
  /** Vectors held across all builds (default 30K, ~46 MB at 384 dimensions); 0 turns the cache off. */
  maxVectors?: number;
  /** Minimum time between two reloads of one build (default 10 s). */
  minReloadIntervalMs?: number;
  /** Await a stale build's reload and answer from memory (small builds and the contract suite). */
  waitForLoad?: boolean;
  onError?: (error: unknown, buildId: string) => void;
  /** Reads the build's version through this batcher (shared with the other index's copies) instead of a statement of its own. */
  states?: BuildStateReader;
  /**
   * Leave a build without its HNSW index until it holds more than this many
   * vectors (0: index from the start). Below it the copy answers queries, so
   * the index would only cost: maintaining it is most of the CPU of indexing a
   * document on PGlite. Crossing it builds the index once, over the rows there.
   */
  deferIndexUpTo?: number;
  /** The time each page of a (re)load should hold the database (default 15 ms; see AdaptivePage). */
  pageTargetMs?: number;
}

export interface Snapshot extends BuildSnapshot {
  modelId: string;
  dimensions: number;
  /** Row r is chunkIds[r]. */
  chunkIds: string[];
  /**
   * Whether rows follow chunk id order (a loaded copy: ties break on the row, as the SQL path breaks them on the
   * chunk id). Rows appended by writes may come before others in that order: ties then compare ids.
   */
  idOrdered: boolean;
  /** Rows the columns have room for (at least chunkIds.length). */
  capacity: number;
  /**
   * Unit-normalised vectors stored by dimension: component d of row r is at `d * capacity + r` (a zero
   * vector stays zero and scores 0). See `scan` for why not row by row.
   */
  columns: Float32Array;
  /** Scratch for scoring (scoring is synchronous, so one per snapshot is safe); `capacity` long. */
  scores: Float64Array;
}

/** Vectors per page while copying a build, steered to ~15 ms a statement (see AdaptivePage). */
const VECTOR_PAGES = { initial: 500, min: 50, max: 2_000 };

export class CachedVectorIndex implements VectorIndex {
  private readonly states: BuildStateReader | undefined;
  private readonly snapshots: BuildSnapshots<Snapshot>;
  private readonly deferIndexUpTo: number;
  private readonly pageTargetMs: number | undefined;
  /** Builds known to have their HNSW index (created here, or seen over the threshold). */
  private readonly indexed = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly inner: PgvectorIndex,
    options: CachedVectorOptions = {},
  ) {
    this.states = options.states;
    this.snapshots = new BuildSnapshots((scope) => this.readSnapshot(scope), {
      maxSize: options.maxVectors ?? 30_000,
      minReloadIntervalMs: options.minReloadIntervalMs ?? 10_000,
      ...(options.waitForLoad === undefined ? {} : { waitForLoad: options.waitForLoad }),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    this.deferIndexUpTo = options.deferIndexUpTo ?? 0;
    this.pageTargetMs = options.pageTargetMs;
  }

  createBuild(scope: IndexScope, model: { id: string; dimensions: number }): Promise<void> {
    return this.inner.createBuild(scope, model, { index: this.deferIndexUpTo <= 0 });
  }

  dropBuild(scope: IndexScope): Promise<void> {
    return this.inner.dropBuild(scope);
  }

  async upsert(scope: IndexScope, modelId: string, records: readonly VectorRecord[]): Promise<void> {
    await this.inner.upsert(scope, modelId, records, this.snapshots.enabled ? { onCommitted: (written) => this.advance(scope, written) } : {});
    if (this.deferIndexUpTo <= 0 || this.indexed.has(scope.buildId)) return;
    const state = await this.readState(scope.buildId);
    if (!state || state.size <= this.deferIndexUpTo) return;
    await this.inner.ensureIndex(scope);
    this.indexed.add(scope.buildId);
  }

  /**
   * Brings the copy along with an upsert that committed: appended when it held the version the upsert started
   * from, made from it when the build had no vectors. Vectors replaced in place make the copy stale instead.
   */
  private advance(scope: IndexScope, written: CommittedVectors): void {
    const write = { before: written.before, after: written.after.version, replaced: written.replaced };
    this.snapshots.advance(scope, write, (held) => appendVectors(held ?? emptySnapshot(scope, written.model), written));
  }

  removeChunks(scope: IndexScope, chunkIds: readonly string[]): Promise<void> {
    return this.inner.removeChunks(scope, chunkIds);
  }

  counters(): Readonly<SnapshotCounters> {
    return this.snapshots.counters();
  }

  warm(scope: IndexScope): Promise<void> {
    return this.snapshots.warm(scope);
  }

  async search(scope: IndexScope, modelId: string, vector: readonly number[], limit: number): Promise<ScoredChunk[]> {
    const model = await this.inner.checkModel(scope, modelId);
    checkLength(scope, model, vector);
    if (limit <= 0) return [];
    const state = this.snapshots.enabled ? await this.readState(scope.buildId) : undefined;
    const snapshot = await this.snapshots.current(scope, state);
    if (snapshot && snapshot.modelId === modelId) return scan(snapshot, vector, Math.floor(limit));
    return this.inner.search(scope, modelId, vector, limit);
  }

  private readState(buildId: string): Promise<VectorState | undefined> {
    return this.states ? this.states.vectors(buildId) : readVectorState((statement) => this.store.query(statement), buildId);
  }

  /**
   * One consistent copy without a long transaction (PGlite has one connection):
   * pages in primary-key order with the build's version read before and after;
   * every write to the build's vectors bumps it in the same transaction, so an
   * unchanged version means the pages saw one state.
   */
  private async readSnapshot(scope: IndexScope): Promise<Snapshot | undefined> {
    const before = await this.readState(scope.buildId);
    if (!before || before.size === 0) return undefined;
    const model = await this.inner.loadModel(scope);
    const { dimensions } = model;
    const chunkIds: string[] = [];
    let vectors = new Float32Array(before.size * dimensions);
    const pages = new AdaptivePage({ ...VECTOR_PAGES, targetMs: this.pageTargetMs }).pages(
      (limit, after: string | undefined) =>
        this.store.query<{ chunk_id: string; embedding: string; model_id: string }>(sql`
          SELECT chunk_id, embedding::text AS embedding, model_id FROM chunk_vectors
          WHERE build_id = ${scope.buildId}::uuid ${after ? sql`AND chunk_id > ${after}::uuid` : sql``}
            AND tenant_id = ${scope.tenantId}::uuid AND corpus_id = ${scope.corpusId}::uuid
          ORDER BY chunk_id
          LIMIT ${limit}`),
      (last) => last.chunk_id,
    );
    for await (const page of pages) {
      for (const row of page) {
        if (row.model_id !== model.modelId) continue;
        const values = JSON.parse(row.embedding) as number[];
        if (values.length !== dimensions) continue;
        if ((chunkIds.length + 1) * dimensions > vectors.length) {
          const grown = new Float32Array(vectors.length * 2 + dimensions);
          grown.set(vectors);
          vectors = grown;
        }
        // pgvector's text form is the shortest decimal that reads back as its float4: rounded back to that float4,
        // so that a copy read here equals one that writes appended (appendVectors), bit for bit.
        let norm = 0;
        for (let index = 0; index < dimensions; index++) {
          const value = Math.fround(values[index]!);
          values[index] = value;
          norm += value * value;
        }
        const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        const offset = chunkIds.length * dimensions;
        for (let index = 0; index < dimensions; index++) vectors[offset + index] = values[index]! * scale;
        chunkIds.push(row.chunk_id);
      }
    }
    const current = await this.readState(scope.buildId);
    // Changed meanwhile, or nothing of this tenant and corpus under that build id: nothing to keep.
    if (!current || current.version !== before.version || chunkIds.length === 0) return undefined;
    return {
      tenantId: scope.tenantId,
      corpusId: scope.corpusId,
      version: before.version,
      size: chunkIds.length,
      modelId: model.modelId,
      dimensions,
      chunkIds,
      idOrdered: true,
      capacity: chunkIds.length,
      columns: byDimension(vectors, chunkIds.length, dimensions),
      scores: new Float64Array(chunkIds.length),
      lastUsed: performance.now(),
    };
  }
}

/** Row-major rows × dimensions (rows first in `rowMajor`) to dimension-major. */
function byDimension(rowMajor: Float32Array, rows: number, dimensions: number): Float32Array {
  const columns = new Float32Array(rows * dimensions);
  for (let row = 0; row < rows; row++) {
    const offset = row * dimensions;
    for (let dimension = 0; dimension < dimensions; dimension++) columns[dimension * rows + row] = rowMajor[offset + dimension]!;
  }
  return columns;
}

/**
 * Exact cosine similarity (pgvector's 1 - `<=>`) of every held vector, top `limit`, ties by chunk id.
 *
 * Dimension by dimension rather than row by row: each pass reads four contiguous columns and adds
 * their weighted sum into the scores, and a zero query component is skipped, since it adds nothing.
 * Local-hash queries (a question's few terms hashed into 384 slots) have about 120 non-zero
 * components. Side by side on 10.4K SciFact local-hash vectors (300 claims):
 * row-major with four accumulators 4.5 ms a query, this 1.15 ms; a dense random query 4.5 → 3.5 ms.
 */
function scan(snapshot: Snapshot, query: readonly number[], limit: number): ScoredChunk[] {
  const { dimensions, columns, scores, chunkIds, capacity } = snapshot;
  let norm = 0;
  for (const value of query) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const rows = chunkIds.length;
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let dimension = 0; dimension < dimensions; dimension++) {
    const weight = query[dimension]! * scale;
    if (weight === 0) continue;
    offsets.push(dimension * capacity);
    weights.push(weight);
  }
  scores.fill(0);
  let next = 0;
  for (; next + 3 < offsets.length; next += 4) {
    const o0 = offsets[next]!;
    const o1 = offsets[next + 1]!;
    const o2 = offsets[next + 2]!;
    const o3 = offsets[next + 3]!;
    const w0 = weights[next]!;
    const w1 = weights[next + 1]!;
    const w2 = weights[next + 2]!;
    const w3 = weights[next + 3]!;
    for (let row = 0; row < rows; row++) {
      scores[row] = scores[row]! + columns[o0 + row]! * w0 + columns[o1 + row]! * w1 + columns[o2 + row]! * w2 + columns[o3 + row]! * w3;
    }
  }
  for (; next < offsets.length; next++) {
    const offset = offsets[next]!;
    const weight = weights[next]!;
    for (let row = 0; row < rows; row++) scores[row] = scores[row]! + columns[offset + row]! * weight;
  }
  return topK(rows, scores, limit, snapshot.idOrdered ? undefined : byChunkId(chunkIds)).map((row) => ({ chunkId: chunkIds[row]!, score: scores[row]! }));
}

/** A copy of a build that holds no vectors yet, for the first write to fill. */
export function emptySnapshot(scope: IndexScope, model: { modelId: string; dimensions: number }): Snapshot {
  return {
    tenantId: scope.tenantId,
    corpusId: scope.corpusId,
    version: 0,
    size: 0,
    modelId: model.modelId,
    dimensions: model.dimensions,
    chunkIds: [],
    idOrdered: true,
    capacity: 0,
    columns: new Float32Array(0),
    scores: new Float64Array(0),
    lastUsed: performance.now(),
  };
}

/**
 * The copy with a committed upsert's vectors appended (in place; the columns grow by half again when full), each
 * normalised as a reload would read it: pgvector keeps float4, so each component is rounded to float4 first. The
 * upsert's chunks are new to the copy (the caller checked none was replaced). The caller sets the version.
 */
export function appendVectors(snapshot: Snapshot, written: Pick<CommittedVectors, 'model' | 'records'>): Snapshot {
  const { dimensions } = snapshot;
  if (written.model.modelId !== snapshot.modelId || written.model.dimensions !== dimensions) {
    throw new Error(`vectors of ${written.model.modelId} cannot join a copy of ${snapshot.modelId}`);
  }
  const base = snapshot.chunkIds.length;
  const count = base + written.records.length;
  if (count > snapshot.capacity) {
    const capacity = Math.max(count, Math.ceil(1.5 * snapshot.capacity));
    const columns = new Float32Array(capacity * dimensions);
    for (let dimension = 0; dimension < dimensions; dimension++) {
      const from = dimension * snapshot.capacity;
      columns.set(snapshot.columns.subarray(from, from + base), dimension * capacity);
    }
    snapshot.columns = columns;
    snapshot.capacity = capacity;
    snapshot.scores = new Float64Array(capacity);
  }
  const { columns, capacity } = snapshot;
  const stored = new Float64Array(dimensions);
  for (const [index, record] of written.records.entries()) {
    let norm = 0;
    for (let dimension = 0; dimension < dimensions; dimension++) {
      const value = Math.fround(record.vector[dimension]!);
      stored[dimension] = value;
      norm += value * value;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const row = base + index;
    for (let dimension = 0; dimension < dimensions; dimension++) columns[dimension * capacity + row] = stored[dimension]! * scale;
    const previous = snapshot.chunkIds[row - 1];
    if (previous !== undefined && record.chunkId < previous) snapshot.idOrdered = false;
    snapshot.chunkIds.push(record.chunkId);
  }
  snapshot.size = count;
  return snapshot;
}
