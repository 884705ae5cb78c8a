import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import { queryRows, type Store } from '../../src/core/db/client';
import { chunks } from '../../src/core/db/schema';
import { PostgresBm25Index } from '../../indexes/postgres/bm25-index';
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
