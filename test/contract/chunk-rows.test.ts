import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/db/client';
import { ChunkRows, type ChunkRowScope } from '../../src/query/chunk-rows';
import { seedChunks, seedCorpus, type SeededCorpus } from '../helpers/seed';
import { storeTargets } from '../helpers/stores';

/** Puts the chunks in the build, as indexing does (what a preload copies). */
async function addToBuild(store: Store, corpus: SeededCorpus, chunkIds: readonly string[]): Promise<void> {
  await store.query(sql`
    INSERT INTO build_chunks (build_id, chunk_id, tenant_id, corpus_id, doc_length)
    SELECT ${corpus.buildId}::uuid, id, ${corpus.tenantId}::uuid, ${corpus.corpusId}::uuid, 10 FROM unnest(${sql.param([...chunkIds])}::uuid[]) AS u(id)`);
}

/** Chunk rows are never rewritten in the service; rewriting one here shows whether a read went to the database. */
async function rewriteText(store: Store, chunkId: string, text: string): Promise<void> {
  await store.query(sql`UPDATE chunks SET text = ${text} WHERE id = ${chunkId}::uuid`);
}

const scopeOf = (corpus: SeededCorpus, generation = 0): ChunkRowScope => ({ tenantId: corpus.tenantId, corpusId: corpus.corpusId, buildId: corpus.buildId, generation });
const options = { maxRows: 100, preloadUpTo: 100, minReloadIntervalMs: 0 };

const targets = await storeTargets('chunk rows');

describe.each(targets)('ChunkRows on $name', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('reads rows with their titles, then answers the same ids from memory', async () => {
    const corpus = await seedCorpus(store);
    const [first, second] = await seedChunks(store, corpus, ['alpha text', 'beta text'], { documentTitle: 'Guide' });
    const rows = new ChunkRows(store.db, { ...options, preloadUpTo: 0 });
    const read = await rows.read(scopeOf(corpus), [first!.chunkId, second!.chunkId]);
    expect(read.get(first!.chunkId)).toMatchObject({ text: 'alpha text', title: 'Guide', documentId: first!.documentId, ordinal: 0 });
    await rewriteText(store, first!.chunkId, 'changed');
    expect((await rows.read(scopeOf(corpus), [first!.chunkId])).get(first!.chunkId)?.text).toBe('alpha text');
    // Without a cache every read goes to the database.
    const uncached = new ChunkRows(store.db, { ...options, maxRows: 0 });
    expect((await uncached.read(scopeOf(corpus), [first!.chunkId])).get(first!.chunkId)?.text).toBe('changed');
  });

  it('copies a small build whole: ids never read before come from memory', async () => {
    const corpus = await seedCorpus(store);
    const chunks = await seedChunks(store, corpus, ['one', 'two', 'three'], { documentTitle: 'Manual' });
    await addToBuild(store, corpus, chunks.map((chunk) => chunk.chunkId));
    const rows = new ChunkRows(store.db, options);
    await rows.preload(scopeOf(corpus));
    expect(rows.size).toBe(3);
    await rewriteText(store, chunks[2]!.chunkId, 'changed');
    const read = await rows.read(scopeOf(corpus), [chunks[2]!.chunkId]);
    expect(read.get(chunks[2]!.chunkId)).toMatchObject({ text: 'three', title: 'Manual' });
  });

  it('leaves a build larger than preloadUpTo to be read on demand', async () => {
    const corpus = await seedCorpus(store);
    const chunks = await seedChunks(store, corpus, ['one', 'two', 'three']);
    await addToBuild(store, corpus, chunks.map((chunk) => chunk.chunkId));
    const rows = new ChunkRows(store.db, { ...options, preloadUpTo: 2 });
    await rows.preload(scopeOf(corpus));
    expect(rows.size).toBe(0);
    expect((await rows.read(scopeOf(corpus), [chunks[0]!.chunkId])).get(chunks[0]!.chunkId)?.text).toBe('one');
  });

  it('a first read starts the copy in the background', async () => {
    const corpus = await seedCorpus(store);
    const chunks = await seedChunks(store, corpus, ['one', 'two', 'three', 'four']);
    await addToBuild(store, corpus, chunks.map((chunk) => chunk.chunkId));
    const rows = new ChunkRows(store.db, options);
    await rows.read(scopeOf(corpus), [chunks[0]!.chunkId]);
    await expect.poll(() => rows.size).toBe(4);
  });

  it('a corpus first copied while empty is copied again once it has grown, not on every generation', async () => {
    const corpus = await seedCorpus(store);
    const rows = new ChunkRows(store.db, options);
    await rows.preload(scopeOf(corpus, 0));
    expect(rows.size).toBe(0);
    const first = await seedChunks(store, corpus, ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']);
    await addToBuild(store, corpus, first.map((chunk) => chunk.chunkId));
    await rows.preload(scopeOf(corpus, 1));
    expect(rows.size).toBe(10);
    // One more chunk is under a tenth more: left to be read on demand.
    const [eleventh] = await seedChunks(store, corpus, ['eleven']);
    await addToBuild(store, corpus, [eleventh!.chunkId]);
    await rows.preload(scopeOf(corpus, 2));
    expect(rows.size).toBe(10);
    const more = await seedChunks(store, corpus, ['twelve', 'thirteen']);
    await addToBuild(store, corpus, more.map((chunk) => chunk.chunkId));
    await rows.preload(scopeOf(corpus, 3));
    expect(rows.size).toBe(13);
  });

  it('keeps a title for one generation: the next one reads it again, without re-reading the rows', async () => {
    const corpus = await seedCorpus(store);
    const [chunk] = await seedChunks(store, corpus, ['body'], { documentTitle: 'Old title' });
    const rows = new ChunkRows(store.db, { ...options, preloadUpTo: 0 });
    expect((await rows.read(scopeOf(corpus, 1), [chunk!.chunkId])).get(chunk!.chunkId)?.title).toBe('Old title');
    await store.query(sql`UPDATE documents SET title = 'New title' WHERE id = ${chunk!.documentId}::uuid`);
    await rewriteText(store, chunk!.chunkId, 'changed');
    expect((await rows.read(scopeOf(corpus, 1), [chunk!.chunkId])).get(chunk!.chunkId)?.title).toBe('Old title');
    const next = (await rows.read(scopeOf(corpus, 2), [chunk!.chunkId])).get(chunk!.chunkId);
    expect(next).toMatchObject({ title: 'New title', text: 'body' });
  });

  it('never hands one corpus the rows of another, held or not', async () => {
    const mine = await seedCorpus(store);
    const theirs = await seedCorpus(store);
    const [secret] = await seedChunks(store, theirs, ['their secret']);
    const rows = new ChunkRows(store.db, options);
    expect((await rows.read(scopeOf(theirs), [secret!.chunkId])).has(secret!.chunkId)).toBe(true);
    expect((await rows.read(scopeOf(mine), [secret!.chunkId])).size).toBe(0);
    expect((await rows.read({ ...scopeOf(mine), corpusId: theirs.corpusId }, [secret!.chunkId])).size).toBe(0);
  });
});
