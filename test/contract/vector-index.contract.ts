import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedChunk, IndexScope, VectorIndex, VectorRecord } from '../../indexes/ports';
import { AppError } from '../../src/core/errors';
import { cosine, exactNeighbours, gaussianSource, normalize, randomUnitVectors } from './vectors';

/** What the vector contract needs from an adapter's test file. */
export interface VectorHarness {
  index: VectorIndex;
  /**
   * A fresh tenant (unless `sameTenantAs`), corpus and build whose model has the
   * given dimension. The contract calls createBuild itself.
   */
  newBuild(dimensions: number, options?: { sameTenantAs?: IndexScope }): Promise<{ scope: IndexScope; modelId: string }>;
  /** `count` chunks (with their rows where the adapter needs them) in the scope's tenant and corpus. */
  chunks(scope: IndexScope, count: number): Promise<IndexedChunk[]>;
  /** Writes vectors of `foreign`'s tenant and corpus into `build`'s storage, bypassing ownership checks. */
  plantForeign?(build: IndexScope, foreign: IndexScope, modelId: string, records: readonly VectorRecord[]): Promise<void>;
  close(): Promise<void>;
}

function records(chunks: readonly IndexedChunk[], vectors: readonly number[][]): VectorRecord[] {
  return chunks.map((chunk, index) => ({ chunkId: chunk.chunkId, documentId: chunk.documentId, versionId: chunk.versionId, vector: vectors[index]! }));
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

export function vectorIndexContract(name: string, open: () => Promise<VectorHarness>): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let harness: VectorHarness;
    beforeAll(async () => {
      harness = await open();
    });
    afterAll(async () => {
      await harness?.close();
    });

    async function build(dimensions: number, count: number, seed: number, options?: { sameTenantAs?: IndexScope }) {
      const { scope, modelId } = await harness.newBuild(dimensions, options);
      await harness.index.createBuild(scope, { id: modelId, dimensions });
      const written = records(await harness.chunks(scope, count), randomUnitVectors(count, dimensions, seed));
      await harness.index.upsert(scope, modelId, written);
      return { scope, modelId, written };
    }

    it('returns the nearest vectors by cosine, scored 1 - cosine distance', async () => {
      const { scope, modelId, written } = await build(8, 40, 1);
      const target = written[7]!;
      const query = normalize(target.vector.map((value, index) => value + (index === 0 ? 0.05 : 0)));
      const hits = await harness.index.search(scope, modelId, query, 5);
      expect(hits).toHaveLength(5);
      expect(hits[0]!.chunkId).toBe(target.chunkId);
      expect(hits.map((hit) => hit.chunkId)).toEqual(exactNeighbours(written, query, 5));
      const byId = new Map(written.map((record) => [record.chunkId, record.vector]));
      for (const hit of hits) expect(hit.score).toBeCloseTo(cosine(byId.get(hit.chunkId)!, query), 5);
      // Cosine ignores magnitude.
      const scaled = await harness.index.search(scope, modelId, query.map((value) => value * 3), 5);
      expect(scaled.map((hit) => hit.chunkId)).toEqual(hits.map((hit) => hit.chunkId));
    });

    it('scores a query with zero components (as hashed text embeddings have) by exact cosine', async () => {
      // 11 dimensions, 5 of them non-zero in the query: neither count a multiple of the 4 components
      // an in-memory scan may take at a time.
      const { scope, modelId, written } = await build(11, 30, 11);
      const query = written[4]!.vector.map((value, index) => ([0, 3, 4, 7, 10].includes(index) ? value : 0));
      const hits = await harness.index.search(scope, modelId, query, 6);
      expect(hits.map((hit) => hit.chunkId)).toEqual(exactNeighbours(written, query, 6));
      const byId = new Map(written.map((record) => [record.chunkId, record.vector]));
      for (const hit of hits) expect(hit.score).toBeCloseTo(cosine(byId.get(hit.chunkId)!, query), 5);
    });

    it('rejects another model id or a wrong-length vector with EMBEDDING_MODEL_MISMATCH', async () => {
      const { scope, modelId, written } = await build(8, 3, 2);
      const vector = written[0]!.vector;
      await expectCode(harness.index.search(scope, 'some-other-model', vector, 5), 'EMBEDDING_MODEL_MISMATCH');
      await expectCode(harness.index.search(scope, modelId, [...vector, 0.1], 5), 'EMBEDDING_MODEL_MISMATCH');
      await expectCode(harness.index.search(scope, modelId, vector.slice(1), 5), 'EMBEDDING_MODEL_MISMATCH');
      await expectCode(harness.index.upsert(scope, 'some-other-model', [written[0]!]), 'EMBEDDING_MODEL_MISMATCH');
      await expectCode(harness.index.upsert(scope, modelId, [{ ...written[1]!, vector: [...vector, 1] }]), 'EMBEDDING_MODEL_MISMATCH');
      // Nothing of the rejected batch was written.
      expect((await harness.index.search(scope, modelId, vector, 10)).length).toBe(3);
    });

    it('upsert replaces a chunk vector; removeChunks removes it', async () => {
      const { scope, modelId, written } = await build(8, 20, 3);
      const moved = { ...written[4]!, vector: written[9]!.vector.map((value) => -value) };
      await harness.index.upsert(scope, modelId, [moved]);
      expect((await harness.index.search(scope, modelId, moved.vector, 1))[0]?.chunkId).toBe(moved.chunkId);
      expect((await harness.index.search(scope, modelId, written[4]!.vector, 20)).length).toBe(20);
      await harness.index.removeChunks(scope, [moved.chunkId, written[5]!.chunkId]);
      const hits = await harness.index.search(scope, modelId, moved.vector, 20);
      expect(hits).toHaveLength(18);
      expect(hits.map((hit) => hit.chunkId)).not.toContain(moved.chunkId);
    });

    it('never returns another tenant or corpus, and still fills the limit when the nearest rows are foreign', async () => {
      const mine = await build(16, 20, 4);
      const otherTenant = await build(16, 20, 4); // identical vectors, other tenant
      const otherCorpus = await build(16, 20, 4, { sameTenantAs: mine.scope });
      const allowed = new Set(mine.written.map((record) => record.chunkId));
      const query = mine.written[0]!.vector;
      if (harness.plantForeign) {
        // 400 foreign rows right around the query, inside my build's index.
        const gaussian = gaussianSource(99);
        const near = Array.from({ length: 400 }, () => normalize(query.map((value) => value + gaussian() * 0.02)));
        const planted = records(await harness.chunks(otherTenant.scope, near.length), near);
        await harness.plantForeign(mine.scope, otherTenant.scope, otherTenant.modelId, planted);
      }
      for (const probe of [query, ...otherTenant.written.slice(0, 5).map((record) => record.vector)]) {
        const hits = await harness.index.search(mine.scope, mine.modelId, probe, 10);
        expect(hits).toHaveLength(10);
        for (const hit of hits) expect(allowed.has(hit.chunkId), `leaked ${hit.chunkId}`).toBe(true);
      }
      expect((await harness.index.search(otherCorpus.scope, otherCorpus.modelId, query, 50)).every((hit) => !allowed.has(hit.chunkId))).toBe(true);
    }, 60_000);

    it('HNSW recall@10 against an exact scan is at least 0.95 (2,000 random unit vectors, 64 dimensions)', async () => {
      const { scope, modelId, written } = await build(64, 2_000, 5);
      const queries = randomUnitVectors(50, 64, 6);
      let found = 0;
      for (const query of queries) {
        const expected = new Set(exactNeighbours(written, query, 10));
        const hits = await harness.index.search(scope, modelId, query, 10);
        found += hits.filter((hit) => expected.has(hit.chunkId)).length;
      }
      const recall = found / (queries.length * 10);
      console.info(`${name}: HNSW recall@10 = ${recall.toFixed(3)}`);
      expect(recall).toBeGreaterThanOrEqual(0.95);
    }, 180_000);

    it('dropBuild removes the vectors of the build', async () => {
      const { scope, modelId, written } = await build(8, 5, 7);
      await harness.index.dropBuild(scope);
      const after = await harness.index.search(scope, modelId, written[0]!.vector, 5).then(
        (hits) => hits,
        (error: unknown) => error,
      );
      // An adapter may answer an empty result (rows gone) or BUILD_NOT_FOUND (structure gone).
      if (Array.isArray(after)) expect(after).toEqual([]);
      else expect((after as AppError).code).toBe('BUILD_NOT_FOUND');
    });
  });
}
