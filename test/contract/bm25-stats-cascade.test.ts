import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Store } from '../../src/core/db/client';
import { chunks, indexBuilds } from '../../src/core/db/schema';
import { BLOCK_MIN_CHUNKS, PostgresBm25Index } from '../../indexes/postgres/bm25-index';
import { seedChunks, seedCorpus } from '../helpers/seed';
import { storeTargets } from '../helpers/stores';

const targets = await storeTargets('BM25 statistics under cascades');

describe.each(targets)('BM25 collection statistics on $name', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('stay equal to a recount when chunks vanish by cascade, not through the index', async () => {
    const scope = await seedCorpus(store);
    const index = new PostgresBm25Index(store);
    const added = await seedChunks(store, scope, ['alpha beta gamma', 'beta gamma delta epsilon', 'gamma delta', 'zeta eta theta iota kappa']);
    await index.add(scope, added);
    // A document deleted while its ingestion job is still writing: the chunk rows go by cascade.
    await store.db.delete(chunks).where(inArray(chunks.id, [added[0]!.chunkId, added[1]!.chunkId]));
    const [stats] = await queryRows<{ doc_count: number; total_length: number }>(store.db, sql`SELECT doc_count::int, total_length::int FROM build_term_stats WHERE build_id = ${scope.buildId}`);
    const [recount] = await queryRows<{ n: number; len: number }>(store.db, sql`SELECT count(*)::int AS n, coalesce(sum(doc_length), 0)::int AS len FROM build_chunks WHERE build_id = ${scope.buildId}`);
    expect(stats).toEqual({ doc_count: recount!.n, total_length: recount!.len });
    expect(recount!.n).toBe(2);
    const results = await index.search(scope, 'gamma', 10);
    expect(results.map((result) => result.chunkId)).toEqual([added[2]!.chunkId]);
  });
});

describe.each(targets)('postings follow their build_chunks rows on $name', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  const postingsOf = async (column: 'build_id' | 'chunk_id', ids: string[]) =>
    (await queryRows<{ n: number }>(store.db, sql`SELECT count(*)::int AS n FROM all_postings WHERE ${sql.raw(column)} = ANY(${sql.param(ids)}::uuid[])`))[0]!.n;

  // postings carry no foreign keys (migration 0004): the build_chunks trigger is what removes them. A long version's
  // postings are one block on PGlite (migration 0007), from which removed chunks are cut out; rows everywhere else.
  it.each([
    { shape: 'a short version', filler: 0 },
    { shape: 'a long version', filler: BLOCK_MIN_CHUNKS },
  ])('a chunk deleted by cascade, a removed chunk and a deleted build leave no postings behind: $shape', async ({ filler }) => {
    const scope = await seedCorpus(store);
    const index = new PostgresBm25Index(store);
    const texts = ['alpha beta gamma', 'beta gamma delta epsilon', 'gamma delta', 'zeta eta theta', ...Array.from({ length: filler }, (_, at) => `omega filler${at}`)];
    const added = await seedChunks(store, scope, texts);
    await index.add(scope, added);
    const ids = added.map((chunk) => chunk.chunkId);
    const [blocks] = await queryRows<{ n: number }>(store.db, sql`SELECT count(DISTINCT block_id)::int AS n FROM build_chunks WHERE build_id = ${scope.buildId}::uuid`);
    expect(blocks!.n).toBe(filler > 0 && target.name === 'pglite' ? 1 : 0);
    expect(await postingsOf('chunk_id', ids)).toBeGreaterThan(10);
    const untouched = await postingsOf('chunk_id', [ids[2]!, ids[3]!]);
    const omega = await index.search(scope, 'omega', 100);

    await store.db.delete(chunks).where(inArray(chunks.id, [ids[0]!]));
    expect(await postingsOf('chunk_id', [ids[0]!])).toBe(0);
    await index.removeChunks(scope, [ids[1]!]);
    expect(await postingsOf('chunk_id', [ids[1]!])).toBe(0);
    expect(await postingsOf('chunk_id', [ids[2]!, ids[3]!])).toBe(untouched);
    // What stays is still found: 'beta' only in the removed chunks, 'omega' in every filler chunk.
    expect(await index.search(scope, 'beta', 10)).toEqual([]);
    expect((await index.search(scope, 'omega', 100)).map((hit) => hit.chunkId).sort()).toEqual(omega.map((hit) => hit.chunkId).sort());
    expect((await index.search(scope, 'zeta', 10)).map((hit) => hit.chunkId)).toEqual([ids[3]]);

    await store.db.delete(indexBuilds).where(eq(indexBuilds.id, scope.buildId));
    expect(await postingsOf('build_id', [scope.buildId])).toBe(0);
    expect(await queryRows(store.db, sql`SELECT 1 FROM posting_blocks WHERE build_id = ${scope.buildId}::uuid`)).toHaveLength(0);
  });

  it('re-adding a chunk replaces its postings rather than adding to them', async () => {
    const scope = await seedCorpus(store);
    const index = new PostgresBm25Index(store);
    const [chunk] = await seedChunks(store, scope, ['alpha beta gamma']);
    await index.add(scope, [chunk!]);
    await index.add(scope, [{ ...chunk!, text: 'delta epsilon' }]);
    const terms = await queryRows<{ term: string }>(store.db, sql`SELECT term FROM all_postings WHERE chunk_id = ${chunk!.chunkId}::uuid ORDER BY term`);
    expect(terms.map((row) => row.term)).toEqual(['delta', 'epsilon']);
  });
});
