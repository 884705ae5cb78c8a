import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { AppError } from '../../src/core/errors';
import { analyze, analyzeQuery, termFrequencies } from '../analyzer';
import type { IndexedChunk, IndexScope, LexicalIndex, ScoredChunk } from '../ports';
import { BinaryCopyWriter, uuidBytes } from './copy-binary';
import { inTransaction, isRetryableConflict, type CopyIn, type Executor } from './transaction';

/**
 * Okapi BM25 over the `postings` table, one posting per (build, term, chunk),
 * scored exactly as Lucene/Anserini do:
 *
 *   score(q, d) = Σ_t qtf(t) · idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
 *   idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
 *
 * N and the total length (for avgdl) live in `build_term_stats`, moved by
 * statement triggers on `build_chunks` (migration 0002) in the same
 * transaction as the postings, so concurrent ingestion, deletes and cascades
 * keep them equal to a recount. df is counted from the
 * postings at query time (an index-only range scan of the primary key
 * (build_id, term, chunk_id)), so it is exact whatever was removed.
 */

export interface Bm25Options {
  k1?: number;
  b?: number;
  /** Attempts for a write that lost a race on the same chunk id (unique violation / deadlock). */
  maxAttempts?: number;
}

interface AnalyzedChunk {
  chunkId: string;
  docLength: number;
  terms: Map<string, number>;
}

/** Rows per INSERT statement: arrays travel as one parameter each, this only bounds memory. */
const POSTINGS_PER_STATEMENT = 20_000;

export class PostgresBm25Index implements LexicalIndex {
  readonly k1: number;
  readonly b: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: Store,
    options: Bm25Options = {},
  ) {
    this.k1 = options.k1 ?? 0.9;
    this.b = options.b ?? 0.4;
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!(this.k1 >= 0) || !(this.b >= 0 && this.b <= 1)) {
      throw new AppError('CONFIG_INVALID', `BM25 parameters out of range: k1=${this.k1}, b=${this.b}`);
    }
  }

  async add(scope: IndexScope, chunks: readonly IndexedChunk[]): Promise<void> {
    const analyzed = analyzeChunks(chunks);
    if (analyzed.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await inTransaction(this.store, (executor, copyIn) => this.replace(executor, scope, analyzed, copyIn));
        return;
      } catch (error) {
        // Two writers re-adding the same chunk id at once: the loser retries and now sees the row to replace.
        if (attempt >= this.maxAttempts || !isRetryableConflict(error)) throw error;
      }
    }
  }

  async removeChunks(scope: IndexScope, chunkIds: readonly string[]): Promise<void> {
    const ids = [...new Set(chunkIds)];
    if (ids.length === 0) return;
    await inTransaction(this.store, async (executor) => {
      await this.deleteChunks(executor, scope, ids);
    });
  }

  async search(scope: IndexScope, query: string, limit: number): Promise<ScoredChunk[]> {
    const statement = limit > 0 ? this.searchStatement(scope, query, Math.floor(limit)) : undefined;
    if (!statement) return [];
    const rows = await this.store.query<{ chunk_id: string; score: number | string }>(statement);
    return rows.map((row) => ({ chunkId: row.chunk_id, score: Number(row.score) }));
  }

  /**
   * The one scoring statement (exposed for EXPLAIN), or undefined when the query
   * has no terms. df is a count over the build's postings for the term (a range
   * of the primary key); tenant and corpus filter the scored postings. The CTEs
   * are MATERIALIZED so df is counted once per term: inlined, the planner (with
   * stale row estimates) re-ran the count once per matching posting.
   */
  searchStatement(scope: IndexScope, query: string, limit = 10): SQL | undefined {
    const frequencies = termFrequencies(analyzeQuery(query));
    if (frequencies.size === 0) return undefined;
    const terms = [...frequencies.keys()];
    const queryFrequencies = terms.map((term) => frequencies.get(term) ?? 1);
    const { k1, b } = this;
    return sql`
      WITH query_terms AS MATERIALIZED (
        SELECT term, qtf FROM unnest(${sql.param(terms)}::text[], ${sql.param(queryFrequencies)}::int[]) AS q(term, qtf)
      ),
      collection AS (
        SELECT doc_count::float8 AS n, total_length::float8 / GREATEST(doc_count, 1) AS avgdl
        FROM build_term_stats WHERE build_id = ${scope.buildId}::uuid AND doc_count > 0
      ),
      weights AS MATERIALIZED (
        SELECT query_terms.term, query_terms.qtf * ln(1 + (collection.n - df.df + 0.5) / (df.df + 0.5)) AS weight
        FROM query_terms
        CROSS JOIN collection
        CROSS JOIN LATERAL (
          SELECT count(*)::float8 AS df FROM postings
          WHERE postings.build_id = ${scope.buildId}::uuid AND postings.term = query_terms.term
        ) AS df
        WHERE df.df > 0
      )
      SELECT p.chunk_id,
             sum(weights.weight * p.tf * ${k1 + 1}::float8
                 / (p.tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * p.doc_length / collection.avgdl))) AS score
      FROM weights
      CROSS JOIN collection
      JOIN postings AS p ON p.build_id = ${scope.buildId}::uuid AND p.term = weights.term
      WHERE p.tenant_id = ${scope.tenantId}::uuid AND p.corpus_id = ${scope.corpusId}::uuid
      GROUP BY p.chunk_id
      ORDER BY score DESC, p.chunk_id
      LIMIT ${limit}`;
  }

  /** Removes any previous copy of the chunks and inserts them; the statistics follow by trigger. */
  private async replace(executor: Executor, scope: IndexScope, analyzed: readonly AnalyzedChunk[], copyIn?: CopyIn): Promise<void> {
    await this.deleteChunks(
      executor,
      scope,
      analyzed.map((chunk) => chunk.chunkId),
    );
    await executor(sql`
      INSERT INTO build_chunks (build_id, chunk_id, tenant_id, corpus_id, doc_length)
      SELECT ${scope.buildId}::uuid, u.chunk_id, ${scope.tenantId}::uuid, ${scope.corpusId}::uuid, u.doc_length
      FROM unnest(${sql.param(analyzed.map((chunk) => chunk.chunkId))}::uuid[],
                  ${sql.param(analyzed.map((chunk) => chunk.docLength))}::int[]) AS u(chunk_id, doc_length)`);
    if (copyIn) {
      await copyIn('postings (build_id, term, chunk_id, tenant_id, corpus_id, tf, doc_length)', postingsCopy(scope, analyzed));
      return;
    }
    // Each posting names its chunk by position in these arrays (sent once per statement) rather
    // than repeating its uuid and length: that cut the bytes sent per posting by about two thirds.
    const chunkIds = sql.param(analyzed.map((chunk) => chunk.chunkId));
    const docLengths = sql.param(analyzed.map((chunk) => chunk.docLength));
    for (const batch of postingBatches(analyzed)) {
      await executor(sql`
        INSERT INTO postings (build_id, term, chunk_id, tenant_id, corpus_id, tf, doc_length)
        SELECT ${scope.buildId}::uuid, u.term, (${chunkIds}::uuid[])[u.ord], ${scope.tenantId}::uuid, ${scope.corpusId}::uuid, u.tf,
               (${docLengths}::int[])[u.ord]
        FROM unnest(${sql.param(batch.terms)}::text[], ${sql.param(batch.tfs)}::int[], ${sql.param(batch.ords)}::int[]) AS u(term, tf, ord)`);
    }
  }

  private async deleteChunks(executor: Executor, scope: IndexScope, chunkIds: readonly string[]): Promise<{ count: number; length: number }> {
    const ids = sql.param([...chunkIds]);
    // The postings of the removed rows go with them, by the build_chunks trigger (migration 0004).
    const [removed] = await executor<{ count: number | string; length: number | string | null }>(sql`
      WITH gone AS (
        DELETE FROM build_chunks
        WHERE build_id = ${scope.buildId}::uuid AND chunk_id = ANY(${ids}::uuid[])
          AND tenant_id = ${scope.tenantId}::uuid AND corpus_id = ${scope.corpusId}::uuid
        RETURNING doc_length
      )
      SELECT count(*) AS count, sum(doc_length) AS length FROM gone`);
    return { count: Number(removed?.count ?? 0), length: Number(removed?.length ?? 0) };
  }
}

/** Code-unit order (the same as the databases' byte order for uuids and most terms). */
const compareCodeUnits = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

/** Analyzes title + text; a chunk id given twice keeps its last copy. */
export function analyzeChunks(chunks: readonly IndexedChunk[]): AnalyzedChunk[] {
  const byId = new Map<string, AnalyzedChunk>();
  for (const chunk of chunks) {
    const terms = analyze(chunk.title ? `${chunk.title}\n${chunk.text}` : chunk.text);
    byId.delete(chunk.chunkId);
    byId.set(chunk.chunkId, { chunkId: chunk.chunkId, docLength: terms.length, terms: termFrequencies(terms) });
  }
  // A stable order across writers keeps concurrent transactions from locking rows in opposite orders.
  return [...byId.values()].sort((left, right) => compareCodeUnits(left.chunkId, right.chunkId));
}

/**
 * The postings as binary COPY rows (PGlite), in primary-key order: term, then chunk id (analyzed is sorted by
 * it). Sorted, each primary-key insert lands beside the previous one: 20% less CPU than the same rows in
 * chunk order, measured on 84.6K postings. The order only helps locality; nothing depends on it.
 */
function postingsCopy(scope: IndexScope, analyzed: readonly AnalyzedChunk[]): Uint8Array<ArrayBuffer> {
  const byTerm = new Map<string, number[]>();
  let count = 0;
  for (const [index, chunk] of analyzed.entries()) {
    for (const [term, tf] of chunk.terms) {
      let list = byTerm.get(term);
      if (!list) byTerm.set(term, (list = []));
      list.push(index, tf);
      count++;
    }
  }
  const writer = new BinaryCopyWriter(count * 110);
  const [build, tenant, corpus] = [uuidBytes(scope.buildId), uuidBytes(scope.tenantId), uuidBytes(scope.corpusId)];
  const chunkIds = analyzed.map((chunk) => uuidBytes(chunk.chunkId));
  for (const term of [...byTerm.keys()].sort(compareCodeUnits)) {
    const list = byTerm.get(term)!;
    for (let at = 0; at < list.length; at += 2) {
      const index = list[at]!;
      writer.row(7).uuid(build).text(term).uuid(chunkIds[index]!).uuid(tenant).uuid(corpus).int4(list[at + 1]!).int4(analyzed[index]!.docLength);
    }
  }
  return writer.finish();
}

interface PostingBatch {
  terms: string[];
  tfs: number[];
  /** 1-based position of the posting's chunk in the analyzed chunks. */
  ords: number[];
}

function* postingBatches(analyzed: readonly AnalyzedChunk[]): Generator<PostingBatch> {
  let batch: PostingBatch = { terms: [], tfs: [], ords: [] };
  for (const [index, chunk] of analyzed.entries()) {
    for (const [term, tf] of chunk.terms) {
      batch.terms.push(term);
      batch.tfs.push(tf);
      batch.ords.push(index + 1);
      if (batch.terms.length >= POSTINGS_PER_STATEMENT) {
        yield batch;
        batch = { terms: [], tfs: [], ords: [] };
      }
    }
  }
  if (batch.terms.length > 0) yield batch;
}
