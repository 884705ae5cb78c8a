import { randomUUID } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedChunk, IndexScope } from '../../indexes/ports';
import { collectionName, QdrantIndex } from '../../indexes/qdrant/qdrant-index';
import { DEFAULT_SPARSE_BM25, documentSparseVector } from '../../indexes/qdrant/sparse-vector';
import type { SeedChunkInput } from '../helpers/seed';
import { lexicalIndexContract, SMALL_CORPUS, type LexicalHarness } from './lexical-index.contract';
import { vectorIndexContract, type VectorHarness } from './vector-index.contract';
import { randomUnitVectors } from './vectors';

/**
 * The shared index contracts against a real Qdrant. Qdrant does not run on the
 * development machines, so this suite runs only when QDRANT_URL is set.
 */
const QDRANT_URL = process.env.QDRANT_URL;
if (!QDRANT_URL) console.warn('SKIPPED qdrant contract: QDRANT_URL not set');

const MODEL_ID = 'contract-model';

/** A client plus the builds (collections) a harness created, dropped on close. */
function qdrantContext() {
  const client = new QdrantClient({ url: QDRANT_URL, apiKey: process.env.QDRANT_API_KEY, checkCompatibility: false });
  const index = new QdrantIndex(client);
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

async function lexicalHarness(): Promise<LexicalHarness> {
  const context = qdrantContext();
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

async function vectorHarness(): Promise<VectorHarness> {
  const context = qdrantContext();
  return {
    index: context.index,
    async newBuild(dimensions, options) {
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

describe.skipIf(!QDRANT_URL)('qdrant indexes', () => {
  lexicalIndexContract('QdrantIndex (sparse bm25, idf modifier)', lexicalHarness);
  vectorIndexContract('QdrantIndex (dense)', vectorHarness);

  describe('adapter specifics', () => {
    let context: ReturnType<typeof qdrantContext>;
    let scope: IndexScope;
    beforeAll(async () => {
      context = qdrantContext();
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
      // Lexically chunk 1 (E-1234); by vector chunk 5: both must surface in the fused top 2.
      const hits = await context.index.hybridSearch(scope, 'E-1234 upload size limit', vectors[5]!, 2);
      expect(new Set(hits.map((hit) => hit.chunkId))).toEqual(new Set([chunks[1]!.chunkId, chunks[5]!.chunkId]));
      const stranger = { ...scope, tenantId: randomUUID() };
      await expect(context.index.hybridSearch(stranger, 'E-1234', vectors[5]!, 2)).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });
    });
  });
});
