import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Store } from '../../src/core/db/client';
import { BLOCK_MIN_CHUNKS, PostgresBm25Index, prepareCopies, writeSlices, type CommittedSlice, type PrepareCopies } from '../../indexes/postgres/bm25-index';
import type { IndexScope } from '../../indexes/ports';
import { seedChunks, seedCorpus } from '../helpers/seed';
import { openStore } from '../../src/core/db/client';
import { memoryStore, migratedTemplate } from '../helpers/stores';

describe('writeSlices', () => {
  it('cuts a write into the fewest slices of at most `most` chunks, in order, their sizes one apart at most', () => {
    const items = Array.from({ length: 70 }, (_unused, index) => index);
    const slices = writeSlices(items, 20);
    expect(slices.map((slice) => slice.length)).toEqual([18, 18, 17, 17]);
    expect(slices.flat()).toEqual(items);
    expect(writeSlices(items, 70)).toEqual([items]);
    expect(writeSlices(items, 69).map((slice) => slice.length)).toEqual([35, 35]);
    expect(writeSlices([1, 2, 3], 0)).toEqual([[1], [2], [3]]);
    expect(writeSlices([], 10)).toEqual([]);
  });

  it('refuses a slice size that is not a positive integer (it would write nothing)', async () => {
    const store = { driver: 'pglite' } as unknown as Store;
    for (const chunksPerTransaction of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new PostgresBm25Index(store, { chunksPerTransaction })).toThrow('chunksPerTransaction must be a positive integer');
    }
  });

  it('keeps every slice of a long version at BLOCK_MIN_CHUNKS or more when `most` allows it', () => {
    for (let length = 2 * BLOCK_MIN_CHUNKS; length <= 400; length += 7) {
      const sizes = writeSlices(Array.from({ length }), 4 * BLOCK_MIN_CHUNKS).map((slice) => slice.length);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(BLOCK_MIN_CHUNKS);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * BLOCK_MIN_CHUNKS);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(length);
    }
  });
});

/** Texts over a small vocabulary, so that terms repeat across slices and df, N and avgdl all matter to the scores. */
function texts(count: number): string[] {
  const words = ['refund', 'invoice', 'password', 'reset', 'account', 'locked', 'shipping', 'delay', 'warranty', 'claim', 'export', 'report'];
  return Array.from({ length: count }, (_unused, index) =>
    Array.from({ length: 3 + (index % 5) }, (_word, at) => words[(index * 7 + at * 3) % words.length]).join(' ') + ` item${index}`,
  );
}

describe('a PGlite BM25 write in slices', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function indexed(chunksPerTransaction: number, prepare?: PrepareCopies) {
    const scope: IndexScope = await seedCorpus(store);
    const chunks = await seedChunks(store, scope, texts(70));
    const index = new PostgresBm25Index(store, { chunksPerTransaction, ...(prepare ? { prepareCopies: prepare } : {}) });
    return { scope, chunks, index };
  }

  const blocksOf = async (scope: IndexScope) =>
    (await queryRows<{ n: number }>(store.db, sql`SELECT count(DISTINCT block_id)::int AS n FROM build_chunks WHERE build_id = ${scope.buildId}::uuid`))[0]!.n;

  it('scores every query as one transaction would, with a block per slice', async () => {
    const whole = await indexed(1_000);
    const sliced = await indexed(20);
    await whole.index.add(whole.scope, whole.chunks);
    await sliced.index.add(sliced.scope, sliced.chunks);
    expect(await blocksOf(whole.scope)).toBe(1);
    expect(await blocksOf(sliced.scope)).toBe(4);
    const ordinalIn = (chunks: { chunkId: string }[]) => new Map(chunks.map((chunk, ordinal) => [chunk.chunkId, ordinal]));
    for (const query of ['refund invoice', 'password reset locked', 'item42', 'warranty claim export report delay']) {
      const byOrdinal = async (run: typeof whole) => {
        const ordinals = ordinalIn(run.chunks);
        return Object.fromEntries((await run.index.search(run.scope, query, 100)).map((hit) => [ordinals.get(hit.chunkId), hit.score.toFixed(9)]));
      };
      const expected = await byOrdinal(whole);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(await byOrdinal(sliced)).toEqual(expected);
    }
  });

  it("lets other statements run between its slices (PGlite's one connection is not held for the whole write)", async () => {
    const { scope, chunks, index } = await indexed(10);
    const seen = new Set<number>();
    let done = false;
    const writing = index.add(scope, chunks).finally(() => (done = true));
    while (!done) {
      const [row] = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM build_chunks WHERE build_id = ${scope.buildId}::uuid`);
      seen.add(row!.n);
    }
    await writing;
    // Reads that ran between slices saw part of the write: whole slices, never a slice's rows half written.
    const between = [...seen].filter((count) => count > 0 && count < chunks.length);
    expect(between.length).toBeGreaterThan(0);
    for (const count of between) expect(count % 10).toBe(0);
  });

  it('reports each committed slice with the statistics before and after it, and writes on whatever its observer does', async () => {
    const { scope, chunks, index } = await indexed(20);
    const seen: CommittedSlice[] = [];
    await index.add(scope, chunks, {
      onCommitted: (slice) => {
        seen.push(slice);
        throw new Error('observer failed');
      },
    });
    const [row] = await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM build_chunks WHERE build_id = ${scope.buildId}::uuid`);
    expect(row!.n).toBe(chunks.length);
    expect(seen.map((slice) => slice.chunkIds.length)).toEqual([18, 18, 17, 17]);
    expect(seen[0]!.before).toBeUndefined();
    for (const [position, slice] of seen.entries()) {
      if (position > 0) expect(slice.before).toEqual(seen[position - 1]!.after);
      expect(slice.after.version).toBeGreaterThan(slice.before?.version ?? 0);
      expect(slice.replaced).toBe(0);
      expect(slice.lists.offsets.at(-1)).toBe(slice.lists.chunks.length);
    }
    expect(seen.at(-1)!.after.docCount).toBe(chunks.length);
    // Written again: every slice replaces the rows it had.
    const again: CommittedSlice[] = [];
    await index.add(scope, chunks, { onCommitted: (slice) => again.push(slice) });
    expect(again.map((slice) => slice.replaced)).toEqual([18, 18, 17, 17]);
  });

  it('fails with its slice when a slice cannot be prepared, and a retry writes each chunk once', async () => {
    // PGlite on its thread: the first slice's transaction spans turns of the event loop, in which the second
    // slice's preparation fails before anything awaits it (an unhandled rejection would fail this test file).
    const threaded = await openStore({ dataDir: 'memory://', worker: true, loadDataDir: await migratedTemplate() });
    onTestFinished(() => threaded.close());
    let calls = 0;
    const failing: PrepareCopies = (scope, slice) => {
      calls += 1;
      return calls === 2 ? Promise.reject(new Error('analysis worker died')) : prepareCopies(scope, slice);
    };
    const scope: IndexScope = await seedCorpus(threaded);
    const chunks = await seedChunks(threaded, scope, texts(70));
    const index = new PostgresBm25Index(threaded, { chunksPerTransaction: 20, prepareCopies: failing });
    await expect(index.add(scope, chunks)).rejects.toThrow('analysis worker died');
    const statsOf = async () =>
      (await queryRows<{ doc_count: number }>(threaded.db, sql`SELECT doc_count::int FROM build_term_stats WHERE build_id = ${scope.buildId}::uuid`))[0]?.doc_count;
    // The first slice committed before the second's preparation was awaited.
    expect(await statsOf()).toBe(18);
    expect(calls).toBe(2);
    await index.add(scope, chunks);
    expect(await statsOf()).toBe(chunks.length);
    const [postings] = await queryRows<{ n: number }>(threaded.db, sql`SELECT count(DISTINCT chunk_id)::int AS n FROM all_postings WHERE build_id = ${scope.buildId}::uuid`);
    expect(postings!.n).toBe(chunks.length);
  });
});
