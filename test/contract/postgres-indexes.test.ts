import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { PostgresBm25Index } from '../../indexes/postgres/bm25-index';
import { BuildStateReader } from '../../indexes/postgres/build-state-reader';
import { CachedBm25Index } from '../../indexes/postgres/cached-bm25-index';
import { CachedVectorIndex } from '../../indexes/postgres/cached-vector-index';
import { hnswIndexName, PgvectorIndex } from '../../indexes/postgres/pgvector-index';
import { migrateStore, openStore, type Store } from '../../src/core/db/client';
import { createTestDatabase } from '../helpers/services';
import { AppError } from '../../src/core/errors';
import { seedChunks, seedCorpus } from '../helpers/seed';
import { storeTargets } from '../helpers/stores';
import { lexicalIndexContract, syntheticTexts, type LexicalHarness } from './lexical-index.contract';
import { vectorIndexContract, type VectorHarness } from './vector-index.contract';
import { randomUnitVectors } from './vectors';
import { explainLines } from './explain';
import { inTransaction } from '../../indexes/postgres/transaction';
import { WorkerTextStages } from '../../ingestion/text-stages';

const targets = await storeTargets('postgres index contract');

async function postgresLexicalHarness(store: Store, options: { cached?: boolean; workerCopies?: boolean } = {}): Promise<LexicalHarness> {
  // workerCopies: every write's analysis and COPY rows made on the text-stages worker, as the container does for large documents.
  const stages = options.workerCopies ? new WorkerTextStages({ minChars: 0 }) : undefined;
  const sqlIndex = new PostgresBm25Index(store, stages ? { prepareCopies: stages.bm25Copies } : {});
  // Cached, every search waits for a current snapshot: the contract then checks the in-memory scorer, not the SQL fallback.
  const index = options.cached ? new CachedBm25Index(store, sqlIndex, { waitForLoad: true, minReloadIntervalMs: 0 }) : sqlIndex;
  return {
    index,
    scoring: { k1: sqlIndex.k1, b: sqlIndex.b, tolerance: 1e-9 },
    async newScope(options) {
      const { tenantId, corpusId, buildId } = await seedCorpus(store, { tenantId: options?.sameTenantAs?.tenantId, dimensions: 8 });
      return { tenantId, corpusId, buildId };
    },
    chunks: (scope, inputs) => seedChunks(store, scope, inputs),
    // Nothing stops a caller from naming another build: the postings of both share the table.
    plantForeign: (build, foreign, chunks) => index.add({ ...foreign, buildId: build.buildId }, chunks),
    async statistics(scope) {
      const [row] = await store.query<Record<string, string | number | null>>(sql`
        SELECT (SELECT doc_count FROM build_term_stats WHERE build_id = ${scope.buildId}) AS doc_count,
               (SELECT total_length FROM build_term_stats WHERE build_id = ${scope.buildId}) AS total_length,
               (SELECT count(*) FROM build_chunks WHERE build_id = ${scope.buildId}) AS recount_docs,
               (SELECT coalesce(sum(tf), 0) FROM all_postings WHERE build_id = ${scope.buildId}) AS recount_length`);
      return {
        stored: { docCount: Number(row?.doc_count ?? 0), totalLength: Number(row?.total_length ?? 0) },
        recount: { docCount: Number(row?.recount_docs), totalLength: Number(row?.recount_length) },
      };
    },
    close: async () => {
      await stages?.close();
      await store.close();
    },
  };
}

async function pgvectorHarness(store: Store, options: { cached?: boolean } = {}): Promise<VectorHarness> {
  // The contract measures the HNSW index itself, so small builds must not be answered by an exact scan.
  const pgvector = new PgvectorIndex(store, { alwaysUseIndex: true });
  return {
    // Cached, every search waits for a current copy: the contract then checks the in-memory exact scan, not the SQL fallback.
    index: options.cached ? new CachedVectorIndex(store, pgvector, { waitForLoad: true, minReloadIntervalMs: 0 }) : pgvector,
    async newBuild(dimensions, options) {
      const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { tenantId: options?.sameTenantAs?.tenantId, dimensions });
      return { scope: { tenantId, corpusId, buildId }, modelId };
    },
    chunks: (scope, count) => seedChunks(store, scope, Array.from({ length: count }, (_, index) => `vector chunk ${index}`)),
    async plantForeign(build, foreign, modelId, records) {
      await store.query(sql`
        INSERT INTO chunk_vectors (build_id, chunk_id, tenant_id, corpus_id, model_id, embedding)
        SELECT ${build.buildId}::uuid, u.chunk_id, ${foreign.tenantId}::uuid, ${foreign.corpusId}::uuid, ${modelId}, u.embedding::vector
        FROM unnest(${sql.param(records.map((record) => record.chunkId))}::uuid[],
                    ${sql.param(records.map((record) => `[${record.vector.join(',')}]`))}::text[]) AS u(chunk_id, embedding)`);
    },
    close: () => store.close(),
  };
}

for (const target of targets) {
  describe(`postgres indexes on ${target.name}`, () => {
    lexicalIndexContract(`PostgresBm25Index (${target.name})`, async () => postgresLexicalHarness(await target.open()));
    lexicalIndexContract(`CachedBm25Index (${target.name})`, async () => postgresLexicalHarness(await target.open(), { cached: true }));
    // Only PGlite writes by COPY.
    if (target.name === 'pglite') lexicalIndexContract(`PostgresBm25Index, COPY rows from the text-stages worker (${target.name})`, async () => postgresLexicalHarness(await target.open(), { workerCopies: true }));
    vectorIndexContract(`PgvectorIndex (${target.name})`, async () => pgvectorHarness(await target.open()));
    vectorIndexContract(`CachedVectorIndex (${target.name})`, async () => pgvectorHarness(await target.open(), { cached: true }));

    describe('adapter specifics', () => {
      let store: Store;
      beforeAll(async () => {
        store = await target.open();
      });
      afterAll(async () => {
        await store?.close();
      });

      it('with a shared BuildStateReader, a hybrid search reads both versions in one statement and sees every finished write', async () => {
        const states = new BuildStateReader(store);
        const lexical = new CachedBm25Index(store, new PostgresBm25Index(store), { minReloadIntervalMs: 0, waitForLoad: true, states });
        const vectors = new CachedVectorIndex(store, new PgvectorIndex(store), { minReloadIntervalMs: 0, waitForLoad: true, states });
        const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 8 });
        const scope = { tenantId, corpusId, buildId };
        await vectors.createBuild(scope, { id: modelId, dimensions: 8 });
        const chunks = await seedChunks(store, scope, syntheticTexts(40, 5));
        await lexical.add(scope, chunks);
        const unit = randomUnitVectors(40, 8, 3);
        await vectors.upsert(scope, modelId, chunks.map((chunk, index) => ({ chunkId: chunk.chunkId, documentId: chunk.documentId, versionId: chunk.versionId, vector: unit[index]! })));
        await Promise.all([lexical.warm(scope), vectors.warm(scope)]);

        // Past the write fence (PGlite), which would answer these reads from memory: a write that changes nothing.
        await store.query(sql`UPDATE corpora SET generation = generation WHERE false`);
        const before = states.stats();
        const [, nearest] = await Promise.all([lexical.search(scope, 'alpha', 5), vectors.search(scope, modelId, unit[3]!, 3)]);
        expect(states.stats().statements - before.statements).toBe(1);
        expect(states.stats().reads - before.reads).toBe(2);
        expect(nearest[0]!.chunkId).toBe(chunks[3]!.chunkId);
        expect(lexical.counters().memoryHits).toBe(1);
        expect(vectors.counters().memoryHits).toBe(1);

        // A write that finished before a search is seen by it: the new version misses the copy.
        const [twin] = await seedChunks(store, scope, ['quokka quokka quokka']);
        await lexical.add(scope, [twin!]);
        expect((await lexical.search(scope, 'quokka', 1)).map((hit) => hit.chunkId)).toEqual([twin!.chunkId]);
        // Not a uuid: no row, no statement (the SQL path then reports the id).
        const statements = states.stats().statements;
        await expect(states.terms('not-a-uuid')).resolves.toBeUndefined();
        expect(states.stats().statements).toBe(statements);
      });

      it('writes postings and vectors by binary COPY on PGlite and by INSERT on PostgreSQL, with the same rows', async () => {
        const copyOffered = await inTransaction(store, async (_executor, copyIn) => copyIn !== undefined);
        // If a drizzle upgrade hid the PGlite transaction's client, ingestion would silently fall back to the slow path.
        expect(copyOffered).toBe(target.name === 'pglite');
        const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 3 });
        const scope = { tenantId, corpusId, buildId };
        const chunks = await seedChunks(store, scope, ['zebra apple apple', 'apple mango']);
        await new PostgresBm25Index(store).add(scope, chunks);
        const postings = await store.query<{ term: string; chunk_id: string; tenant_id: string; corpus_id: string; tf: number; doc_length: number }>(sql`
          SELECT term, chunk_id, tenant_id, corpus_id, tf, doc_length FROM postings WHERE build_id = ${buildId}::uuid ORDER BY term, chunk_id`);
        const [first, second] = chunks.map((chunk) => chunk.chunkId);
        const mine = { tenant_id: tenantId, corpus_id: corpusId };
        expect(postings).toEqual(
          [
            { term: 'appl', chunk_id: first, tf: 2, doc_length: 3, ...mine },
            { term: 'appl', chunk_id: second, tf: 1, doc_length: 2, ...mine },
            { term: 'mango', chunk_id: second, tf: 1, doc_length: 2, ...mine },
            { term: 'zebra', chunk_id: first, tf: 1, doc_length: 3, ...mine },
          ].sort((left, right) => (left.term + left.chunk_id < right.term + right.chunk_id ? -1 : 1)),
        );

        const vectors = new PgvectorIndex(store);
        const record = (chunkId: string, vector: number[]) => ({ chunkId, documentId: chunks[0]!.documentId, versionId: chunks[0]!.versionId, vector });
        await vectors.upsert(scope, modelId, [record(first!, [0.1, -0.2, 0.3]), record(second!, [1, 0, 0])]);
        // A second upsert replaces (PGlite: delete + COPY), keeping one row per chunk.
        await vectors.upsert(scope, modelId, [record(first!, [1 / 3, 2 / 3, -2 / 3])]);
        const stored = await store.query<{ chunk_id: string; embedding: string; model_id: string }>(sql`
          SELECT chunk_id, embedding::text AS embedding, model_id FROM chunk_vectors WHERE build_id = ${buildId}::uuid ORDER BY chunk_id`);
        const byChunk = new Map(stored.map((row) => [row.chunk_id, row]));
        expect(stored).toHaveLength(2);
        const values = (chunkId: string) => (JSON.parse(byChunk.get(chunkId)!.embedding) as number[]).map((value) => Math.fround(value));
        expect(values(first!)).toEqual([1 / 3, 2 / 3, -2 / 3].map((value) => Math.fround(value)));
        expect(values(second!)).toEqual([1, 0, 0]);
        expect(byChunk.get(first!)!.model_id).toBe(modelId);
        const [stats] = await store.query<{ vector_count: string | number }>(sql`SELECT vector_count FROM build_vector_stats WHERE build_id = ${buildId}::uuid`);
        expect(Number(stats!.vector_count)).toBe(2);
      });

      it('the write fence: on PGlite it answers repeated version reads from memory until any write that may touch an index', async () => {
        if (target.name !== 'pglite') {
          // PostgreSQL is shared with other processes: it has no fence, and every read goes to the database.
          expect(store.writeFence).toBeUndefined();
          return;
        }
        if (!store.writeFence) throw new Error('a PGlite store has a write fence');
        const states = new BuildStateReader(store);
        const lexical = new CachedBm25Index(store, new PostgresBm25Index(store), { minReloadIntervalMs: 0, waitForLoad: true, states });
        const { tenantId, corpusId, buildId } = await seedCorpus(store, { dimensions: 8 });
        const scope = { tenantId, corpusId, buildId };
        const chunks = await seedChunks(store, scope, syntheticTexts(20, 9));
        await lexical.add(scope, chunks);
        await lexical.search(scope, 'alpha', 3);

        // No write between them: no statement for the next searches' version reads.
        const before = states.stats();
        for (let index = 0; index < 3; index++) await lexical.search(scope, 'alpha', 3);
        expect(states.stats().statements).toBe(before.statements);
        expect(states.stats().fenced - before.fenced).toBe(3);

        // The per-answer records (traces, usage) leave the fence where it is.
        const fence = store.writeFence();
        await store.query(sql`INSERT INTO tenant_usage (tenant_id, day, tokens, cost_usd) VALUES (${tenantId}::uuid, '2099-01-01', 1, 0)`);
        expect(store.writeFence()).toBe(fence);

        // Anything else moves it, and the search after it sees the write.
        const [twin] = await seedChunks(store, scope, ['wombat wombat wombat']);
        await lexical.add(scope, [twin!]);
        expect(store.writeFence()).not.toBe(fence);
        expect((await lexical.search(scope, 'wombat', 1)).map((hit) => hit.chunkId)).toEqual([twin!.chunkId]);
        expect(states.stats().statements).toBeGreaterThan(before.statements);

        // A raw write inside a transaction moves it too.
        const inside = store.writeFence();
        await store.db.transaction(async (tx) => {
          await tx.execute(sql`UPDATE build_term_stats SET version = version + 1 WHERE build_id = ${buildId}::uuid`);
        });
        expect(store.writeFence()).not.toBe(inside);
      });

      it('createBuild refuses a model other than the build records, and ids that are not uuids', async () => {
        const index = new PgvectorIndex(store);
        const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 8 });
        const scope = { tenantId, corpusId, buildId };
        await expect(index.createBuild(scope, { id: 'another-model', dimensions: 8 })).rejects.toMatchObject({ code: 'EMBEDDING_MODEL_MISMATCH' });
        await expect(index.createBuild(scope, { id: modelId, dimensions: 9 })).rejects.toMatchObject({ code: 'EMBEDDING_MODEL_MISMATCH' });
        await expect(index.createBuild({ ...scope, buildId: `${buildId}'; DROP TABLE chunks; --` }, { id: modelId, dimensions: 8 })).rejects.toBeInstanceOf(AppError);
        await expect(index.createBuild({ ...scope, tenantId: corpusId }, { id: modelId, dimensions: 8 })).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });
        await index.createBuild(scope, { id: modelId, dimensions: 8 });
        await index.createBuild(scope, { id: modelId, dimensions: 8 }); // idempotent
        const indexes = await store.query<{ indexdef: string }>(sql`SELECT indexdef FROM pg_indexes WHERE indexname = ${hnswIndexName(buildId)}`);
        expect(indexes[0]?.indexdef).toMatch(/USING hnsw \(\(\(?embedding\)?::vector\(8\)\) vector_cosine_ops\) WITH \(m='16', ef_construction='64'\) WHERE \(build_id = '[0-9a-f-]{36}'::uuid\)/);
      });

      it('vector search uses the partial HNSW index of its build (planner-chosen at 5K rows; forced when asked)', async () => {
        const index = new PgvectorIndex(store);
        const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 16 });
        const scope = { tenantId, corpusId, buildId };
        await index.createBuild(scope, { id: modelId, dimensions: 16 });
        const chunks = await seedChunks(store, scope, Array.from({ length: 5_000 }, (_, position) => `chunk ${position}`));
        const vectors = randomUnitVectors(chunks.length, 16, 11);
        await index.upsert(scope, modelId, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
        await store.query(sql`ANALYZE chunk_vectors`);
        const model = { modelId, dimensions: 16 };
        const usesIndex = `Index Scan using ${hnswIndexName(buildId)}`;
        const planned = await explainLines(store, index.searchStatement(scope, model, vectors[0]!, 10), [index.searchSettings()]);
        expect(planned.join('\n')).toContain(usesIndex);

        // A small build: the planner may scan exactly unless told to use the index.
        const small = await seedCorpus(store, { dimensions: 16, tenantId });
        const smallScope = { tenantId, corpusId: small.corpusId, buildId: small.buildId };
        const forced = new PgvectorIndex(store, { alwaysUseIndex: true });
        await forced.createBuild(smallScope, { id: small.modelId, dimensions: 16 });
        const smallChunks = await seedChunks(store, smallScope, ['a', 'b', 'c']);
        await forced.upsert(smallScope, small.modelId, smallChunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
        const forcedPlan = await explainLines(store, forced.searchStatement(smallScope, model, vectors[0]!, 10), [forced.searchSettings()]);
        expect(forcedPlan.join('\n')).toContain(`Index Scan using ${hnswIndexName(small.buildId)}`);
        expect((await forced.search(smallScope, small.modelId, vectors[0]!, 10)).map((hit) => hit.chunkId)[0]).toBe(smallChunks[0]!.chunkId);
      }, 120_000);

      if (target.name === 'postgres') {
        it('on pg a vector search is one round trip, and its settings end with it', async () => {
          // One connection, so the statements after the search run on the session the search ran on.
          const database = await createTestDatabase();
          const store = await openStore({ databaseUrl: database.url, poolSize: 1 });
          onTestFinished(async () => {
            await store.close();
            await database.drop();
          });
          await migrateStore(store);
          const forced = new PgvectorIndex(store, { alwaysUseIndex: true, efSearch: 77 });
          const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 8 });
          const scope = { tenantId, corpusId, buildId };
          await forced.createBuild(scope, { id: modelId, dimensions: 8 });
          const chunks = await seedChunks(store, scope, ['a', 'b', 'c', 'd']);
          const vectors = randomUnitVectors(chunks.length, 8, 5);
          await forced.upsert(scope, modelId, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
          const texts: string[] = [];
          const original = pg.Client.prototype.query;
          pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
            const first = args[0] as string | { text?: string };
            texts.push(typeof first === 'string' ? first : (first.text ?? ''));
            return (original as (...a: unknown[]) => unknown).apply(this, args);
          } as typeof original;
          let hits;
          try {
            hits = await forced.search(scope, modelId, vectors[2]!, 3);
          } finally {
            pg.Client.prototype.query = original;
          }
          expect(hits.map((hit) => hit.chunkId)[0]).toBe(chunks[2]!.chunkId);
          expect(texts).toHaveLength(1);
          expect(texts[0]).toContain("set_config('hnsw.ef_search', '77', true)");
          const [after] = await store.query<{ ef: string; seqscan: string }>(sql`SELECT coalesce(current_setting('hnsw.ef_search', true), 'default') AS ef, current_setting('enable_seqscan') AS seqscan`);
          expect(after?.seqscan).toBe('on');
          expect(['default', '40', '']).toContain(after?.ef);
          // A statement that fails leaves no settings behind either.
          await expect(store.script!([forced.searchSettings(), sql`SELECT 1 / 0`])).rejects.toThrow();
          const [later] = await store.query<{ ef: string; seqscan: string }>(sql`SELECT coalesce(current_setting('hnsw.ef_search', true), 'default') AS ef, current_setting('enable_seqscan') AS seqscan`);
          expect(later?.seqscan).toBe('on');
          expect(['default', '40', '']).toContain(later?.ef);
        });
      }

      it('cached BM25 answers from memory exactly as SQL does, never from a stale or foreign snapshot', async () => {
        // The same ranking up to summation order: scores equal to 1e-9, ties (at that precision) by chunk id,
        // leaving out the tie group the limit cuts (either side may keep different members of it).
        const comparable = (hits: { chunkId: string; score: number }[]) => {
          const rounded = hits.map((hit) => ({ chunkId: hit.chunkId, score: Math.round(hit.score * 1e9) / 1e9 }));
          const cut = rounded.at(-1)?.score;
          return rounded
            .filter((hit) => hit.score !== cut)
            .sort((left, right) => right.score - left.score || (left.chunkId < right.chunkId ? -1 : 1));
        };
        const sqlIndex = new PostgresBm25Index(store);
        const cached = new CachedBm25Index(store, sqlIndex, { minReloadIntervalMs: 0 });
        const { tenantId, corpusId, buildId } = await seedCorpus(store, { dimensions: 8 });
        const scope = { tenantId, corpusId, buildId };
        const chunks = await seedChunks(store, scope, syntheticTexts(1_500, 3));
        // Written past the cache: on PGlite a write through it would make the copy (see the next test).
        await sqlIndex.add(scope, chunks);
        const queries = ['alpha tango', 'kilo kilo lima', 'bravo charlie delta echo foxtrot', 'november', 'zulu'];

        // Cold: answered from SQL while the snapshot loads in the background.
        const cold = await cached.search(scope, queries[0]!, 20);
        expect(cached.counters()).toMatchObject({ sqlFallbacks: 1, memoryHits: 0, loads: 1 });
        await cached.warm(scope);
        expect(comparable(await cached.search(scope, queries[0]!, 20))).toEqual(comparable(cold));
        for (const query of queries) {
          const fromMemory = await cached.search(scope, query, 50);
          const fromSql = await sqlIndex.search(scope, query, 50);
          expect(fromMemory.length, query).toBe(fromSql.length);
          fromMemory.forEach((hit, position) => expect(hit.score).toBeCloseTo(fromSql[position]!.score, 9));
          expect(comparable(fromMemory), query).toEqual(comparable(fromSql));
        }
        expect(cached.counters().memoryHits).toBe(queries.length + 1);

        // A copy read in pages steered down to their floor (every page counts as slow) holds the same postings.
        const paged = new CachedBm25Index(store, sqlIndex, { minReloadIntervalMs: 0, pageTargetMs: 1e-6 });
        await paged.warm(scope);
        for (const query of queries) expect(await paged.search(scope, query, 50), query).toEqual(await cached.search(scope, query, 50));
        expect(paged.counters()).toMatchObject({ memoryHits: queries.length, loads: 1 });

        // Swap one chunk for another of the same length: counts stay equal, the version does not.
        const [gone] = chunks;
        const [twin] = await seedChunks(store, scope, ['zulu zulu zulu']);
        await cached.removeChunks(scope, [gone!.chunkId]);
        await cached.add(scope, [twin!]);
        const fallbacks = cached.counters().sqlFallbacks;
        const fresh = await cached.search(scope, 'zulu', 5);
        expect(fresh.map((hit) => hit.chunkId)).toEqual([twin!.chunkId]);
        expect(cached.counters().sqlFallbacks).toBe(fallbacks + 1);
        await cached.warm(scope);
        expect(await cached.search(scope, 'zulu', 5)).toEqual(fresh);

        // Another tenant naming this build id is never served from the snapshot (and SQL filters it out).
        const other = await seedCorpus(store, { dimensions: 8 });
        expect(await cached.search({ ...scope, tenantId: other.tenantId, corpusId: other.corpusId }, 'alpha tango', 20)).toEqual([]);

        // A budget smaller than the build: never loaded, always SQL.
        const tiny = new CachedBm25Index(store, sqlIndex, { maxPostings: 100 });
        expect(await tiny.search(scope, 'alpha tango', 20)).toEqual(await sqlIndex.search(scope, 'alpha tango', 20));
        expect(tiny.counters()).toMatchObject({ loads: 0, memoryHits: 0 });
      }, 120_000);

      it('cached BM25 takes each committed slice of a write on PGlite (no reload), answering as SQL does, ties by chunk id', async () => {
        // The postings by term cross from the text-stages worker, as the container's large documents' do.
        const stages = new WorkerTextStages({ minChars: 0 });
        onTestFinished(() => stages.close());
        const sqlIndex = new PostgresBm25Index(store, { chunksPerTransaction: 40, prepareCopies: stages.bm25Copies });
        const cached = new CachedBm25Index(store, sqlIndex, { minReloadIntervalMs: 0 });
        const { tenantId, corpusId, buildId } = await seedCorpus(store, { dimensions: 8 });
        const scope = { tenantId, corpusId, buildId };
        // Each text three times, in different slices: every score is shared by chunks written apart, whose random
        // ids interleave with the others' (ties must break on the id, not on the order they were appended in).
        const base = syntheticTexts(60, 11);
        const texts = [...base, ...base, ...base];
        const first = await seedChunks(store, scope, texts.slice(0, 100));
        const second = await seedChunks(store, scope, texts.slice(100));
        const queries = ['alpha tango', 'kilo kilo lima', 'bravo charlie delta echo foxtrot', 'november', 'golf hotel'];
        const agree = async (limit: number) => {
          for (const query of queries) {
            const [fromCache, fromSql] = [await cached.search(scope, query, limit), await sqlIndex.search(scope, query, limit)];
            expect(fromCache.map((hit) => hit.chunkId), query).toEqual(fromSql.map((hit) => hit.chunkId));
            fromCache.forEach((hit, position) => expect(hit.score).toBeCloseTo(fromSql[position]!.score, 9));
            const terms = ['alpha', 'kilo', 'zulu'];
            expect(await cached.termStatistics(scope, terms)).toEqual(await sqlIndex.termStatistics(scope, terms));
          }
        };

        await cached.add(scope, first);
        if (target.name !== 'pglite') {
          // PostgreSQL has other writers: a write there leaves the copy to reload.
          expect(cached.counters().advances).toBe(0);
          return;
        }
        // Into an empty build: the copy is made from the write's three slices, never read back.
        expect(cached.counters()).toMatchObject({ advances: 3, loads: 0 });
        await agree(7);
        expect(cached.counters()).toMatchObject({ sqlFallbacks: 0, loads: 0 });
        // Another document into the build the copy holds: appended.
        await cached.add(scope, second);
        expect(cached.counters()).toMatchObject({ advances: 5, loads: 0 });
        await agree(8);
        // The same as a copy read back from the database, to the last bit.
        const loaded = new CachedBm25Index(store, sqlIndex, { minReloadIntervalMs: 0 });
        await loaded.warm(scope);
        for (const query of queries) expect(await cached.search(scope, query, 30)).toEqual(await loaded.search(scope, query, 30));
        expect(cached.counters()).toMatchObject({ sqlFallbacks: 0, loads: 0, memoryHits: 5 * queries.length });

        // A re-add replaces postings the copy holds: it goes stale and SQL answers until it reloads.
        const [again] = await seedChunks(store, scope, ['zulu zulu']);
        await cached.add(scope, [again!]);
        await cached.add(scope, [{ ...again!, text: 'quokka quokka' }]);
        expect(cached.counters().advances).toBe(6);
        const fallbacks = cached.counters().sqlFallbacks;
        expect((await cached.search(scope, 'quokka', 3)).map((hit) => hit.chunkId)).toEqual([again!.chunkId]);
        expect(await cached.search(scope, 'zulu', 3)).toEqual([]);
        expect(cached.counters().sqlFallbacks).toBe(fallbacks + 2);
        await cached.warm(scope);
        await agree(9);

        // A write into the build under another tenant's name leaves the copy alone (stale), never in it.
        const other = await seedCorpus(store, { dimensions: 8 });
        const foreign = { tenantId: other.tenantId, corpusId: other.corpusId, buildId };
        const [planted] = await seedChunks(store, other, ['alpha alpha tango']);
        const advances = cached.counters().advances;
        await cached.add(foreign, [planted!]);
        expect(cached.counters().advances).toBe(advances);
        expect((await cached.search(scope, 'alpha tango', 200)).map((hit) => hit.chunkId)).not.toContain(planted!.chunkId);
      }, 120_000);

      it('cached vectors answer from memory as an exact scan in SQL does, never from a stale or foreign copy', async () => {
        const exact = new PgvectorIndex(store); // a 400-row build: the planner scans it exactly
        const cached = new CachedVectorIndex(store, exact, { minReloadIntervalMs: 0 });
        const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 16 });
        const scope = { tenantId, corpusId, buildId };
        await exact.createBuild(scope, { id: modelId, dimensions: 16 });
        const chunks = await seedChunks(store, scope, Array.from({ length: 400 }, (_, position) => `chunk ${position}`));
        const vectors = randomUnitVectors(chunks.length + 5, 16, 23);
        // Written past the cache: on PGlite a write through it would make the copy (see the next test).
        await exact.upsert(scope, modelId, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
        const queries = vectors.slice(chunks.length);

        // Cold: answered from SQL while the copy loads in the background.
        const cold = await cached.search(scope, modelId, queries[0]!, 10);
        expect(cached.counters()).toMatchObject({ sqlFallbacks: 1, memoryHits: 0, loads: 1 });
        await cached.warm(scope);
        for (const query of queries) {
          const fromMemory = await cached.search(scope, modelId, query, 25);
          const fromSql = await exact.search(scope, modelId, query, 25);
          expect(fromMemory.map((hit) => hit.chunkId)).toEqual(fromSql.map((hit) => hit.chunkId));
          fromMemory.forEach((hit, position) => expect(hit.score).toBeCloseTo(fromSql[position]!.score, 5));
        }
        expect(cached.counters().memoryHits).toBe(queries.length);
        expect((await cached.search(scope, modelId, queries[0]!, 10)).map((hit) => hit.chunkId)).toEqual(cold.map((hit) => hit.chunkId));

        // A changed vector (upsert's UPDATE path) and a removed one are seen at once: the version moved, SQL answers.
        const [moved, removed] = chunks;
        await cached.upsert(scope, modelId, [{ ...moved!, vector: queries[1]! }]);
        const fallbacks = cached.counters().sqlFallbacks;
        expect((await cached.search(scope, modelId, queries[1]!, 1))[0]?.chunkId).toBe(moved!.chunkId);
        expect(cached.counters().sqlFallbacks).toBe(fallbacks + 1);
        await cached.removeChunks(scope, [removed!.chunkId]);
        expect((await cached.search(scope, modelId, vectors[1]!, 400)).map((hit) => hit.chunkId)).not.toContain(removed!.chunkId);
        await cached.warm(scope);
        const reloaded = await cached.search(scope, modelId, queries[1]!, 400);
        expect(reloaded[0]?.chunkId).toBe(moved!.chunkId);
        expect(reloaded.map((hit) => hit.chunkId)).not.toContain(removed!.chunkId);
        expect(reloaded).toHaveLength(chunks.length - 1);

        // Another tenant naming this build id is never served from the copy (and SQL filters it out).
        const other = await seedCorpus(store, { dimensions: 16 });
        await expect(cached.search({ ...scope, tenantId: other.tenantId, corpusId: other.corpusId }, modelId, queries[0]!, 10)).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });

        // A budget smaller than the build: never loaded, always SQL.
        const tiny = new CachedVectorIndex(store, exact, { maxVectors: 100 });
        expect(await tiny.search(scope, modelId, queries[2]!, 10)).toEqual(await exact.search(scope, modelId, queries[2]!, 10));
        expect(tiny.counters()).toMatchObject({ loads: 0, memoryHits: 0 });

        // The count behind the budget follows inserts and deletes, cascades included.
        const [stats] = await store.query<{ vector_count: string | number }>(sql`SELECT vector_count FROM build_vector_stats WHERE build_id = ${buildId}::uuid`);
        expect(Number(stats?.vector_count)).toBe(chunks.length - 1);
        await store.query(sql`DELETE FROM chunks WHERE id = ${chunks[2]!.chunkId}::uuid`);
        const [after] = await store.query<{ vector_count: string | number }>(sql`SELECT vector_count FROM build_vector_stats WHERE build_id = ${buildId}::uuid`);
        expect(Number(after?.vector_count)).toBe(chunks.length - 2);
      }, 120_000);

      it('cached vectors take each committed upsert on PGlite (no reload), answering as an exact scan in SQL does, ties by chunk id', async () => {
        const exact = new PgvectorIndex(store);
        const cached = new CachedVectorIndex(store, exact, { minReloadIntervalMs: 0 });
        const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 16 });
        const scope = { tenantId, corpusId, buildId };
        await exact.createBuild(scope, { id: modelId, dimensions: 16 });
        const chunks = await seedChunks(store, scope, Array.from({ length: 240 }, (_, position) => `chunk ${position}`));
        // Each vector twice, in different upserts (not unit length, as a provider's need not be): every score is
        // shared by two chunks written apart, whose random ids interleave with the others'.
        const base = randomUnitVectors(120, 16, 31).map((vector, position) => vector.map((value) => value * (1 + (position % 7))));
        const records = chunks.map((chunk, position) => ({ ...chunk, vector: base[position % 120]! }));
        const queries = randomUnitVectors(4, 16, 37);
        const agree = async () => {
          for (const query of queries) {
            // Every row, so that no tie group is cut (SQL orders ties by chunk id only after its LIMIT).
            const [fromCache, fromSql] = [await cached.search(scope, modelId, query, chunks.length), await exact.search(scope, modelId, query, chunks.length)];
            expect(fromCache.map((hit) => hit.chunkId)).toEqual(fromSql.map((hit) => hit.chunkId));
            fromCache.forEach((hit, position) => expect(hit.score).toBeCloseTo(fromSql[position]!.score, 5));
          }
        };

        // The same as a copy read back from the database, to the last bit.
        const sameAsLoaded = async () => {
          const loaded = new CachedVectorIndex(store, exact, { minReloadIntervalMs: 0 });
          await loaded.warm(scope);
          for (const query of queries) expect(await cached.search(scope, modelId, query, 50)).toEqual(await loaded.search(scope, modelId, query, 50));
        };

        await cached.upsert(scope, modelId, records.slice(0, 100));
        if (target.name !== 'pglite') {
          expect(cached.counters().advances).toBe(0);
          return;
        }
        // Into a build without vectors: the copy is made from the upsert, never read back.
        expect(cached.counters()).toMatchObject({ advances: 1, loads: 0 });
        // Then with room to spare in its columns (110 rows of 150), then grown.
        await cached.upsert(scope, modelId, records.slice(100, 110));
        await sameAsLoaded();
        await cached.upsert(scope, modelId, records.slice(110));
        expect(cached.counters()).toMatchObject({ advances: 3, loads: 0 });
        const hits = cached.counters().memoryHits;
        await agree();
        await sameAsLoaded();
        expect(cached.counters()).toMatchObject({ sqlFallbacks: 0, loads: 0, memoryHits: hits + 2 * queries.length });

        // A vector replaced in place: the copy goes stale and SQL answers until it reloads.
        await cached.upsert(scope, modelId, [{ ...records[0]!, vector: queries[0]! }]);
        expect(cached.counters().advances).toBe(3);
        expect((await cached.search(scope, modelId, queries[0]!, 1))[0]?.chunkId).toBe(records[0]!.chunkId);
        expect(cached.counters().sqlFallbacks).toBe(1);
        await cached.warm(scope);
        await agree();
      }, 120_000);

      it('a build the vector copy covers gets its HNSW index only once it outgrows the copy', async () => {
        const { tenantId, corpusId, buildId, modelId } = await seedCorpus(store, { dimensions: 16 });
        const scope = { tenantId, corpusId, buildId };
        const deferred = new CachedVectorIndex(store, new PgvectorIndex(store, { alwaysUseIndex: true }), { maxVectors: 50, deferIndexUpTo: 50, minReloadIntervalMs: 0 });
        const hasIndex = async () => (await store.query(sql`SELECT 1 FROM pg_indexes WHERE indexname = ${hnswIndexName(buildId)}`)).length === 1;
        await deferred.createBuild(scope, { id: modelId, dimensions: 16 });
        expect(await hasIndex()).toBe(false);
        const chunks = await seedChunks(store, scope, Array.from({ length: 60 }, (_, position) => `chunk ${position}`));
        const vectors = randomUnitVectors(chunks.length, 16, 31);
        await deferred.upsert(scope, modelId, chunks.slice(0, 50).map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
        expect(await hasIndex()).toBe(false);
        // Without the index SQL scans exactly: the nearest vector to a stored one is itself.
        expect((await deferred.search(scope, modelId, vectors[7]!, 1))[0]?.chunkId).toBe(chunks[7]!.chunkId);
        await deferred.upsert(scope, modelId, chunks.slice(50).map((chunk, position) => ({ ...chunk, vector: vectors[50 + position]! })));
        expect(await hasIndex()).toBe(true);
        expect((await deferred.search(scope, modelId, vectors[55]!, 1))[0]?.chunkId).toBe(chunks[55]!.chunkId);
      }, 60_000);

      it('BM25 counts df and reads postings through the postings primary key', async () => {
        const index = new PostgresBm25Index(store);
        const { tenantId, corpusId, buildId } = await seedCorpus(store, { dimensions: 8 });
        const scope = { tenantId, corpusId, buildId };
        // Documents of 10 chunks: rows of postings on either driver (a version of BLOCK_MIN_CHUNKS or more is a block on PGlite).
        const chunks = [];
        for (let document = 0; document < 200; document++) chunks.push(...(await seedChunks(store, scope, syntheticTexts(10, 7 + document))));
        await index.add(scope, chunks);
        await store.query(sql`VACUUM ANALYZE postings`);
        const plan = (await explainLines(store, index.searchStatement(scope, 'alpha tango'))).join('\n');
        // Both the df count (per query term) and the scored postings are ranges of the primary key.
        // (Index-only for df once the visibility map is set; a bitmap scan when a term is very common.)
        expect(plan).toMatch(/Aggregate[^\n]*\n\s*->\s+Index Only Scan using postings_build_id_term_chunk_id_pk on postings /);
        // Posting blocks (PGlite's long versions): one range of their primary key for all the query terms.
        expect(plan).toMatch(/Index Scan using posting_blocks_build_id_term_block_id_pk on posting_blocks[^\n]*\n\s*Index Cond: \(\(build_id = '[^']+'::uuid\) AND \(term = ANY /);
        expect(plan.match(/(Index Only Scan using|Index Scan using|Bitmap Index Scan on) postings_build_id_term_chunk_id_pk/g)?.length).toBeGreaterThanOrEqual(2);
        expect(plan).not.toMatch(/Seq Scan on postings/);
      }, 60_000);
    });
  });
}
