/**
 * Retrieval latency benchmark (not a test: it prints figures). Seeds N
 * synthetic chunks (SciFact sentences, shuffled and regrouped into documents
 * of ~10 chunks) into one fresh build, with the rows ingestion writes
 * (documents, versions, chunks, build_chunks → build_term_stats by trigger,
 * postings, local-hash vectors of 384 dimensions; see support/bulk-seed.ts),
 * then runs SciFact queries and reports p50/p95 of, side by side per query:
 *
 * - BM25 top 10 in SQL (PostgresBm25Index) and, when indexes/postgres/cached-bm25-index.ts
 *   exists, through CachedBm25Index (in memory while build_term_stats.version is unchanged);
 * - HNSW vector top 10 (the index forced, as the container does) and a
 *   brute-force exact scan of the same vectors (the floor to beat), with HNSW
 *   recall@10 against that exact scan;
 * - the real retrieve() of src/query/retrieve.ts in modes 'hybrid' (BM25 and
 *   vector top 50 in parallel, RRF, hydration from chunks/documents) and
 *   'hybrid+rerank' (plus the local lexical reranker over the top 30), with
 *   the lexical index the container uses (--lexical to choose);
 * - with --query-embedder neural (MODELS_DIR holding bge-small-en-v1.5-q): each
 *   question's embedding by the local neural model (its query lane, as a
 *   question is embedded in the service), and the whole search as that plus
 *   hybrid+rerank. The stored vectors stay local-hash vectors of the same 384
 *   dimensions (embedding 100K chunks with the neural model takes hours here);
 *   their cosines crowd into a narrow band, which makes HNSW work harder than on
 *   neural vectors, so the vector leg's time is if anything overstated.
 *
 *   npm run bench -- retrieval-latency --chunks 100000 [--database-url postgres://postgres@127.0.0.1:5432/test]
 *       [--queries 200] [--m 24] [--ef-construction 200] [--ef-search 400] [--ef-sweep 100,200,400]
 *       [--bulk-index] [--lexical container|sql|cached] [--explain] [--keep] [--build <uuid> [--rebuild-hnsw]]
 *       [--query-embedder local-hash|neural]
 *
 * With --database-url the run uses a scratch database created on that server
 * (dropped at the end unless --keep, which prints its URL); without it,
 * in-memory PGlite. --bulk-index builds the HNSW index after the load (fast
 * bulk build, maintenance_work_mem 1GB) instead of before it (incremental, as
 * ingestion does). --build <uuid> with --database-url pointing at a kept
 * scratch database measures that build again (nothing is dropped);
 * --rebuild-hnsw then rebuilds its HNSW index with --m/--ef-construction first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import type { IndexScope, LexicalIndex, ScoredChunk } from '../../indexes/ports';
import { PostgresBm25Index } from '../../indexes/postgres/bm25-index';
import { hnswIndexName, PgvectorIndex } from '../../indexes/postgres/pgvector-index';
import { inTransaction } from '../../indexes/postgres/transaction';
import { EmbeddingRegistry } from '../../ingestion/embedding-registry';
import { configSchema } from '../../src/core/config';
import { migrateStore, openStore, type Store } from '../../src/core/db/client';
import { indexBuilds, type IndexBuild } from '../../src/core/db/schema';
import { LocalHashEmbedder } from '../../src/core/providers/local-hash-embedder';
import { BGE_SMALL_EN_V15_Q } from '../../src/core/providers/onnx/catalog';
import { OnnxEmbedder } from '../../src/core/providers/onnx/onnx-embedder';
import { LocalLexicalReranker } from '../../src/core/providers/local-reranker';
import { readChunkRows } from '../../src/query/chunk-rows';
import { retrieve, type RetrieveOptions } from '../../src/query/retrieve';
import { loadBeir } from '../beir';
import { bulkSeed, type SeedDocument } from './support/bulk-seed';

const defaults = configSchema.parse({});
const { values: args } = parseArgs({
  options: {
    chunks: { type: 'string', default: '10000' },
    'database-url': { type: 'string' },
    queries: { type: 'string', default: '200' },
    m: { type: 'string', default: String(defaults.HNSW_M) },
    'ef-construction': { type: 'string', default: String(defaults.HNSW_EF_CONSTRUCTION) },
    'ef-search': { type: 'string', default: String(defaults.HNSW_EF_SEARCH) },
    /** Extra ef_search values to report recall and latency for, e.g. 100,200,400. */
    'ef-sweep': { type: 'string', default: '' },
    /** Lexical index of the hybrid rows: the container's choice (default), plain SQL, or the cache. */
    lexical: { type: 'string', default: 'container' },
    'chunks-per-transaction': { type: 'string', default: '10000' },
    dataset: { type: 'string', default: join(import.meta.dirname, '../../../shared/datasets/scifact') },
    'bulk-index': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    build: { type: 'string' },
    'rebuild-hnsw': { type: 'boolean', default: false },
    'query-embedder': { type: 'string', default: 'local-hash' },
  },
});
if (!['local-hash', 'neural'].includes(args['query-embedder'])) throw new Error('--query-embedder is local-hash or neural');
const CHUNKS = Number(args.chunks);
const QUERIES = Number(args.queries);
const HNSW = { m: Number(args.m), efConstruction: Number(args['ef-construction']), efSearch: Number(args['ef-search']) };
const CHUNKS_PER_DOCUMENT = 10;
const RETRIEVE: Partial<RetrieveOptions> = {
  candidates: defaults.RETRIEVE_CANDIDATES,
  rerankCandidates: defaults.RERANK_CANDIDATES,
  rrfK: defaults.RRF_K,
  // As SearchService weighs the local hashing embedder.
  weights: { bm25: 1, vector: 0.1 },
};

/** The local neural embedder the service would use for questions (MODELS_DIR, default pool settings). */
async function openNeuralEmbedder(): Promise<OnnxEmbedder> {
  const dir = process.env.MODELS_DIR;
  if (!dir) throw new Error('--query-embedder neural needs MODELS_DIR (npm run models:fetch)');
  return OnnxEmbedder.open(BGE_SMALL_EN_V15_Q, dir);
}

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

function report(label: string, samples: readonly number[], extra = ''): void {
  if (samples.length === 0) return;
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  console.log(
    `${label.padEnd(30)} p50 ${percentile(samples, 0.5).toFixed(2).padStart(8)} ms   p95 ${percentile(samples, 0.95).toFixed(2).padStart(8)} ms   mean ${mean.toFixed(2).padStart(8)} ms${extra}`,
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Documents of ~10 chunks, each chunk 3–6 sentences drawn from a shuffled pool of SciFact sentences, titled by a SciFact title. */
function seedDocuments(corpus: readonly { title: string; text: string }[], count: number): SeedDocument[] {
  const next = random(7);
  const sentences = corpus.flatMap((document) => document.text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((sentence) => sentence.length > 20));
  const titles = corpus.map((document) => document.title);
  const documents: SeedDocument[] = [];
  for (let made = 0; made < count; ) {
    const size = Math.min(CHUNKS_PER_DOCUMENT, count - made);
    const chunks = Array.from({ length: size }, () => {
      const length = 3 + Math.floor(next() * 4);
      return Array.from({ length }, () => sentences[Math.floor(next() * sentences.length)]).join(' ');
    });
    documents.push({ title: titles[Math.floor(next() * titles.length)] ?? 'untitled', chunks });
    made += size;
  }
  return documents;
}

/** A scratch database on the server of `url`, so nothing large is left in a shared database. */
async function scratchDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `attest_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end());
    },
  };
}

/** Every session of the bench's pool may build an HNSW index in memory and in parallel. */
function withSessionSettings(url: string): string {
  const withOptions = new URL(url);
  withOptions.searchParams.set('options', '-c maintenance_work_mem=1GB -c max_parallel_maintenance_workers=2');
  return withOptions.toString();
}

async function createScope(store: Store, modelId: string): Promise<IndexScope> {
  const [tenant] = await store.query<{ id: string }>(sql`INSERT INTO tenants (name) VALUES (${`bench-${process.pid}-${Date.now()}`}) RETURNING id`);
  const [corpus] = await store.query<{ id: string }>(sql`INSERT INTO corpora (tenant_id, name) VALUES (${tenant!.id}, 'bench') RETURNING id`);
  const [build] = await store.query<{ id: string }>(sql`
    INSERT INTO index_builds (tenant_id, corpus_id, embedding_model_id, chunker, chunker_hash, analyzer_version, status)
    VALUES (${tenant!.id}, ${corpus!.id}, ${modelId}, '{}'::jsonb, 'bench', 'bench', 'active') RETURNING id`);
  await store.query(sql`UPDATE corpora SET active_build_id = ${build!.id}::uuid WHERE id = ${corpus!.id}::uuid`);
  return { tenantId: tenant!.id, corpusId: corpus!.id, buildId: build!.id };
}

/** The lead's in-memory BM25 decorator, loaded only when its file exists. */
interface CachedLexical extends LexicalIndex {
  warm(scope: IndexScope): Promise<void>;
  counters(): Readonly<{ memoryHits: number; sqlFallbacks: number; loads: number }>;
}
async function cachedBm25(store: Store, inner: PostgresBm25Index): Promise<CachedLexical | undefined> {
  const file = join(import.meta.dirname, '../../indexes/postgres/cached-bm25-index.ts');
  if (!existsSync(file)) return undefined;
  const module = (await import(file)) as { CachedBm25Index?: new (store: Store, inner: PostgresBm25Index, options?: Record<string, unknown>) => CachedLexical };
  return module.CachedBm25Index ? new module.CachedBm25Index(store, inner) : undefined;
}

function containerUsesCache(): boolean {
  return /new CachedBm25Index\(/.test(readFileSync(join(import.meta.dirname, '../../src/container.ts'), 'utf8'));
}

async function explain(store: Store, label: string, statement: ReturnType<typeof sql> | undefined, settings: readonly ReturnType<typeof sql>[]): Promise<void> {
  if (!statement) return;
  const lines = await inTransaction(store, async (executor) => {
    for (const setting of settings) await executor(setting);
    return executor<{ 'QUERY PLAN': string }>(sql`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement}`);
  });
  console.log(`\nEXPLAIN ANALYZE ${label}:`);
  for (const line of lines) console.log(`  ${line['QUERY PLAN'].replace(/'\[[^\]]{40,}\]'/g, "'[…]'")}`);
}

async function main(): Promise<void> {
  const serverUrl = args['database-url'];
  const existing = args.build;
  if (existing && !serverUrl) throw new Error('--build needs --database-url of the database that holds it');
  const scratch = serverUrl && !existing ? await scratchDatabase(serverUrl) : undefined;
  const databaseUrl = scratch?.url ?? serverUrl;
  const store = await openStore(databaseUrl ? { databaseUrl: withSessionSettings(databaseUrl), poolSize: 4 } : { dataDir: 'memory://' });
  try {
    if (store.driver === 'pglite') await store.query(sql`SET maintenance_work_mem = '1GB'`);
    await migrateStore(store);
    const dataset = await loadBeir(args.dataset, 'train');
    const embedder = new LocalHashEmbedder();
    const model = await new EmbeddingRegistry(store.db).register(embedder);
    const dimensions = embedder.dimensions;
    const bm25 = new PostgresBm25Index(store);
    const vectors = new PgvectorIndex(store, { ...HNSW, alwaysUseIndex: true });

    let scope: IndexScope;
    if (existing) {
      const [row] = await store.db.select().from(indexBuilds).where(eq(indexBuilds.id, existing));
      if (!row) throw new Error(`no index build ${existing}`);
      scope = { tenantId: row.tenantId, corpusId: row.corpusId, buildId: row.id };
    } else {
      scope = await createScope(store, model.id);
    }
    const [counted] = existing ? await store.query<{ n: string }>(sql`SELECT doc_count::text AS n FROM build_term_stats WHERE build_id = ${scope.buildId}::uuid`) : [];
    console.log(
      `retrieval-latency: ${existing ? `build ${existing} (${counted?.n} chunks)` : `${CHUNKS} chunks`} × ${dimensions} dims on ${databaseUrl ? 'PostgreSQL' : 'PGlite'}; ` +
        `HNSW m ${HNSW.m}, ef_construction ${HNSW.efConstruction}, ef_search ${HNSW.efSearch}`,
    );

    if (!existing) {
      if (!args['bulk-index']) await vectors.createBuild(scope, { id: model.id, dimensions });
      const documents = seedDocuments([...dataset.corpus.values()], CHUNKS);
      const load = await timed(() =>
        bulkSeed(store, scope, { chunkerHash: 'bench', modelId: model.id, embedder, chunksPerTransaction: Number(args['chunks-per-transaction']), log: (line) => console.log(line) }, documents),
      );
      const phases = load.value;
      console.log(
        `seed: ${phases.chunks} chunks, ${phases.postings} postings in ${seconds(load.ms)} (overlapping: prepare in JS ${seconds(phases.prepareMs)}, ` +
          `documents+chunks ${seconds(phases.rowsMs)}, build_chunks+postings ${seconds(phases.postingsMs)}, vectors ${seconds(phases.vectorsMs)})`,
      );
    }
    if (args['bulk-index'] || args['rebuild-hnsw']) {
      if (args['rebuild-hnsw']) await store.query(sql.raw(`DROP INDEX IF EXISTS ${hnswIndexName(scope.buildId)}`));
      const { ms } = await timed(() => vectors.createBuild(scope, { id: model.id, dimensions }));
      console.log(`HNSW build (m ${HNSW.m}, ef_construction ${HNSW.efConstruction}) ${seconds(ms)}`);
    }
    // The state autovacuum leaves a loaded table in: statistics, and a visibility map that lets BM25's
    // index-only scans of the postings skip the heap (freshly loaded, every posting read is a heap fetch).
    const analyzed = await timed(async () => {
      for (const table of ['postings', 'chunk_vectors', 'chunks', 'build_chunks', 'documents']) await store.query(sql.raw(`VACUUM (ANALYZE) ${table}`));
    });
    const [sizes] = await store.query<Record<string, string>>(sql`
      SELECT (SELECT count(*) FROM postings WHERE build_id = ${scope.buildId}::uuid)::text AS postings,
             pg_size_pretty(pg_total_relation_size('postings')) AS postings_size,
             pg_size_pretty(pg_relation_size(${hnswIndexName(scope.buildId)}::regclass)) AS hnsw_size`);
    console.log(`VACUUM (ANALYZE) ${seconds(analyzed.ms)}; postings rows ${sizes?.postings}, postings table+indexes ${sizes?.postings_size}, HNSW index ${sizes?.hnsw_size}`);

    const cached = await cachedBm25(store, bm25);
    if (cached) {
      const { ms } = await timed(() => cached.warm(scope));
      console.log(`CachedBm25Index: snapshot loaded in ${seconds(ms)}`);
    }
    const lexicalChoice = args.lexical === 'container' ? (containerUsesCache() ? 'cached' : 'sql') : args.lexical;
    if (lexicalChoice === 'cached' && !cached) throw new Error('--lexical cached: indexes/postgres/cached-bm25-index.ts is not there');
    const lexical: LexicalIndex = lexicalChoice === 'cached' ? cached! : bm25;
    const [buildRow] = await store.db.select().from(indexBuilds).where(eq(indexBuilds.id, scope.buildId));
    const build: IndexBuild = buildRow!;
    const deps = { lexical, vectors, embedder, reranker: new LocalLexicalReranker(), readRows: (chunkIds: readonly string[]) => readChunkRows(store.db, build, chunkIds) };

    const queries = [...dataset.queries.values()].slice(0, QUERIES).map((query) => query.text);
    const neural = args['query-embedder'] === 'neural' ? await openNeuralEmbedder() : undefined;
    for (const query of queries.slice(0, 10)) await neural?.embed([query], { inputType: 'query' });
    const queryVectors = queries.map((query) => Array.from(embedder.embedOne(query, 'query')));
    const buildModel = { modelId: model.id, dimensions };
    const exactScan = (vector: number[]) =>
      inTransaction(store, async (executor) => {
        await executor(sql`SELECT set_config('enable_indexscan', 'off', true)`);
        return executor<{ chunk_id: string }>(vectors.searchStatement(scope, buildModel, vector, 10));
      });
    // Warm-up: caches, connections, JIT.
    for (const [index, query] of queries.slice(0, 10).entries()) {
      await bm25.search(scope, query, 10);
      await cached?.search(scope, query, 10);
      await vectors.search(scope, model.id, queryVectors[index]!, 10);
      await retrieve(deps, build, query, { ...RETRIEVE, mode: 'hybrid+rerank' });
    }
    const latency = { queryEmbedding: [] as number[], whole: [] as number[], bm25: [] as number[], cached: [] as number[], hnsw: [] as number[], exact: [] as number[], hybrid: [] as number[], reranked: [] as number[] };
    const stages = { bm25: [] as number[], vector: [] as number[], fuse: [] as number[], rerank: [] as number[] };
    let overlap = 0;
    let cachedAgreement = 0;
    const exactIds: Set<string>[] = [];
    for (const [index, query] of queries.entries()) {
      const sqlResult = await timed(() => bm25.search(scope, query, 10));
      latency.bm25.push(sqlResult.ms);
      if (cached) {
        const memory = await timed(() => cached.search(scope, query, 10));
        latency.cached.push(memory.ms);
        if (sameIds(memory.value, sqlResult.value)) cachedAgreement++;
      }
      const hnsw = await timed(() => vectors.search(scope, model.id, queryVectors[index]!, 10));
      latency.hnsw.push(hnsw.ms);
      const exact = await timed(() => exactScan(queryVectors[index]!));
      latency.exact.push(exact.ms);
      const truth = new Set(exact.value.map((row) => row.chunk_id));
      exactIds.push(truth);
      overlap += hnsw.value.filter((hit) => truth.has(hit.chunkId)).length;
      latency.hybrid.push((await timed(() => retrieve(deps, build, query, { ...RETRIEVE, mode: 'hybrid' }))).ms);
      const reranked = await timed(() => retrieve(deps, build, query, { ...RETRIEVE, mode: 'hybrid+rerank' }));
      latency.reranked.push(reranked.ms);
      if (neural) {
        const embedded = await timed(() => neural.embed([query], { inputType: 'query' }));
        latency.queryEmbedding.push(embedded.ms);
        latency.whole.push(embedded.ms + reranked.ms);
      }
      stages.bm25.push(reranked.value.timings.bm25Ms);
      stages.vector.push(reranked.value.timings.vectorMs);
      stages.fuse.push(reranked.value.timings.fuseMs);
      stages.rerank.push(reranked.value.timings.rerankMs);
    }
    console.log(`\n${queries.length} queries, interleaved per query (top 10 for the single retrievers; retrieve() takes top ${RETRIEVE.candidates} from each, reranks ${RETRIEVE.rerankCandidates}):`);
    report('BM25 SQL', latency.bm25);
    if (cached) {
      const counters = cached.counters();
      report('BM25 cached', latency.cached, `   (same top 10 as SQL on ${cachedAgreement}/${queries.length}; memory ${counters.memoryHits}, SQL ${counters.sqlFallbacks})`);
    }
    report(`vector HNSW ef_search ${HNSW.efSearch}`, latency.hnsw, `   recall@10 vs exact ${(overlap / (queries.length * 10)).toFixed(4)}`);
    report('vector exact scan', latency.exact);
    report(`hybrid (BM25 ${lexicalChoice})`, latency.hybrid);
    report(`hybrid+rerank (BM25 ${lexicalChoice})`, latency.reranked);
    report('  of which BM25 top 50', stages.bm25);
    report('  of which vector top 50', stages.vector);
    report('  of which fuse+hydrate', stages.fuse);
    report('  of which rerank', stages.rerank);
    if (neural) {
      report('query embedding (bge-small)', latency.queryEmbedding, '   (the local neural model, query lane)');
      report('whole search', latency.whole, '   (neural query embedding + hybrid+rerank, per query)');
      await neural.close();
    }

    for (const efSearch of args['ef-sweep'].split(',').filter(Boolean).map(Number)) {
      const swept = new PgvectorIndex(store, { ...HNSW, efSearch, alwaysUseIndex: true });
      const samples: number[] = [];
      let found = 0;
      for (const [index, vector] of queryVectors.entries()) {
        const { value, ms } = await timed(() => swept.search(scope, model.id, vector, 10));
        samples.push(ms);
        found += value.filter((hit) => exactIds[index]!.has(hit.chunkId)).length;
      }
      report(`HNSW ef_search ${efSearch}`, samples, `   recall@10 ${(found / (queries.length * 10)).toFixed(4)}`);
    }

    if (args.explain) {
      await explain(store, 'BM25', bm25.searchStatement(scope, queries[0]!, 10), []);
      await explain(store, 'vector HNSW', vectors.searchStatement(scope, buildModel, queryVectors[0]!, 10), [vectors.searchSettings()]);
    }
    if (existing) return;
    if (args.keep) {
      console.log(`\nkept: --database-url ${databaseUrl ?? '(PGlite in memory: gone at exit)'} --build ${scope.buildId}`);
    } else if (!scratch) {
      await vectors.dropBuild(scope);
      await store.query(sql`DELETE FROM tenants WHERE id = ${scope.tenantId}::uuid`);
    }
  } finally {
    await store.close();
    if (scratch && !args.keep) await scratch.drop();
  }
}

function sameIds(left: readonly ScoredChunk[], right: readonly ScoredChunk[]): boolean {
  return left.length === right.length && left.every((item, index) => item.chunkId === right[index]?.chunkId);
}

await main();
