/**
 * The in-memory side of the fake Qdrant: collections, points, filters and the
 * query API as far as the adapter uses them, with Qdrant's semantics where they
 * decide whether the adapter is right (whole-point upserts, update modes, cosine
 * vectors normalised on write, float32 storage, the sparse `idf` modifier,
 * reciprocal rank fusion with k = 2 unless the request names one).
 * A request it does not model fails loudly (FakeQdrantError 501), never silently.
 */

export class FakeQdrantError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Sparse = { indices: number[]; values: number[] };
type StoredVector = number[] | Sparse;
type Payload = Record<string, unknown>;

interface Point {
  id: string | number;
  vectors: Map<string, StoredVector>;
  payload: Payload;
}

export interface Collection {
  name: string;
  dense: Map<string, { size: number; distance: string }>;
  sparse: Map<string, { modifier?: string }>;
  metadata: Payload | undefined;
  payloadSchema: Map<string, unknown>;
  points: Map<string, Point>;
}

interface ScoredId {
  key: string;
  score: number;
}

/** The Qdrant DEFAULT_RRF_K: what `{fusion: 'rrf'}` uses when no `rrf: {k}` is given. */
export const QDRANT_DEFAULT_RRF_K = 2;

const wrongInput = (message: string) => new FakeQdrantError(400, `Wrong input: ${message}`);
const notModelled = (what: string) => new FakeQdrantError(501, `fake qdrant does not model ${what}`);
const notFoundCollection = (name: string) => new FakeQdrantError(404, `Not found: Collection \`${name}\` doesn't exist!`);

function isSparse(value: unknown): value is Sparse {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'indices' in value && 'values' in value;
}

function pointKey(id: unknown): string {
  return typeof id === 'string' ? id.toLowerCase() : String(id);
}

function f32(values: readonly number[]): number[] {
  return values.map((value) => Math.fround(value));
}

function normalizeDense(vector: readonly number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return f32(norm === 0 ? vector : vector.map((value) => value / norm));
}

export class MemoryQdrant {
  readonly collections = new Map<string, Collection>();

  collection(name: string): Collection {
    const collection = this.collections.get(name);
    if (!collection) throw notFoundCollection(name);
    return collection;
  }

  create(name: string, body: Record<string, unknown>): void {
    if (this.collections.has(name)) throw new FakeQdrantError(409, `Wrong input: Collection \`${name}\` already exists!`);
    const dense = new Map<string, { size: number; distance: string }>();
    const vectors = body.vectors as Record<string, unknown> | undefined;
    if (vectors && typeof vectors.size === 'number') throw notModelled('an unnamed default vector');
    for (const [vectorName, params] of Object.entries(vectors ?? {})) {
      const { size, distance } = params as { size: number; distance: string };
      if (distance !== 'Cosine' && distance !== 'Dot') throw notModelled(`distance ${distance}`);
      dense.set(vectorName, { size, distance });
    }
    const sparse = new Map<string, { modifier?: string }>();
    for (const [vectorName, params] of Object.entries((body.sparse_vectors as Record<string, { modifier?: string }> | undefined) ?? {})) {
      sparse.set(vectorName, params.modifier ? { modifier: params.modifier } : {});
    }
    this.collections.set(name, { name, dense, sparse, metadata: body.metadata as Payload | undefined, payloadSchema: new Map(), points: new Map() });
  }

  info(name: string): Record<string, unknown> {
    const collection = this.collection(name);
    const payloadSchema = Object.fromEntries(
      [...collection.payloadSchema].map(([field, schema]) => {
        const params = typeof schema === 'object' && schema !== null ? schema : undefined;
        const dataType = params ? (schema as { type: string }).type : schema;
        const points = [...collection.points.values()].filter((point) => point.payload[field] !== undefined).length;
        return [field, { data_type: dataType, ...(params ? { params } : {}), points }];
      }),
    );
    return {
      status: 'green',
      optimizer_status: 'ok',
      segments_count: 1,
      points_count: collection.points.size,
      indexed_vectors_count: 0,
      config: {
        params: {
          vectors: Object.fromEntries(collection.dense),
          sparse_vectors: Object.fromEntries(collection.sparse),
          shard_number: 1,
          replication_factor: 1,
          write_consistency_factor: 1,
          on_disk_payload: true,
        },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: {
          deleted_threshold: 0.2,
          vacuum_min_vector_number: 1000,
          default_segment_number: 0,
          max_segment_size: null,
          memmap_threshold: null,
          indexing_threshold: 10000,
          flush_interval_sec: 5,
          max_optimization_threads: null,
        },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        quantization_config: null,
        ...(collection.metadata ? { metadata: collection.metadata } : {}),
      },
      payload_schema: payloadSchema,
    };
  }

  createIndex(name: string, body: { field_name: string; field_schema?: unknown }): void {
    const collection = this.collection(name);
    if (body.field_schema === undefined || body.field_schema === null) throw notModelled('a field index without field_schema');
    collection.payloadSchema.set(body.field_name, body.field_schema);
  }

  private checkedVectors(collection: Collection, given: unknown): Map<string, StoredVector> {
    if (Array.isArray(given) || typeof given !== 'object' || given === null) throw notModelled('unnamed vectors');
    const out = new Map<string, StoredVector>();
    for (const [vectorName, value] of Object.entries(given)) {
      const dense = collection.dense.get(vectorName);
      const sparse = collection.sparse.get(vectorName);
      if (!dense && !sparse) throw wrongInput(`Not existing vector name error: ${vectorName}`);
      if (dense) {
        if (!Array.isArray(value) || value.some((item) => typeof item !== 'number')) throw wrongInput(`Conversion between sparse and regular vectors failed`);
        if (value.length !== dense.size) throw wrongInput(`Vector dimension error: expected dim: ${dense.size}, got ${value.length}`);
        out.set(vectorName, dense.distance === 'Cosine' ? normalizeDense(value as number[]) : f32(value as number[]));
      } else {
        if (!isSparse(value)) throw wrongInput('Conversion between sparse and regular vectors failed');
        if (value.indices.length !== value.values.length) throw wrongInput('Validation error in JSON body: [points[].vector: must be the same length as indices]');
        if (new Set(value.indices).size !== value.indices.length) throw wrongInput('Validation error in JSON body: [points[].vector: indices must be unique]');
        out.set(vectorName, { indices: [...value.indices], values: f32(value.values) });
      }
    }
    return out;
  }

  /** PUT /points: a whole point replaces the stored one unless update_mode says otherwise. */
  upsert(name: string, body: Record<string, unknown>): void {
    const collection = this.collection(name);
    if (!Array.isArray(body.points)) throw notModelled('the batch form of upsert');
    const mode = (body.update_mode as string | null | undefined) ?? 'upsert';
    const updateFilter = body.update_filter as Filter | null | undefined;
    const prepared = (body.points as { id: string | number; vector: unknown; payload?: Payload | null }[]).map((point) => ({
      key: pointKey(point.id),
      point: { id: point.id, vectors: this.checkedVectors(collection, point.vector), payload: { ...(point.payload ?? {}) } },
    }));
    for (const { key, point } of prepared) {
      const existing = collection.points.get(key);
      if (existing && mode === 'insert_only') continue;
      if (!existing && mode === 'update_only') continue;
      if (existing && updateFilter && !matches(existing, updateFilter)) continue;
      collection.points.set(key, point);
    }
  }

  /** PUT /points/vectors: sets the named vectors given and leaves the others. */
  updateVectors(name: string, body: { points: { id: string | number; vector: unknown }[]; update_filter?: Filter | null }): void {
    const collection = this.collection(name);
    const prepared = body.points.map((point) => ({ key: pointKey(point.id), id: point.id, vectors: this.checkedVectors(collection, point.vector) }));
    for (const { key, id } of prepared) {
      if (!collection.points.has(key)) throw new FakeQdrantError(404, `Not found: No point with id ${String(id)} found`);
    }
    for (const { key, vectors } of prepared) {
      const existing = collection.points.get(key)!;
      if (body.update_filter && !matches(existing, body.update_filter)) continue;
      for (const [vectorName, vector] of vectors) existing.vectors.set(vectorName, vector);
    }
  }

  delete(name: string, body: { points?: (string | number)[]; filter?: Filter }): void {
    const collection = this.collection(name);
    if (body.points) for (const id of body.points) collection.points.delete(pointKey(id));
    if (body.filter) for (const [key, point] of collection.points) if (matches(point, body.filter)) collection.points.delete(key);
  }

  retrieve(name: string, body: { ids: (string | number)[]; with_payload?: unknown; with_vector?: unknown }): Record<string, unknown>[] {
    const collection = this.collection(name);
    return body.ids.flatMap((id) => {
      const point = collection.points.get(pointKey(id));
      return point ? [render(point, body.with_payload ?? true, body.with_vector ?? false)] : [];
    });
  }

  query(name: string, body: QueryBody): Record<string, unknown>[] {
    const collection = this.collection(name);
    const ranked = runQuery(collection, body);
    const offset = body.offset ?? 0;
    const limit = body.limit ?? 10;
    return ranked.slice(offset, offset + limit).map(({ key, score }) => ({
      ...render(collection.points.get(key)!, body.with_payload ?? false, body.with_vector ?? false),
      score,
    }));
  }
}

type Condition = Record<string, unknown>;
interface Filter {
  must?: Condition | Condition[] | null;
  should?: Condition | Condition[] | null;
  must_not?: Condition | Condition[] | null;
  min_should?: unknown;
}

interface QueryBody {
  prefetch?: QueryBody | QueryBody[] | null;
  query?: unknown;
  using?: string | null;
  filter?: Filter | null;
  limit?: number | null;
  offset?: number | null;
  score_threshold?: number | null;
  with_payload?: unknown;
  with_vector?: unknown;
  params?: unknown;
}

function list<T>(value: T | T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function matches(point: Point, filter: Filter): boolean {
  if (filter.min_should !== undefined && filter.min_should !== null) throw notModelled('min_should');
  const must = list(filter.must);
  const should = list(filter.should);
  const mustNot = list(filter.must_not);
  return (
    must.every((condition) => holds(point, condition)) &&
    (should.length === 0 || should.some((condition) => holds(point, condition))) &&
    !mustNot.some((condition) => holds(point, condition))
  );
}

function holds(point: Point, condition: Condition): boolean {
  if ('has_id' in condition) return (condition.has_id as unknown[]).some((id) => pointKey(id) === pointKey(point.id));
  if ('must' in condition || 'should' in condition || 'must_not' in condition) return matches(point, condition as Filter);
  if ('key' in condition && condition.match && typeof condition.match === 'object') {
    const value = point.payload[condition.key as string];
    const values = Array.isArray(value) ? value : [value];
    const match = condition.match as Record<string, unknown>;
    if ('value' in match) return values.includes(match.value);
    if ('any' in match) return (match.any as unknown[]).some((item) => values.includes(item));
    if ('except' in match) return !(match.except as unknown[]).some((item) => values.includes(item));
  }
  throw notModelled(`filter condition ${JSON.stringify(condition)}`);
}

function render(point: Point, withPayload: unknown, withVector: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { id: point.id, version: 0 };
  if (withPayload === true) out.payload = point.payload;
  else if (Array.isArray(withPayload)) out.payload = Object.fromEntries(withPayload.filter((key: string) => key in point.payload).map((key: string) => [key, point.payload[key]]));
  else if (withPayload !== false && withPayload !== null) throw notModelled(`with_payload ${JSON.stringify(withPayload)}`);
  if (withVector === true) out.vector = Object.fromEntries(point.vectors);
  else if (Array.isArray(withVector)) out.vector = Object.fromEntries([...point.vectors].filter(([name]) => withVector.includes(name)));
  else if (withVector !== false && withVector !== null) throw notModelled(`with_vector ${JSON.stringify(withVector)}`);
  return out;
}

function byScore(left: ScoredId, right: ScoredId): number {
  return right.score - left.score || left.key.localeCompare(right.key);
}

/** Ranked ids of a (sub)query: its prefetches first, then its own query over their candidates. */
function runQuery(collection: Collection, body: QueryBody): ScoredId[] {
  const filter = body.filter ?? undefined;
  const prefetches = list(body.prefetch);
  const query = body.query;
  const limitOf = (request: QueryBody) => request.limit ?? 10;
  if (isFusion(query)) {
    if (prefetches.length === 0) throw wrongInput('Fusion queries need prefetches');
    const lists = prefetches.map((prefetch) => runQuery(collection, { ...prefetch, filter: mergeFilters(filter, prefetch.filter) }).slice(0, limitOf(prefetch)));
    const { k, weights } = fusionParameters(query);
    if (weights && weights.length !== lists.length) throw wrongInput('The number of weights must match the number of prefetches');
    const fused = new Map<string, number>();
    lists.forEach((ranked, listIndex) => {
      ranked.forEach(({ key }, position) => {
        // Qdrant's (weighted) rrf: 1 / (k + (r + 1) / w − 1), r counted from 0 in each prefetch's ranking, w = 1 unless weighted.
        const weight = weights?.[listIndex] ?? 1;
        fused.set(key, (fused.get(key) ?? 0) + 1 / (k + (position + 1) / weight - 1));
      });
    });
    return [...fused].map(([key, score]) => ({ key, score: Math.fround(score) })).sort(byScore);
  }
  let candidates = [...collection.points.values()];
  if (prefetches.length > 0) {
    const allowed = new Set(prefetches.flatMap((prefetch) => runQuery(collection, { ...prefetch, filter: mergeFilters(filter, prefetch.filter) }).slice(0, limitOf(prefetch)).map((hit) => hit.key)));
    candidates = candidates.filter((point) => allowed.has(pointKey(point.id)));
  }
  if (filter) candidates = candidates.filter((point) => matches(point, filter));
  const input = isObject(query) && 'nearest' in query ? query.nearest : query;
  if (input === undefined || input === null) throw notModelled('queries without a vector (scroll order)');
  const using = body.using ?? '';
  let scored: ScoredId[];
  if (Array.isArray(input)) {
    const params = collection.dense.get(using);
    if (!params) throw wrongInput(`Not existing vector name error: ${using}`);
    if (input.length !== params.size) throw wrongInput(`Vector dimension error: expected dim: ${params.size}, got ${input.length}`);
    const probe = params.distance === 'Cosine' ? normalizeDense(input as number[]) : f32(input as number[]);
    scored = candidates.flatMap((point) => {
      const stored = point.vectors.get(using);
      if (!Array.isArray(stored)) return [];
      return [{ key: pointKey(point.id), score: Math.fround(stored.reduce((sum, value, index) => sum + value * probe[index]!, 0)) }];
    });
  } else if (isSparse(input)) {
    const params = collection.sparse.get(using);
    if (!params) throw wrongInput(`Not existing vector name error: ${using}`);
    if (new Set(input.indices).size !== input.indices.length) throw wrongInput('Validation error in JSON body: [query.indices: must be unique]');
    const idf = params.modifier === 'idf' ? inverseDocumentFrequencies(collection, using, input.indices) : undefined;
    scored = candidates.flatMap((point) => {
      const stored = point.vectors.get(using);
      if (!isSparse(stored)) return [];
      const weights = new Map(stored.indices.map((index, position) => [index, stored.values[position]!]));
      let score = 0;
      let overlap = false;
      input.indices.forEach((index, position) => {
        const weight = weights.get(index);
        if (weight === undefined) return;
        overlap = true;
        score += input.values[position]! * weight * (idf?.get(index) ?? 1);
      });
      return overlap ? [{ key: pointKey(point.id), score: Math.fround(score) }] : [];
    });
  } else {
    throw notModelled(`query ${JSON.stringify(input).slice(0, 80)}`);
  }
  const threshold = body.score_threshold;
  return scored.filter((hit) => threshold === undefined || threshold === null || hit.score >= threshold).sort(byScore);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFusion(query: unknown): boolean {
  return isObject(query) && ('fusion' in query || 'rrf' in query);
}

function fusionParameters(query: unknown): { k: number; weights?: number[] } {
  const body = query as { fusion?: string; rrf?: { k?: number | null; weights?: number[] | null } };
  if (body.fusion !== undefined) {
    if (body.fusion !== 'rrf') throw notModelled(`fusion ${body.fusion}`);
    return { k: QDRANT_DEFAULT_RRF_K };
  }
  return { k: body.rrf?.k ?? QDRANT_DEFAULT_RRF_K, ...(body.rrf?.weights ? { weights: body.rrf.weights } : {}) };
}

function mergeFilters(outer: Filter | undefined, inner: Filter | null | undefined): Filter | undefined {
  if (!outer) return inner ?? undefined;
  if (!inner) return outer;
  return { must: [outer as Condition, inner as Condition] };
}

/** Qdrant's idf modifier: ln(1 + (N − df + 0.5) / (df + 0.5)) over the points holding the sparse vector. */
function inverseDocumentFrequencies(collection: Collection, using: string, indices: readonly number[]): Map<number, number> {
  const holders = [...collection.points.values()].flatMap((point) => {
    const stored = point.vectors.get(using);
    return isSparse(stored) ? [new Set(stored.indices)] : [];
  });
  const total = holders.length;
  return new Map(
    indices.map((index) => {
      const df = holders.filter((held) => held.has(index)).length;
      return [index, Math.log(1 + (total - df + 0.5) / (df + 0.5))];
    }),
  );
}
