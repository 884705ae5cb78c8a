/**
 * Retrieval latency benchmark for the Postgres indexes (not a test: it prints
 * figures). Seeds N synthetic chunks (SciFact sentences, shuffled and regrouped
 * to reach N) with local-hash vectors (384 dimensions) into one fresh build,
 * then runs SciFact queries and reports p50/p95 for BM25, HNSW vector search
 * and a brute-force exact scan of the same vectors, plus HNSW recall@10
 * against that exact scan.
 *
 *   npx tsx evals/bench/retrieval-latency.ts --chunks 10000 [--database-url postgres://...]
 *       [--queries 200] [--ef-search 100] [--ef-sweep 40,200,400] [--bulk-index] [--explain] [--keep]
 *
 * Without --database-url it runs on in-memory PGlite. --bulk-index builds the
 * HNSW index after loading (fast bulk build) instead of before (incremental,
 * as ingestion does). The seeded tenant is deleted at the end unless --keep;
 * --build <uuid> measures an existing build instead of seeding one.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { IndexedChunk, IndexScope } from '../../indexes/ports';
import { PostgresBm25Index } from '../../indexes/postgres/bm25-index';
import { hnswIndexName, PgvectorIndex } from '../../indexes/postgres/pgvector-index';
import { inTransaction } from '../../indexes/postgres/transaction';
import { migrateStore, openStore, type Store } from '../../src/core/db/client';
import { LocalHashEmbedder } from '../../src/core/providers/local-hash-embedder';
import { loadBeir } from '../beir';

const { values: args } = parseArgs({
  options: {
    chunks: { type: 'string', default: '10000' },
    'database-url': { type: 'string' },
    queries: { type: 'string', default: '200' },
    'ef-search': { type: 'string', default: '100' },
    /** Extra ef_search values to report recall and latency for, e.g. 40,200,400. */
    'ef-sweep': { type: 'string', default: '' },
    dataset: { type: 'string', default: join(import.meta.dirname, '../../../shared/datasets/scifact') },
    'bulk-index': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    /** Measure an existing build (e.g. one kept by --keep) instead of seeding one; nothing is deleted. */
    build: { type: 'string' },
  },
});
const CHUNKS = Number(args.chunks);
const QUERIES = Number(args.queries);
const DIMENSIONS = 384;
const BATCH = 1_000;

/** mulberry32: the same chunks and queries on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function report(label: string, samples: readonly number[]): void {
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  console.log(`${label.padEnd(22)} p50 ${percentile(samples, 0.5).toFixed(2).padStart(8)} ms   p95 ${percentile(samples, 0.95).toFixed(2).padStart(8)} ms   mean ${mean.toFixed(2).padStart(8)} ms`);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** Chunk texts: 3–6 sentences drawn from a shuffled pool of SciFact sentences. */
function chunkTexts(documents: readonly { title: string; text: string }[], count: number): { title: string; text: string }[] {
  const next = random(7);
  const sentences = documents.flatMap((document) => document.text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((sentence) => sentence.length > 20));
  const titles = documents.map((document) => document.title);
  return Array.from({ length: count }, () => {
    const length = 3 + Math.floor(next() * 4);
    const text = Array.from({ length }, () => sentences[Math.floor(next() * sentences.length)]).join(' ');
    return { title: titles[Math.floor(next() * titles.length)] ?? '', text };
  });
}

async function seedScope(store: Store): Promise<{ scope: IndexScope; modelId: string }> {
  const modelId = `bench-local-hash@${DIMENSIONS}`;
  await store.query(sql`INSERT INTO embedding_models (id, provider, model, dimension, fingerprint)
    VALUES (${modelId}, 'local', 'local-hash', ${DIMENSIONS}, 'bench') ON CONFLICT (id) DO NOTHING`);
  const [tenant] = await store.query<{ id: string }>(sql`INSERT INTO tenants (name) VALUES (${`bench-${randomUUID()}`}) RETURNING id`);
  const [corpus] = await store.query<{ id: string }>(sql`INSERT INTO corpora (tenant_id, name) VALUES (${tenant!.id}, 'bench') RETURNING id`);
  const [build] = await store.query<{ id: string }>(sql`
    INSERT INTO index_builds (tenant_id, corpus_id, embedding_model_id, chunker, chunker_hash, analyzer_version, status)
    VALUES (${tenant!.id}, ${corpus!.id}, ${modelId}, '{}'::jsonb, 'bench', 'bench', 'building') RETURNING id`);
  return { scope: { tenantId: tenant!.id, corpusId: corpus!.id, buildId: build!.id }, modelId };
}

/** One document and version per 1,000 chunks, then the chunk rows. */
async function insertChunks(store: Store, scope: IndexScope, texts: readonly { title: string; text: string }[], offset: number): Promise<IndexedChunk[]> {
  const key = `bench-${offset}-${randomUUID()}`;
  const [document] = await store.query<{ id: string }>(sql`
    INSERT INTO documents (tenant_id, corpus_id, title, match_key) VALUES (${scope.tenantId}, ${scope.corpusId}, ${key}, ${key}) RETURNING id`);
  const [version] = await store.query<{ id: string }>(sql`
    INSERT INTO document_versions (tenant_id, corpus_id, document_id, content_sha256, bytes, mime, status)
    VALUES (${scope.tenantId}, ${scope.corpusId}, ${document!.id}, ${key}, 0, 'text/plain', 'ready') RETURNING id`);
  const ids = texts.map(() => randomUUID());
  await store.query(sql`
    INSERT INTO chunks (id, tenant_id, corpus_id, document_id, version_id, chunker_hash, ordinal, text, char_start, char_end, token_count, content_hash)
    SELECT u.id, ${scope.tenantId}, ${scope.corpusId}, ${document!.id}, ${version!.id}, 'bench', u.ordinal, u.text, 0, length(u.text), 0, ''
    FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(texts.map((text) => text.text))}::text[]) WITH ORDINALITY AS u(id, text, ordinal)`);
  return texts.map((text, index) => ({ chunkId: ids[index]!, documentId: document!.id, versionId: version!.id, text: text.text, title: text.title }));
}

async function explain(store: Store, label: string, statement: ReturnType<typeof sql> | undefined, settings: readonly string[]): Promise<void> {
  if (!statement) return;
  const lines = await inTransaction(store, async (executor) => {
    for (const setting of settings) await executor(sql.raw(setting));
    return executor<{ 'QUERY PLAN': string }>(sql`EXPLAIN (ANALYZE, COSTS OFF) ${statement}`);
  });
  console.log(`\nEXPLAIN ANALYZE ${label}:`);
  for (const line of lines) console.log(`  ${line['QUERY PLAN'].replace(/'\[[^\]]{40,}\]'/g, "'[…]'")}`);
}

/** Seeds the chunks and indexes them, timing each phase. */
async function load(
  store: Store,
  scope: IndexScope,
  modelId: string,
  documents: readonly { title: string; text: string }[],
  bm25: PostgresBm25Index,
  vectors: PgvectorIndex,
  embedder: LocalHashEmbedder,
): Promise<void> {
  if (!args['bulk-index']) await vectors.createBuild(scope, { id: modelId, dimensions: DIMENSIONS });

  const texts = chunkTexts(documents, CHUNKS);
  const phases = { rows: 0, embed: 0, bm25: 0, vectors: 0 };
  for (let start = 0; start < texts.length; start += BATCH) {
    const inserted = await timed(() => insertChunks(store, scope, texts.slice(start, start + BATCH), start));
    const chunks = inserted.value;
    phases.rows += inserted.ms;
    const embedStart = performance.now();
    const records = chunks.map((chunk) => ({ ...chunk, vector: Array.from(embedder.embedOne(`${chunk.title}\n${chunk.text}`)) }));
    phases.embed += performance.now() - embedStart;
    phases.bm25 += (await timed(() => bm25.add(scope, chunks))).ms;
    phases.vectors += (await timed(() => vectors.upsert(scope, modelId, records))).ms;
    if ((start / BATCH) % 10 === 9) console.log(`  loaded ${start + chunks.length} chunks`);
  }
  console.log(`load: BM25 add ${(phases.bm25 / 1000).toFixed(1)} s (${Math.round(CHUNKS / (phases.bm25 / 1000))} chunks/s), vector upsert ${(phases.vectors / 1000).toFixed(1)} s (${Math.round(CHUNKS / (phases.vectors / 1000))}/s), embedding ${(phases.embed / 1000).toFixed(1)} s, chunk rows ${(phases.rows / 1000).toFixed(1)} s`);
  if (args['bulk-index']) {
    const { ms } = await timed(() => vectors.createBuild(scope, { id: modelId, dimensions: DIMENSIONS }));
    console.log(`HNSW bulk build ${(ms / 1000).toFixed(1)} s`);
  }
}

async function existingScope(store: Store, buildId: string): Promise<{ scope: IndexScope; modelId: string }> {
  const [row] = await store.query<{ tenant_id: string; corpus_id: string; model_id: string }>(sql`
    SELECT tenant_id, corpus_id, embedding_model_id AS model_id FROM index_builds WHERE id = ${buildId}::uuid`);
  if (!row) throw new Error(`no index build ${buildId}`);
  return { scope: { tenantId: row.tenant_id, corpusId: row.corpus_id, buildId }, modelId: row.model_id };
}

async function main(): Promise<void> {
  const databaseUrl = args['database-url'];
  const store = await openStore(databaseUrl ? { databaseUrl, poolSize: 4 } : { dataDir: 'memory://' });
  await migrateStore(store);
  const dataset = await loadBeir(args.dataset, 'train');
  const embedder = new LocalHashEmbedder({ dimensions: DIMENSIONS });
  const bm25 = new PostgresBm25Index(store);
  const vectors = new PgvectorIndex(store, { efSearch: Number(args['ef-search']) });
  const existing = args.build ? await existingScope(store, args.build) : undefined;
  const { scope, modelId } = existing ?? (await seedScope(store));
  console.log(`retrieval-latency: ${existing ? `build ${args.build}` : `${CHUNKS} chunks`} × ${DIMENSIONS} dims on ${databaseUrl ? 'PostgreSQL' : 'PGlite'}, ef_search ${args['ef-search']}`);
  if (!existing) await load(store, scope, modelId, [...dataset.corpus.values()], bm25, vectors, embedder);
  else console.log(`HNSW index ready in ${((await timed(() => vectors.createBuild(scope, { id: modelId, dimensions: DIMENSIONS }))).ms / 1000).toFixed(1)} s`);
  await store.query(sql`ANALYZE postings`);
  await store.query(sql`ANALYZE chunk_vectors`);
  const [sizes] = await store.query<Record<string, string>>(sql`
    SELECT (SELECT count(*) FROM postings WHERE build_id = ${scope.buildId}::uuid)::text AS postings,
           pg_size_pretty(pg_total_relation_size('postings')) AS postings_size,
           pg_size_pretty(pg_relation_size(${hnswIndexName(scope.buildId)}::regclass)) AS hnsw_size`);
  console.log(`postings rows ${sizes?.postings}, postings table+indexes ${sizes?.postings_size}, HNSW index ${sizes?.hnsw_size}`);

  const queries = [...dataset.queries.values()].slice(0, QUERIES).map((query) => query.text);
  const queryVectors = queries.map((query) => Array.from(embedder.embedOne(query)));
  const model = { modelId, dimensions: DIMENSIONS };
  const exactScan = (vector: number[]) =>
    inTransaction(store, async (executor) => {
      await executor(sql`SELECT set_config('enable_indexscan', 'off', true)`);
      return executor<{ chunk_id: string }>(vectors.searchStatement(scope, model, vector, 10));
    });
  for (const [index, query] of queries.slice(0, 10).entries()) {
    await bm25.search(scope, query, 10);
    await vectors.search(scope, modelId, queryVectors[index]!, 10);
  }
  const latency = { bm25: [] as number[], hnsw: [] as number[], exact: [] as number[] };
  let overlap = 0;
  const exactIds: Set<string>[] = [];
  for (const [index, query] of queries.entries()) {
    latency.bm25.push((await timed(() => bm25.search(scope, query, 10))).ms);
    const hnsw = await timed(() => vectors.search(scope, modelId, queryVectors[index]!, 10));
    latency.hnsw.push(hnsw.ms);
    const exact = await timed(() => exactScan(queryVectors[index]!));
    latency.exact.push(exact.ms);
    const truth = new Set(exact.value.map((row) => row.chunk_id));
    exactIds.push(truth);
    overlap += hnsw.value.filter((hit) => truth.has(hit.chunkId)).length;
  }
  console.log(`\n${queries.length} queries, top 10:`);
  report('BM25', latency.bm25);
  report('vector HNSW', latency.hnsw);
  report('vector exact scan', latency.exact);
  console.log(`HNSW recall@10 vs exact: ${(overlap / (queries.length * 10)).toFixed(4)}`);

  for (const efSearch of args['ef-sweep'].split(',').filter(Boolean).map(Number)) {
    const swept = new PgvectorIndex(store, { efSearch });
    const samples: number[] = [];
    let found = 0;
    for (const [index, vector] of queryVectors.entries()) {
      const { value, ms } = await timed(() => swept.search(scope, modelId, vector, 10));
      samples.push(ms);
      found += value.filter((hit) => exactIds[index]!.has(hit.chunkId)).length;
    }
    report(`HNSW ef_search ${efSearch}`, samples);
    console.log(`${''.padEnd(22)} recall@10 ${(found / (queries.length * 10)).toFixed(4)}`);
  }

  if (args.explain) {
    await explain(store, 'BM25', bm25.searchStatement(scope, queries[0]!, 10), []);
    await explain(store, 'vector HNSW', vectors.searchStatement(scope, model, queryVectors[0]!, 10), [
      `SET LOCAL hnsw.ef_search = ${Number(args['ef-search'])}`,
      'SET LOCAL hnsw.iterative_scan = relaxed_order',
    ]);
  }
  if (!args.keep && !existing) {
    await vectors.dropBuild(scope);
    await store.query(sql`DELETE FROM tenants WHERE id = ${scope.tenantId}::uuid`);
  }
  await store.close();
}

await main();
