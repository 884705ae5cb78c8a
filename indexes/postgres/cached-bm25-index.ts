import { sql } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { analyzeQuery, termFrequencies } from '../analyzer';
import type { IndexedChunk, IndexScope, LexicalIndex, ScoredChunk, TermStatistics } from '../ports';
import type { CommittedSlice, PostgresBm25Index } from './bm25-index';
import { readTermState, type BuildStateReader, type TermState } from './build-state-reader';
import { BuildSnapshots, type BuildSnapshot, type SnapshotCounters } from './build-snapshots';
import { byChunkId, topK } from './top-k';
import { AdaptivePage } from '../../src/core/db/adaptive-page';

/**
 * A read cache in front of the Postgres BM25 index. The postings table stays
 * the only truth (writes go straight through); a build's postings are copied
 * into typed arrays and scored in memory with the same formula, but only while
 * the copy's `build_term_stats.version` equals the database's, checked on every
 * query (one primary-key read). A stale or missing copy answers from SQL and
 * reloads in the background, at most once per `minReloadIntervalMs`, so a bulk
 * upload does not turn every query into a reload. On PGlite, where every write
 * of this process goes through `add` one transaction at a time, a slice that
 * commits is appended to the copy held at the version it started from, so a
 * document being ingested leaves the copy current instead of stale until the
 * next reload (a re-add or a delete still goes stale and reloads).
 *
 * Why: BM25 in SQL reads every posting of every query term twice (df, then the
 * scores); on PGlite at 10K chunks that is most of an answer's service time,
 * and on Postgres at 100K chunks common terms make the p95 (see evals/bench).
 * In memory the same work is a loop over Int32Arrays.
 */

export interface CachedBm25Options {
  /** Upper bound on postings held across all builds (default 20M, ~150 MB); 0 turns the cache off. */
  maxPostings?: number;
  /** Minimum time between two reloads of one build (default 10 s). */
  minReloadIntervalMs?: number;
  /**
   * Await the (re)load of a stale build and answer from memory, instead of
   * answering from SQL while it loads in the background. For small builds and
   * tests (it makes the contract suite exercise the in-memory scorer).
   */
  waitForLoad?: boolean;
  /** Called when a background load fails (the query path has already answered from SQL), or a committed write could not be applied to the copy. */
  onError?: (error: unknown, buildId: string) => void;
  /** Reads the build's version through this batcher (shared with the other index's copies) instead of a statement of its own. */
  states?: BuildStateReader;
  /** The time each page of a (re)load should hold the database (default 15 ms; see AdaptivePage). */
  pageTargetMs?: number;
}

/** A term's postings: the first `length` entries of `chunks` and `tfs` (room to append a write's). */
interface PostingList {
  chunks: Int32Array;
  tfs: Int32Array;
  length: number;
}

export interface Snapshot extends BuildSnapshot {
  docCount: number;
  avgdl: number;
  /** Chunk ids: a posting's chunk number indexes this array (and the arrays below, which may be longer). */
  chunkIds: string[];
  /**
   * Whether chunk numbers follow chunk id order (a loaded copy: ties break on the number, as SQL's `ORDER BY
   * chunk_id` breaks them on the id). Appended chunks may come before others in that order: ties then compare ids.
   */
  idOrdered: boolean;
  docLengths: Int32Array;
  terms: Map<string, PostingList>;
  /** Scratch for scoring (JS is single-threaded and scoring is synchronous, so one per snapshot is safe). */
  scores: Float64Array;
  seen: Uint8Array;
  /** Scratch: the chunk numbers a query touched, in `touched[0..count)` (scoring is synchronous: one per snapshot is safe). */
  touched: Int32Array;
}

/**
 * Rows per page while copying a build, steered to ~15 ms a statement (AdaptivePage): bounds how long an answer's
 * statements wait behind the copy on PGlite's one connection, and the rows held at once. Posting blocks: each row
 * holds one term's postings in a version of 16+ chunks.
 */
const CHUNK_PAGES = { initial: 5_000, min: 250, max: 20_000 };
const POSTING_PAGES = { initial: 5_000, min: 500, max: 20_000 };
const BLOCK_PAGES = { initial: 250, min: 25, max: 1_000 };

export class CachedBm25Index implements LexicalIndex {
  private readonly states: BuildStateReader | undefined;
  private readonly snapshots: BuildSnapshots<Snapshot>;
  private readonly pageTargetMs: number | undefined;

  constructor(
    private readonly store: Store,
    private readonly inner: PostgresBm25Index,
    options: CachedBm25Options = {},
  ) {
    this.states = options.states;
    this.pageTargetMs = options.pageTargetMs;
    this.snapshots = new BuildSnapshots((scope) => this.readSnapshot(scope), {
      maxSize: options.maxPostings ?? 20_000_000,
      minReloadIntervalMs: options.minReloadIntervalMs ?? 10_000,
      ...(options.waitForLoad === undefined ? {} : { waitForLoad: options.waitForLoad }),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  add(scope: IndexScope, chunks: readonly IndexedChunk[]): Promise<void> {
    if (!this.snapshots.enabled) return this.inner.add(scope, chunks);
    return this.inner.add(scope, chunks, { onCommitted: (slice) => this.advance(scope, slice) });
  }

  /**
   * Brings the copy along with a slice that committed: appended when it held the version the slice started from,
   * made from the slice when the build was empty. A re-add replaced postings the copy holds: it goes stale instead.
   */
  private advance(scope: IndexScope, slice: CommittedSlice): void {
    const before = slice.before && { version: slice.before.version, size: slice.before.docCount };
    this.snapshots.advance(scope, { before, after: slice.after.version, replaced: slice.replaced }, (held) => appendSlice(held ?? emptySnapshot(scope), slice));
  }

  removeChunks(scope: IndexScope, chunkIds: readonly string[]): Promise<void> {
    return this.inner.removeChunks(scope, chunkIds);
  }

  /** How queries were answered since start: for metrics and the benchmarks. */
  counters(): Readonly<SnapshotCounters> {
    return this.snapshots.counters();
  }

  async search(scope: IndexScope, query: string, limit: number): Promise<ScoredChunk[]> {
    const frequencies = termFrequencies(analyzeQuery(query));
    if (frequencies.size === 0 || limit <= 0) return [];
    // The budget is in postings; a build's total length (sum of term frequencies) bounds its posting count.
    const stats = this.snapshots.enabled ? await this.readStats(scope.buildId) : undefined;
    const state = stats ? { version: stats.version, size: stats.docCount > 0 ? stats.totalLength : 0 } : undefined;
    const snapshot = await this.snapshots.current(scope, state);
    if (snapshot) return score(snapshot, frequencies, Math.floor(limit), this.inner.k1, this.inner.b);
    return this.inner.search(scope, query, limit);
  }

  /** From the in-memory copy when it is current, else from SQL (the same counts). */
  async termStatistics(scope: IndexScope, terms: readonly string[]): Promise<TermStatistics> {
    const stats = this.snapshots.enabled ? await this.readStats(scope.buildId) : undefined;
    const state = stats ? { version: stats.version, size: stats.docCount > 0 ? stats.totalLength : 0 } : undefined;
    const snapshot = stats ? await this.snapshots.current(scope, state) : undefined;
    if (!snapshot) return this.inner.termStatistics(scope, terms);
    return { documents: snapshot.docCount, frequencies: new Map(terms.map((term) => [term, snapshot.terms.get(term)?.length ?? 0])) };
  }

  /** Loads (or reloads) a build's snapshot now; resolves when it is in place. For warm-up and tests. */
  warm(scope: IndexScope): Promise<void> {
    return this.snapshots.warm(scope);
  }

  private readStats(buildId: string): Promise<TermState | undefined> {
    return this.states ? this.states.terms(buildId) : readTermState((statement) => this.store.query(statement), buildId);
  }

  /**
   * One consistent copy without a long transaction: the build's version is read
   * before and after; the postings come in pages in primary-key order (a range
   * scan of (build_id, term, chunk_id); posting blocks likewise, by (term, block_id)), so other queries interleave between
   * pages (PGlite has a single connection). Every change to a build's postings
   * bumps its version in the same transaction, so an unchanged version means the
   * pages saw one state; a changed one throws the copy away (the next query
   * after the reload interval tries again).
   */
  private async readSnapshot(scope: IndexScope): Promise<Snapshot | undefined> {
    const before = await this.readStats(scope.buildId);
    if (!before || before.docCount === 0) return undefined;
    const chunkRows: { chunk_id: string; doc_length: number }[] = [];
    const chunkPages = new AdaptivePage({ ...CHUNK_PAGES, targetMs: this.pageTargetMs }).pages(
      (limit, after: string | undefined) =>
        this.store.query<{ chunk_id: string; doc_length: number }>(sql`
          SELECT chunk_id, doc_length FROM build_chunks
          WHERE build_id = ${scope.buildId}::uuid ${after ? sql`AND chunk_id > ${after}::uuid` : sql``}
            AND tenant_id = ${scope.tenantId}::uuid AND corpus_id = ${scope.corpusId}::uuid
          ORDER BY chunk_id
          LIMIT ${limit}`),
      (last) => last.chunk_id,
    );
    for await (const rows of chunkPages) for (const row of rows) chunkRows.push(row);
    // Nothing of this tenant and corpus under that build id: nothing to cache (and no other snapshot to evict).
    if (chunkRows.length === 0) return undefined;
    const numbers = new Map(chunkRows.map((row, index) => [row.chunk_id, index]));
    const lists = new Map<string, { chunks: number[]; tfs: number[] }>();
    let postings = 0;
    const addPosting = (term: string, chunkId: string, tf: number): void => {
      const chunk = numbers.get(chunkId);
      if (chunk === undefined) return;
      let list = lists.get(term);
      if (!list) lists.set(term, (list = { chunks: [], tfs: [] }));
      list.chunks.push(chunk);
      list.tfs.push(tf);
      postings++;
    };
    const postingPages = new AdaptivePage({ ...POSTING_PAGES, targetMs: this.pageTargetMs }).pages(
      (limit, after: { term: string; chunk_id: string } | undefined) =>
        this.store.query<{ term: string; chunk_id: string; tf: number }>(sql`
          SELECT term, chunk_id, tf FROM postings
          WHERE build_id = ${scope.buildId}::uuid
            ${after ? sql`AND (term, chunk_id) > (${after.term}, ${after.chunk_id}::uuid)` : sql``}
            AND tenant_id = ${scope.tenantId}::uuid AND corpus_id = ${scope.corpusId}::uuid
          ORDER BY term, chunk_id
          LIMIT ${limit}`),
      (last) => last,
    );
    for await (const rows of postingPages) for (const row of rows) addPosting(row.term, row.chunk_id, Number(row.tf));
    const blockPages = new AdaptivePage({ ...BLOCK_PAGES, targetMs: this.pageTargetMs }).pages(
      (limit, after: { term: string; block_id: string } | undefined) =>
        this.store.query<{ term: string; block_id: string; chunk_ids: string[]; tfs: number[] }>(sql`
          SELECT term, block_id, chunk_ids, tfs FROM posting_blocks
          WHERE build_id = ${scope.buildId}::uuid
            ${after ? sql`AND (term, block_id) > (${after.term}, ${after.block_id}::uuid)` : sql``}
            AND tenant_id = ${scope.tenantId}::uuid AND corpus_id = ${scope.corpusId}::uuid
          ORDER BY term, block_id
          LIMIT ${limit}`),
      (last) => last,
    );
    for await (const rows of blockPages) for (const row of rows) for (const [index, chunkId] of row.chunk_ids.entries()) addPosting(row.term, chunkId, Number(row.tfs[index]));
    const current = await this.readStats(scope.buildId);
    if (!current || current.version !== before.version) return undefined;
    const terms = new Map<string, PostingList>();
    for (const [term, list] of lists) {
      // A list need not be in chunk order (blocks follow the rows): a chunk occurs once per term, and ties break on the number.
      terms.set(term, { chunks: Int32Array.from(list.chunks), tfs: Int32Array.from(list.tfs), length: list.chunks.length });
    }
    return {
      tenantId: scope.tenantId,
      corpusId: scope.corpusId,
      version: before.version,
      docCount: before.docCount,
      avgdl: before.totalLength / Math.max(before.docCount, 1),
      chunkIds: chunkRows.map((row) => row.chunk_id),
      idOrdered: true,
      docLengths: Int32Array.from(chunkRows, (row) => Number(row.doc_length)),
      terms,
      size: postings,
      scores: new Float64Array(chunkRows.length),
      seen: new Uint8Array(chunkRows.length),
      touched: new Int32Array(chunkRows.length),
      lastUsed: performance.now(),
    };
  }
}

/**
 * Okapi BM25 exactly as PostgresBm25Index.searchStatement computes it (df is
 * the term's posting count in the build; N and avgdl from build_term_stats),
 * top `limit` by score, ties by chunk id.
 */
function score(snapshot: Snapshot, frequencies: ReadonlyMap<string, number>, limit: number, k1: number, b: number): ScoredChunk[] {
  const { scores, seen, touched, docLengths, avgdl, docCount } = snapshot;
  let touchedCount = 0;
  for (const [term, qtf] of frequencies) {
    const postings = snapshot.terms.get(term);
    if (!postings) continue;
    const df = postings.length;
    const weight = qtf * Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
    const { chunks, tfs } = postings;
    for (let index = 0; index < df; index++) {
      const chunk = chunks[index]!;
      const tf = tfs[index]!;
      if (seen[chunk] === 0) {
        seen[chunk] = 1;
        touched[touchedCount++] = chunk;
      }
      scores[chunk]! += (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * docLengths[chunk]!) / avgdl));
    }
  }
  const { chunkIds } = snapshot;
  const top = topK(touched.subarray(0, touchedCount), scores, limit, snapshot.idOrdered ? undefined : byChunkId(chunkIds));
  const results = top.map((chunk) => ({ chunkId: snapshot.chunkIds[chunk]!, score: scores[chunk]! }));
  for (let index = 0; index < touchedCount; index++) {
    const chunk = touched[index]!;
    scores[chunk] = 0;
    seen[chunk] = 0;
  }
  return results;
}

/** A copy of a build that holds nothing yet, for the first write to fill. */
export function emptySnapshot(scope: IndexScope): Snapshot {
  return {
    tenantId: scope.tenantId,
    corpusId: scope.corpusId,
    version: 0,
    docCount: 0,
    avgdl: 0,
    chunkIds: [],
    idOrdered: true,
    docLengths: new Int32Array(0),
    terms: new Map(),
    size: 0,
    scores: new Float64Array(0),
    seen: new Uint8Array(0),
    touched: new Int32Array(0),
    lastUsed: performance.now(),
  };
}

/**
 * The copy with a committed slice's chunks and postings appended (in place: the arrays grow by half again, so a
 * document written in many slices copies each list a few times, not once per slice, and a list holds at most half
 * again the postings the budget counts) and the build's statistics
 * as the slice's transaction left them. The slice's chunks are new to the build (the caller checked nothing was
 * replaced). The caller sets the version.
 */
export function appendSlice(snapshot: Snapshot, slice: Pick<CommittedSlice, 'after' | 'chunkIds' | 'lists'>): Snapshot {
  const { lists } = slice;
  const base = snapshot.chunkIds.length;
  const count = base + slice.chunkIds.length;
  if (count > snapshot.docLengths.length) {
    const capacity = Math.max(count, Math.ceil(1.5 * snapshot.docLengths.length));
    snapshot.docLengths = grown(snapshot.docLengths, capacity, base);
    // Scratch: all zero between queries.
    snapshot.scores = new Float64Array(capacity);
    snapshot.seen = new Uint8Array(capacity);
    snapshot.touched = new Int32Array(capacity);
  }
  const last = snapshot.chunkIds[base - 1];
  for (const [index, chunkId] of slice.chunkIds.entries()) {
    if ((index === 0 ? last !== undefined && chunkId < last : chunkId < slice.chunkIds[index - 1]!)) snapshot.idOrdered = false;
    snapshot.chunkIds.push(chunkId);
    snapshot.docLengths[base + index] = lists.docLengths[index]!;
  }
  for (const [index, term] of lists.terms.entries()) {
    const [start, end] = [lists.offsets[index]!, lists.offsets[index + 1]!];
    let list = snapshot.terms.get(term);
    if (!list) snapshot.terms.set(term, (list = { chunks: new Int32Array(end - start), tfs: new Int32Array(end - start), length: 0 }));
    const length = list.length + end - start;
    if (length > list.chunks.length) {
      const capacity = Math.max(length, Math.ceil(1.5 * list.chunks.length));
      list.chunks = grown(list.chunks, capacity, list.length);
      list.tfs = grown(list.tfs, capacity, list.length);
    }
    for (let at = start; at < end; at++) {
      list.chunks[list.length] = base + lists.chunks[at]!;
      list.tfs[list.length++] = lists.tfs[at]!;
    }
    snapshot.size += end - start;
  }
  snapshot.docCount = slice.after.docCount;
  snapshot.avgdl = slice.after.totalLength / Math.max(slice.after.docCount, 1);
  return snapshot;
}

function grown(array: Int32Array, capacity: number, keep: number): Int32Array {
  const next = new Int32Array(capacity);
  next.set(array.subarray(0, keep));
  return next;
}
