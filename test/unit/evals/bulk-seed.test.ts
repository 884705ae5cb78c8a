import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkSeed, float4VectorLiteral } from '../../../evals/bench/support/bulk-seed';
import { PostgresBm25Index } from '../../../indexes/postgres/bm25-index';
import { PgvectorIndex } from '../../../indexes/postgres/pgvector-index';
import { lexicalTitle } from '../../../ingestion/pipeline';
import type { Store } from '../../../src/core/db/client';
import { LocalHashEmbedder } from '../../../src/core/providers/local-hash-embedder';
import { seedBuild, seedCorpus } from '../../helpers/seed';
import { memoryStore } from '../../helpers/stores';

/**
 * The retrieval bench writes its rows with bulk SQL; they must be the rows the
 * real index adapters write for the same chunks, or the bench measures
 * something else. Seeds a few documents in bulk, indexes the same chunk rows
 * into a second build through PostgresBm25Index.add and PgvectorIndex.upsert,
 * and compares.
 */
describe('bench bulk seed', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => store.close());

  it('writes the postings, statistics and vectors the index adapters write, and chunk rows consistent with their version', async () => {
    const embedder = new LocalHashEmbedder();
    const bulk = await seedCorpus(store);
    const documents = [
      { title: 'Router manual', chunks: ['Reset the router with error code E-42 (v2.3.1).', 'Hold the button for ten seconds; the lights blink twice.'] },
      { title: 'Billing FAQ', chunks: ['Invoices are sent on the first day of the month.', 'Refunds take 5 to 7 business days.', 'Reset the router first.'] },
    ];
    await bulkSeed(store, bulk, { chunkerHash: 'bench', modelId: bulk.modelId, embedder, chunksPerTransaction: 2 }, documents);

    const chunks = await store.query<{ id: string; document_id: string; version_id: string; text: string; title: string; char_start: number; char_end: number; content_hash: string; normalized_text: string }>(sql`
      SELECT c.id, c.document_id, c.version_id, c.text, d.title, c.char_start, c.char_end, c.content_hash, v.normalized_text
      FROM chunks c JOIN documents d ON d.id = c.document_id JOIN document_versions v ON v.id = c.version_id
      WHERE c.corpus_id = ${bulk.corpusId}::uuid ORDER BY d.title, c.ordinal`);
    expect(chunks).toHaveLength(5);
    for (const chunk of chunks) {
      expect(chunk.normalized_text.slice(chunk.char_start, chunk.char_end)).toBe(chunk.text);
      expect(chunk.content_hash).toBe(createHash('sha256').update(chunk.text).digest('hex'));
    }

    const adapters = { tenantId: bulk.tenantId, corpusId: bulk.corpusId, buildId: await seedBuild(store, { tenantId: bulk.tenantId, corpusId: bulk.corpusId, modelId: bulk.modelId }) };
    await new PostgresBm25Index(store).add(
      adapters,
      chunks.map((chunk) => ({ chunkId: chunk.id, documentId: chunk.document_id, versionId: chunk.version_id, text: chunk.text, title: lexicalTitle(chunk.title, []) })),
    );
    await new PgvectorIndex(store).upsert(
      adapters,
      bulk.modelId,
      await Promise.all(chunks.map(async (chunk) => ({ chunkId: chunk.id, documentId: chunk.document_id, versionId: chunk.version_id, vector: (await embedder.embed([chunk.text], { inputType: 'document' }))[0]! }))),
    );

    const postings = (buildId: string) =>
      store.query(sql`SELECT term, chunk_id, tenant_id, corpus_id, tf, doc_length FROM all_postings WHERE build_id = ${buildId}::uuid ORDER BY term, chunk_id`);
    expect(await postings(bulk.buildId)).toEqual(await postings(adapters.buildId));
    const stats = (buildId: string) =>
      store.query<{ doc_count: string; total_length: string; version: string }>(sql`SELECT doc_count::text, total_length::text, version::text FROM build_term_stats WHERE build_id = ${buildId}::uuid`);
    const [bulkStats] = await stats(bulk.buildId);
    const [adapterStats] = await stats(adapters.buildId);
    expect({ docCount: bulkStats?.doc_count, totalLength: bulkStats?.total_length }).toEqual({ docCount: adapterStats?.doc_count, totalLength: adapterStats?.total_length });
    // One transaction per document here (2 chunks each at most, documents kept whole): the trigger fired per build_chunks statement.
    expect(bulkStats?.version).toBe('2');
    const vectors = (buildId: string) =>
      store.query(sql`SELECT chunk_id, tenant_id, corpus_id, model_id, embedding::text FROM chunk_vectors WHERE build_id = ${buildId}::uuid ORDER BY chunk_id`);
    expect(await vectors(bulk.buildId)).toEqual(await vectors(adapters.buildId));
  });

  it('writes float4 vectors as text that parses back to the same float4 values', () => {
    const vector = Float32Array.from([0.1, -1 / 3, 0, 1e-8, 0.9999999]);
    const parsed = float4VectorLiteral(vector).slice(1, -1).split(',').map(Number);
    expect(Float32Array.from(parsed)).toEqual(vector);
  });
});
