import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedChunk, IndexScope } from '../../indexes/ports';
import { collectionName, MINIMUM_QDRANT_VERSION, QdrantIndex, type QdrantIndexOptions } from '../../indexes/qdrant/qdrant-index';
import { DEFAULT_SPARSE_BM25, documentSparseVector } from '../../indexes/qdrant/sparse-vector';
import { AppError } from '../../src/core/errors';
import { FakeQdrant } from '../fake-qdrant/server';
import type { SeedChunkInput } from '../helpers/seed';
import { lexicalIndexContract, SMALL_CORPUS, type LexicalHarness } from './lexical-index.contract';
import { vectorIndexContract, type VectorHarness } from './vector-index.contract';
import { randomUnitVectors } from './vectors';

/**
 * The shared index contracts and the adapter's own cases against a recording
 * fake Qdrant (test/fake-qdrant) that checks every request against Qdrant
 * 1.19's published OpenAPI file and refuses one that does not conform. No
 * Qdrant server runs here; with QDRANT_URL set, the contracts also run against
 * that live server.
 */

const MODEL_ID = 'contract-model';
const LIVE_QDRANT_URL = process.env.QDRANT_URL;

interface Target {
  name: string;
  url(): string;
}

const fake = new FakeQdrant();
const targets: Target[] = [{ name: 'fake Qdrant 1.19, spec-checked', url: () => fake.url }];
if (LIVE_QDRANT_URL) targets.push({ name: `live Qdrant at ${LIVE_QDRANT_URL}`, url: () => LIVE_QDRANT_URL });

beforeAll(async () => {
  await fake.start();
});

afterAll(async () => {
  await fake.close();
});

function clientFor(url: string): QdrantClient {
  return new QdrantClient({ url, apiKey: url === LIVE_QDRANT_URL ? process.env.QDRANT_API_KEY : undefined, checkCompatibility: false });
}

/** A client plus the builds (collections) a harness created, dropped on close. */
function qdrantContext(url: string, options: QdrantIndexOptions = {}) {
  const client = clientFor(url);
  const index = new QdrantIndex(client, options);
  const created: IndexScope[] = [];
  return {
    client,
    index,
    async newScope(sameTenantAs?: IndexScope): Promise<IndexScope> {
      const scope = { tenantId: sameTenantAs?.tenantId ?? randomUUID(), corpusId: randomUUID(), buildId: randomUUID() };
      created.push(scope);
      return scope;
    },
    chunks(inputs: readonly SeedChunkInput[]): IndexedChunk[] {
      const documentId = randomUUID();
      const versionId = randomUUID();
      return inputs.map((input) => ({ chunkId: randomUUID(), documentId, versionId, ...(typeof input === 'string' ? { text: input } : input) }));
    },
    async close() {
      for (const scope of created) await index.dropBuild(scope).catch(() => undefined);
    },
  };
}

function payload(scope: IndexScope, chunk: Pick<IndexedChunk, 'documentId' | 'versionId'>) {
  return { tenant_id: scope.tenantId, corpus_id: scope.corpusId, document_id: chunk.documentId, version_id: chunk.versionId };
}

async function lexicalHarness(url: string): Promise<LexicalHarness> {
  const context = qdrantContext(url);
  return {
    index: context.index,
    // Sparse values are float32 in Qdrant; avgdl is the fixed one the sparse weights assume.
    scoring: { ...DEFAULT_SPARSE_BM25, tolerance: 1e-4 },
    async newScope(options) {
      const scope = await context.newScope(options?.sameTenantAs);
      await context.index.createBuild(scope, { id: MODEL_ID, dimensions: 4 });
      return scope;
    },
    chunks: async (_scope, inputs) => context.chunks(inputs),
    async plantForeign(build, foreign, chunks) {
      await context.client.upsert(collectionName(build.buildId), {
        wait: true,
        points: chunks.map((chunk) => ({ id: chunk.chunkId, vector: { bm25: documentSparseVector(chunk.text, chunk.title) }, payload: payload(foreign, chunk) })),
      });
    },
    close: () => context.close(),
  };
}

async function vectorHarness(url: string): Promise<VectorHarness> {
  const context = qdrantContext(url);
  return {
    index: context.index,
    async newBuild(_dimensions, options) {
      return { scope: await context.newScope(options?.sameTenantAs), modelId: MODEL_ID };
    },
    chunks: async (_scope, count) => context.chunks(Array.from({ length: count }, (_, position) => `vector chunk ${position}`)),
    async plantForeign(build, foreign, _modelId, records) {
      await context.client.upsert(collectionName(build.buildId), {
        wait: true,
        points: records.map((record) => ({ id: record.chunkId, vector: { dense: record.vector }, payload: payload(foreign, record) })),
      });
    },
    close: () => context.close(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'expected an AppError').toBeInstanceOf(AppError);
  return error as AppError;
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

for (const target of targets) {
  describe(`qdrant indexes (${target.name})`, () => {
    lexicalIndexContract('QdrantIndex (sparse bm25, idf modifier)', () => lexicalHarness(target.url()));
    vectorIndexContract('QdrantIndex (dense)', () => vectorHarness(target.url()));

    describe('adapter specifics', () => {
      let context: ReturnType<typeof qdrantContext>;
      let scope: IndexScope;
      beforeAll(async () => {
        context = qdrantContext(target.url());
        scope = await context.newScope();
      });
      afterAll(async () => {
        await context?.close();
      });

      it('never creates a collection on write; createBuild makes the collection, its vectors and payload indexes', async () => {
        const chunks = context.chunks(SMALL_CORPUS);
        await expect(context.index.add(scope, chunks)).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });
        await expect(context.index.upsert(scope, MODEL_ID, [])).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });
        expect((await context.client.collectionExists(collectionName(scope.buildId))).exists).toBe(false);

        await context.index.createBuild(scope, { id: MODEL_ID, dimensions: 8 });
        await context.index.createBuild(scope, { id: MODEL_ID, dimensions: 8 }); // idempotent
        await expect(context.index.createBuild(scope, { id: 'other', dimensions: 8 })).rejects.toMatchObject({ code: 'EMBEDDING_MODEL_MISMATCH' });
        const info = await context.client.getCollection(collectionName(scope.buildId));
        expect(info.config.params.sparse_vectors?.bm25?.modifier).toBe('idf');
        expect(Object.keys(info.payload_schema ?? {}).sort()).toEqual(['corpus_id', 'document_id', 'tenant_id', 'version_id']);
      });

      it('hybridSearch fuses BM25 and dense results with RRF inside the tenant filter', async () => {
        const chunks = context.chunks(SMALL_CORPUS);
        const vectors = randomUnitVectors(chunks.length, 8, 21);
        await context.index.add(scope, chunks);
        await context.index.upsert(scope, MODEL_ID, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
        // Lexically chunk 1 (E-1234); by vector chunk 5: both legs reach the fused ranking, and only this build's chunks do.
        const hits = await context.index.hybridSearch(scope, 'E-1234 upload size limit', vectors[5]!, 4);
        expect(hits.map((hit) => hit.chunkId)).toEqual(expect.arrayContaining([chunks[1]!.chunkId, chunks[5]!.chunkId]));
        expect(hits.every((hit) => chunks.some((chunk) => chunk.chunkId === hit.chunkId))).toBe(true);
        expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((left, right) => right - left));
        const stranger = { ...scope, tenantId: randomUUID() };
        await expect(context.index.hybridSearch(stranger, 'E-1234', vectors[5]!, 2)).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });
      });

      it('two writers of the same new points (BM25 and dense leg at once) keep both named vectors', async () => {
        const own = await context.newScope();
        await context.index.createBuild(own, { id: MODEL_ID, dimensions: 8 });
        const chunks = context.chunks(SMALL_CORPUS);
        const vectors = randomUnitVectors(chunks.length, 8, 5);
        // Both writers look the points up before either writes (on the fake: for certain), as they can in production.
        if (target.url() === fake.url) fake.barrier('get_points', 2);
        await Promise.all([
          context.index.add(own, chunks),
          context.index.upsert(own, MODEL_ID, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! }))),
        ]);
        const points = await context.client.retrieve(collectionName(own.buildId), { ids: chunks.map((chunk) => chunk.chunkId), with_payload: true, with_vector: true });
        expect(points).toHaveLength(chunks.length);
        for (const point of points) {
          expect(Object.keys(point.vector as Record<string, unknown>).sort(), `vectors of ${String(point.id)}`).toEqual(['bm25', 'dense']);
          expect(point.payload).toMatchObject({ tenant_id: own.tenantId, corpus_id: own.corpusId });
        }
        // And the points answer both legs.
        expect((await context.index.search(own, 'E-1234', 1))[0]?.chunkId).toBe(chunks[1]!.chunkId);
        expect((await context.index.search(own, MODEL_ID, vectors[3]!, 1))[0]?.chunkId).toBe(chunks[3]!.chunkId);
      });

      it('re-writing one leg leaves the other leg of existing points alone', async () => {
        const own = await context.newScope();
        await context.index.createBuild(own, { id: MODEL_ID, dimensions: 8 });
        const chunks = context.chunks(SMALL_CORPUS);
        const vectors = randomUnitVectors(chunks.length, 8, 6);
        await context.index.upsert(own, MODEL_ID, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
        await context.index.add(own, chunks);
        await context.index.upsert(own, MODEL_ID, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[(position + 1) % chunks.length]! })));
        const points = await context.client.retrieve(collectionName(own.buildId), { ids: chunks.map((chunk) => chunk.chunkId), with_payload: false, with_vector: true });
        for (const point of points) expect(Object.keys(point.vector as Record<string, unknown>).sort()).toEqual(['bm25', 'dense']);
        expect((await context.index.search(own, MODEL_ID, vectors[1]!, 1))[0]?.chunkId).toBe(chunks[0]!.chunkId);
      });
    });
  });
}

describe('qdrant adapter on the wire (fake Qdrant)', () => {
  it('fuses with the configured RRF k, not Qdrant\u2019s default k = 2', async () => {
    const context = qdrantContext(fake.url, { rrfK: 60, prefetchLimit: () => 50 });
    try {
      const scope = await context.newScope();
      await context.index.createBuild(scope, { id: MODEL_ID, dimensions: 8 });
      const chunks = context.chunks(SMALL_CORPUS);
      const vectors = randomUnitVectors(chunks.length, 8, 9);
      await context.index.add(scope, chunks);
      await context.index.upsert(scope, MODEL_ID, chunks.map((chunk, position) => ({ ...chunk, vector: vectors[position]! })));
      const query = 'index rebuild upload size limit';
      const before = fake.requests.length;
      const fused = await context.index.hybridSearch(scope, query, vectors[2]!, 5);
      const sent = fake.requests.slice(before).find((request) => request.operationId === 'query_points');
      expect((sent?.body as { query?: unknown }).query).toEqual({ rrf: { k: 60 } });

      // The same two rankings, fused by hand with k = 60 (Qdrant counts positions from 0).
      const lexical = await context.index.search(scope, query, 50);
      const dense = await context.index.search(scope, MODEL_ID, vectors[2]!, 50);
      const expected = new Map<string, number>();
      for (const ranking of [lexical, dense]) ranking.forEach((hit, position) => expected.set(hit.chunkId, (expected.get(hit.chunkId) ?? 0) + 1 / (60 + position)));
      for (const hit of fused) expect(hit.score).toBeCloseTo(expected.get(hit.chunkId)!, 5);
    } finally {
      await context.close();
    }
  });

  it('repairs a collection whose payload indexes were never created (a crash between the two requests)', async () => {
    const context = qdrantContext(fake.url);
    try {
      const scope = await context.newScope();
      // What a process that died right after create_collection leaves behind.
      await context.client.api().createCollection({
        collection_name: collectionName(scope.buildId),
        vectors: { dense: { size: 8, distance: 'Cosine' } },
        sparse_vectors: { bm25: { modifier: 'idf' } },
        metadata: { tenant_id: scope.tenantId, corpus_id: scope.corpusId, embedding_model_id: MODEL_ID, dimensions: 8, analyzer_version: 'any' },
      });
      await context.index.createBuild(scope, { id: MODEL_ID, dimensions: 8 });
      const info = await context.client.getCollection(collectionName(scope.buildId));
      expect(Object.keys(info.payload_schema ?? {}).sort()).toEqual(['corpus_id', 'document_id', 'tenant_id', 'version_id']);
      expect(info.payload_schema?.tenant_id?.params).toMatchObject({ type: 'keyword', is_tenant: true });

      // Another process that only writes to such a build repairs it too.
      const other = await context.newScope();
      await context.client.api().createCollection({
        collection_name: collectionName(other.buildId),
        vectors: { dense: { size: 8, distance: 'Cosine' } },
        sparse_vectors: { bm25: { modifier: 'idf' } },
        metadata: { tenant_id: other.tenantId, corpus_id: other.corpusId, embedding_model_id: MODEL_ID, dimensions: 8, analyzer_version: 'any' },
      });
      await new QdrantIndex(clientFor(fake.url)).add(other, context.chunks(['a chunk of text']));
      expect(Object.keys((await context.client.getCollection(collectionName(other.buildId))).payload_schema ?? {})).toHaveLength(4);
    } finally {
      await context.close();
    }
  });

  it('two processes creating the same build at once both succeed, with one collection and its indexes', async () => {
    const scope = { tenantId: randomUUID(), corpusId: randomUUID(), buildId: randomUUID() };
    fake.barrier('collection_exists', 2);
    await Promise.all([new QdrantIndex(clientFor(fake.url)), new QdrantIndex(clientFor(fake.url))].map((index) => index.createBuild(scope, { id: MODEL_ID, dimensions: 8 })));
    const info = await clientFor(fake.url).getCollection(collectionName(scope.buildId));
    expect(Object.keys(info.payload_schema ?? {})).toHaveLength(4);
    await new QdrantIndex(clientFor(fake.url)).dropBuild(scope);
  });

  it('a collection without Attest metadata is a clear INDEX_UNSUPPORTED, not a parse error', async () => {
    const scope = { tenantId: randomUUID(), corpusId: randomUUID(), buildId: randomUUID() };
    const client = clientFor(fake.url);
    await client.api().createCollection({ collection_name: collectionName(scope.buildId), vectors: { dense: { size: 8, distance: 'Cosine' } } });
    const error = await rejection(new QdrantIndex(client).add(scope, [{ chunkId: randomUUID(), documentId: randomUUID(), versionId: randomUUID(), text: 'text' }]));
    expect(error.code).toBe('INDEX_UNSUPPORTED');
    expect(error.message).toMatch(/no Attest metadata/);
    await client.deleteCollection(collectionName(scope.buildId));
  });

  it('checks the server version lazily, once, and refuses a server too old for collection metadata with a clear error', async () => {
    const old = await new FakeQdrant({ version: '1.15.2' }).start();
    try {
      const index = new QdrantIndex(clientFor(old.url));
      expect(old.requests, 'constructing the adapter calls nothing').toHaveLength(0);
      const scope = { tenantId: randomUUID(), corpusId: randomUUID(), buildId: randomUUID() };
      const error = await rejection(index.createBuild(scope, { id: MODEL_ID, dimensions: 8 }));
      expect(error.code).toBe('INDEX_UNSUPPORTED');
      expect(error.status).toBe(503);
      expect(error.message).toContain('1.15.2');
      expect(error.message).toContain(MINIMUM_QDRANT_VERSION);
      expect(old.calls('create_collection'), 'nothing is written to a server that would drop or refuse it').toHaveLength(0);
      await expect(index.ping()).rejects.toMatchObject({ code: 'INDEX_UNSUPPORTED' });
    } finally {
      await old.close();
    }

    const index = new QdrantIndex(clientFor(fake.url));
    const scope = { tenantId: randomUUID(), corpusId: randomUUID(), buildId: randomUUID() };
    const before = fake.calls('root').length;
    await index.createBuild(scope, { id: MODEL_ID, dimensions: 8 });
    await index.add(scope, [{ chunkId: randomUUID(), documentId: randomUUID(), versionId: randomUUID(), text: 'some words' }]);
    await index.search(scope, 'words', 5);
    expect(fake.calls('root').length - before, 'one version check per process').toBe(1);
    await index.dropBuild(scope);
  });

  it('an unreachable Qdrant is INDEX_UNAVAILABLE (503), for requests and for ping', async () => {
    const index = new QdrantIndex(new QdrantClient({ url: `http://127.0.0.1:${await closedPort()}`, checkCompatibility: false }));
    const scope = { tenantId: randomUUID(), corpusId: randomUUID(), buildId: randomUUID() };
    const error = await rejection(index.createBuild(scope, { id: MODEL_ID, dimensions: 8 }));
    expect(error.code).toBe('INDEX_UNAVAILABLE');
    expect(error.status).toBe(503);
    await expect(index.ping()).rejects.toMatchObject({ code: 'INDEX_UNAVAILABLE' });
    await expect(index.search(scope, 'words', 5)).rejects.toMatchObject({ code: 'INDEX_UNAVAILABLE' });
  });

  it('the fake refuses what Qdrant would: a body off the spec, a wrong dimension, a missing point', async () => {
    const client = clientFor(fake.url);
    const name = collectionName(randomUUID());
    await client.api().createCollection({ collection_name: name, vectors: { dense: { size: 2, distance: 'Cosine' } } });
    const rejectionsBefore = fake.rejections.length;
    const misspelt = { points: [{ id: randomUUID(), vector: { dense: [1, 0] } }], update_mod: 'insert_only' } as unknown as Parameters<QdrantClient['upsert']>[1];
    await expect(client.upsert(name, misspelt)).rejects.toMatchObject({ status: 400 });
    expect(fake.rejections.length).toBe(rejectionsBefore + 1);
    expect(fake.rejections.at(-1)?.error).toContain('update_mod');
    fake.rejections.pop();
    // `update_mode` is `anyOf [UpdateMode, {nullable: true}]` in the file: read as plain JSON Schema that accepts anything.
    const unknownMode = { points: [{ id: randomUUID(), vector: { dense: [1, 0] } }], update_mode: 'insert_if_absent' } as unknown as Parameters<QdrantClient['upsert']>[1];
    await expect(client.upsert(name, unknownMode)).rejects.toMatchObject({ status: 400 });
    // A misspelt condition must not pass as an empty (match-everything) Filter.
    const typo = { filter: { must: [{ has_idd: [randomUUID()] }] } } as unknown as Parameters<QdrantClient['delete']>[1];
    await expect(client.delete(name, typo)).rejects.toMatchObject({ status: 400 });
    expect(fake.rejections.splice(-2).map((rejected) => rejected.request.operationId)).toEqual(['upsert_points', 'delete_points']);
    await expect(client.upsert(name, { points: [{ id: randomUUID(), vector: { dense: [1, 0, 0] } }] })).rejects.toMatchObject({ status: 400 });
    await expect(client.updateVectors(name, { points: [{ id: randomUUID(), vector: { dense: [1, 0] } }] })).rejects.toMatchObject({ status: 404 });
    await client.deleteCollection(name);
  });

  afterAll(() => {
    // Every request the adapter sent in this file conformed to Qdrant 1.19's OpenAPI spec.
    expect(fake.rejections.map((rejected) => `${rejected.request.method} ${rejected.request.path}: ${rejected.error}`)).toEqual([]);
    expect(fake.requests.filter((request) => request.operationId === undefined)).toEqual([]);
    expect(fake.requests.length).toBeGreaterThan(100);
  });
});
