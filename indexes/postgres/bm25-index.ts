import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { AppError } from '../../src/core/errors';
import { analyze, analyzeQuery, termFrequencies } from '../analyzer';
import type { IndexedChunk, IndexScope, LexicalIndex, ScoredChunk } from '../ports';
import { BinaryCopyWriter, uuidBytes } from './copy-binary';
import { inTransaction, isRetryableConflict, type CopyIn, type Executor } from './transaction';

/**
 * Okapi BM25 over the `posting_blocks` table (one row per build, term and
 * block of chunks, see schema.ts), scored exactly as Lucene/Anserini do:
 *
 *   score(q, d) = Σ_t qtf(t) · idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
 *   idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
 *
 * N and the total length (for avgdl) live in `build_term_stats`, moved by
 * statement triggers on `build_chunks` (migration 0002) in the same
 * transaction as the postings, so concurrent ingestion, deletes and cascades
 * keep them equal to a recount. df is counted from the postings at query time
 * (the chunk ids of the term's blocks, a range of the primary key
 * (build_id, term, block_id)), so it is exact whatever was removed.
 */

export interface Bm25Options {
  k1?: number;
  b?: number;
  /** Attempts for a write that lost a race on the same chunk id (unique violation / deadlock). */
  maxAttempts?: number;
}

interface AnalyzedChunk {
  chunkId: string;
  versionId: string;
  docLength: number;
  terms: Map<string, number>;
}

/** The chunks of one document version in one write: their postings share rows (one per term). */
interface Block {
  blockId: string;
  /** In chunk id order. */
  chunks: AnalyzedChunk[];
}

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
      blocks AS MATERIALIZED (
        SELECT p.term, p.tenant_id, p.corpus_id, p.chunk_ids, p.tfs, p.doc_lengths
        FROM posting_blocks AS p
        WHERE p.build_id = ${scope.buildId}::uuid AND p.term = ANY(${sql.param(terms)}::text[])
      ),
      weights AS MATERIALIZED (
        SELECT query_terms.term, query_terms.qtf * ln(1 + (collection.n - df.df + 0.5) / (df.df + 0.5)) AS weight
        FROM query_terms
        CROSS JOIN collection
        JOIN (SELECT term, sum(cardinality(chunk_ids))::float8 AS df FROM blocks GROUP BY term) AS df ON df.term = query_terms.term
      )
      SELECT u.chunk_id,
             sum(weights.weight * u.tf * ${k1 + 1}::float8
                 / (u.tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * u.doc_length / collection.avgdl))) AS score
      FROM blocks
      JOIN weights ON weights.term = blocks.term
      CROSS JOIN collection
      CROSS JOIN LATERAL unnest(blocks.chunk_ids, blocks.tfs, blocks.doc_lengths) AS u(chunk_id, tf, doc_length)
      WHERE blocks.tenant_id = ${scope.tenantId}::uuid AND blocks.corpus_id = ${scope.corpusId}::uuid
      GROUP BY u.chunk_id
      ORDER BY score DESC, u.chunk_id
      LIMIT ${limit}`;
  }

  /** Removes any previous copy of the chunks and inserts them; the statistics follow by trigger. */
  private async replace(executor: Executor, scope: IndexScope, analyzed: readonly AnalyzedChunk[], copyIn?: CopyIn): Promise<void> {
    await this.deleteChunks(
      executor,
      scope,
      analyzed.map((chunk) => chunk.chunkId),
    );
    const blocks = toBlocks(analyzed);
    await executor(sql`
      INSERT INTO build_chunks (build_id, chunk_id, tenant_id, corpus_id, doc_length, block_id)
      SELECT ${scope.buildId}::uuid, u.chunk_id, ${scope.tenantId}::uuid, ${scope.corpusId}::uuid, u.doc_length, u.block_id
      FROM unnest(${sql.param(blocks.flatMap((block) => block.chunks.map((chunk) => chunk.chunkId)))}::uuid[],
                  ${sql.param(blocks.flatMap((block) => block.chunks.map((chunk) => chunk.docLength)))}::int[],
                  ${sql.param(blocks.flatMap((block) => block.chunks.map(() => block.blockId)))}::uuid[]) AS u(chunk_id, doc_length, block_id)`);
    if (copyIn) {
      await copyIn('posting_blocks (build_id, term, block_id, tenant_id, corpus_id, chunk_ids, tfs, doc_lengths)', blocksCopy(scope, blocks));
      return;
    }
    // One statement per block, grouped into rows in SQL. Each posting names its chunk by position in
    // the block's arrays (sent once per statement) rather than repeating its uuid and length.
    for (const block of blocks) {
      const postings = blockPostings(block);
      await executor(sql`
        INSERT INTO posting_blocks (build_id, term, block_id, tenant_id, corpus_id, chunk_ids, tfs, doc_lengths)
        SELECT ${scope.buildId}::uuid, u.term, ${block.blockId}::uuid, ${scope.tenantId}::uuid, ${scope.corpusId}::uuid,
               array_agg((${sql.param(block.chunks.map((chunk) => chunk.chunkId))}::uuid[])[u.ord] ORDER BY u.ord),
               array_agg(u.tf ORDER BY u.ord),
               array_agg((${sql.param(block.chunks.map((chunk) => chunk.docLength))}::int[])[u.ord] ORDER BY u.ord)
        FROM unnest(${sql.param(postings.terms)}::text[], ${sql.param(postings.tfs)}::int[], ${sql.param(postings.ords)}::int[]) AS u(term, tf, ord)
        GROUP BY u.term`);
    }
  }

  private async deleteChunks(executor: Executor, scope: IndexScope, chunkIds: readonly string[]): Promise<{ count: number; length: number }> {
    const ids = sql.param([...chunkIds]);
    // The postings of the removed rows go with them, by the build_chunks trigger (migrations 0004, 0006).
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
    byId.set(chunk.chunkId, { chunkId: chunk.chunkId, versionId: chunk.versionId, docLength: terms.length, terms: termFrequencies(terms) });
  }
  // A stable order across writers keeps concurrent transactions from locking rows in opposite orders.
  return [...byId.values()].sort((left, right) => compareCodeUnits(left.chunkId, right.chunkId));
}

/** One block per document version among the chunks (each in chunk id order), named afresh for this write. */
function toBlocks(analyzed: readonly AnalyzedChunk[]): Block[] {
  const byVersion = new Map<string, AnalyzedChunk[]>();
  for (const chunk of analyzed) {
    let chunks = byVersion.get(chunk.versionId);
    if (!chunks) byVersion.set(chunk.versionId, (chunks = []));
    chunks.push(chunk);
  }
  return [...byVersion.values()].map((chunks) => ({ blockId: randomUUID(), chunks }));
}

/** A block's postings by term: for each term, (chunk position in the block, tf) pairs in chunk order. */
function termLists(chunks: readonly AnalyzedChunk[]): Map<string, number[]> {
  const byTerm = new Map<string, number[]>();
  for (const [index, chunk] of chunks.entries()) {
    for (const [term, tf] of chunk.terms) {
      let list = byTerm.get(term);
      if (!list) byTerm.set(term, (list = []));
      list.push(index, tf);
    }
  }
  return byTerm;
}

/**
 * The blocks as binary COPY rows (PGlite), in primary-key order (term, then block), so that each
 * primary-key insert lands beside the previous one. The order only helps locality.
 */
function blocksCopy(scope: IndexScope, blocks: readonly Block[]): Uint8Array<ArrayBuffer> {
  const rows: { term: string; block: number; list: number[] }[] = [];
  let postings = 0;
  for (const [block, { chunks }] of blocks.entries()) {
    for (const [term, list] of termLists(chunks)) {
      rows.push({ term, block, list });
      postings += list.length / 2;
    }
  }
  const blockIds = blocks.map((block) => block.blockId);
  rows.sort((left, right) => compareCodeUnits(left.term, right.term) || compareCodeUnits(blockIds[left.block]!, blockIds[right.block]!));
  const writer = new BinaryCopyWriter(rows.length * 120 + postings * 28);
  const [build, tenant, corpus] = [uuidBytes(scope.buildId), uuidBytes(scope.tenantId), uuidBytes(scope.corpusId)];
  const blockBytes = blockIds.map(uuidBytes);
  const chunkBytes = blocks.map((block) => block.chunks.map((chunk) => uuidBytes(chunk.chunkId)));
  for (const { term, block, list } of rows) {
    const chunks = blocks[block]!.chunks;
    const ids: Uint8Array[] = [];
    const tfs: number[] = [];
    const lengths: number[] = [];
    for (let at = 0; at < list.length; at += 2) {
      const index = list[at]!;
      ids.push(chunkBytes[block]![index]!);
      tfs.push(list[at + 1]!);
      lengths.push(chunks[index]!.docLength);
    }
    writer.row(8).uuid(build).text(term).uuid(blockBytes[block]!).uuid(tenant).uuid(corpus).uuidArray(ids).int4Array(tfs).int4Array(lengths);
  }
  return writer.finish();
}

interface BlockPostings {
  terms: string[];
  tfs: number[];
  /** 1-based position of the posting's chunk in the block. */
  ords: number[];
}

function blockPostings(block: Block): BlockPostings {
  const postings: BlockPostings = { terms: [], tfs: [], ords: [] };
  for (const [index, chunk] of block.chunks.entries()) {
    for (const [term, tf] of chunk.terms) {
      postings.terms.push(term);
      postings.tfs.push(tf);
      postings.ords.push(index + 1);
    }
  }
  return postings;
}
