import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { chunks } from '../../src/core/db/schema';
import { storeUpload } from '../../ingestion/documents';
import { saveChunks } from '../../ingestion/pipeline';
import type { ChunkDraft } from '../../ingestion/chunk';
import { getCorpus } from '../../src/core/corpora';
import { seedCorpus } from '../helpers/seed';
import { storeTargets } from '../helpers/stores';

const targets = await storeTargets('chunk rows');

function draft(ordinal: number, overrides: Partial<ChunkDraft> = {}): ChunkDraft {
  const text = `Chunk ${ordinal}: naïve café — “quoted”, \\ backslash, {braces}, 東京 ${'x'.repeat(ordinal * 700)}`;
  return {
    ordinal,
    text,
    start: ordinal * 100,
    end: ordinal * 100 + text.length,
    pageStart: ordinal === 1 ? null : ordinal,
    pageEnd: ordinal === 1 ? null : ordinal + 1,
    headingPath: ordinal === 0 ? [] : ['Guide', `Part "${ordinal}", {a,b} \\ Ünï`],
    tokenCount: 10 + ordinal,
    contentHash: `hash-${ordinal}`,
    ...overrides,
  };
}

describe.each(targets)('chunk rows on $name', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function freshVersion() {
    const { tenantId, corpusId } = await seedCorpus(store);
    const [row] = await store.query<{ name: string }>(sql`SELECT name FROM corpora WHERE id = ${corpusId}::uuid`);
    const corpus = await getCorpus(store.db, tenantId, row!.name);
    const stored = await storeUpload(store.db, { corpus, bytes: new TextEncoder().encode(`text ${Math.random()}`), mime: 'text/plain', fileName: 'a.txt' }, store.driver);
    return stored.version;
  }

  const stored = (versionId: string) => store.db.select().from(chunks).where(eq(chunks.versionId, versionId)).orderBy(asc(chunks.ordinal));

  it('are stored exactly as returned (empty and quoted heading paths, null pages, long text), and a retry keeps their ids', async () => {
    const version = await freshVersion();
    const drafts = [draft(0), draft(1), draft(2), draft(3)];
    const first = await saveChunks(store.db, version, 'chunker-a', drafts, store.driver);
    expect(first.map((row) => row.ordinal)).toEqual([0, 1, 2, 3]);
    expect(await stored(version.id)).toEqual(first);
    expect(first[0]!.headingPath).toEqual([]);
    expect(first[1]!.pageStart).toBeNull();

    // A retry with a changed chunk and one fewer: same ids, new content, the stray gone.
    const retried = await saveChunks(store.db, version, 'chunker-a', [draft(0), draft(1, { text: 'changed', contentHash: 'h1b' }), draft(2)], store.driver);
    expect(retried.map((row) => row.id)).toEqual(first.slice(0, 3).map((row) => row.id));
    const after = await stored(version.id);
    expect(after).toEqual(retried);
    expect(after[1]!.text).toBe('changed');

    // Another chunker's rows are a first write of their own.
    const other = await saveChunks(store.db, version, 'chunker-b', [draft(0)], store.driver);
    expect(other[0]!.id).not.toBe(first[0]!.id);
    expect(await stored(version.id)).toHaveLength(4);
  });
});
