import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedChunk, IndexScope, LexicalIndex, ScoredChunk } from '../../indexes/ports';
import type { SeedChunkInput } from '../helpers/seed';
import { referenceRanking, referenceScores, type ReferenceParameters } from './bm25-reference';

export interface BuildStatistics {
  docCount: number;
  totalLength: number;
}

/** What the lexical contract needs from an adapter's test file. */
export interface LexicalHarness {
  index: LexicalIndex;
  /** The parameters the adapter scores with, and the relative tolerance its arithmetic allows. */
  scoring: ReferenceParameters & { tolerance: number };
  /** A fresh build ready for add (own tenant unless `sameTenantAs`, always its own corpus). */
  newScope(options?: { sameTenantAs?: IndexScope }): Promise<IndexScope>;
  /** Chunks (with their document rows where the adapter needs them) in the scope's tenant and corpus. */
  chunks(scope: IndexScope, inputs: readonly SeedChunkInput[]): Promise<IndexedChunk[]>;
  /**
   * Writes chunks of `foreign`'s tenant and corpus into `build`'s storage, bypassing
   * any ownership check, to prove search filters inside the query.
   */
  plantForeign?(build: IndexScope, foreign: IndexScope, chunks: readonly IndexedChunk[]): Promise<void>;
  /** Stored collection statistics next to a recount, for adapters that keep them. */
  statistics?(scope: IndexScope): Promise<{ stored: BuildStatistics; recount: BuildStatistics }>;
  close(): Promise<void>;
}

export const SMALL_CORPUS: readonly SeedChunkInput[] = [
  { title: 'Release notes', text: 'Version v2.3.1 fixes the HNSW index rebuild. The index rebuild no longer blocks writes.' },
  'Error E-1234 means the upload exceeded the size limit. Split the file and upload it again.',
  'Error E-1235 means the PDF is encrypted. Remove the password before uploading.',
  'Version v2.3.2 adds Cohere reranking and faster index builds for large corpora.',
  'Postgres stores postings for BM25 search; the postings table holds term frequencies per chunk.',
  'Vector search uses pgvector with an HNSW index and cosine distance between embeddings.',
  { title: 'Security', text: 'Tenants never see documents of other tenants. Every query filters by tenant and corpus.' },
  'Rate limits return 429 with a Retry-After header when a tenant sends too many requests.',
];

export const QUERIES = [
  'index rebuild',
  'HNSW index index',
  'tenant documents security',
  'postings BM25 term frequencies',
  'upload size limit error',
  'release notes version',
  'v2.3.1',
  'E-1234',
  'Retry-After 429',
];

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');

/** Deterministic pseudo-random texts (mulberry32) so failures reproduce. */
export function syntheticTexts(count: number, seed = 42): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const length = 5 + Math.floor(next() * 25);
    return Array.from({ length }, () => WORDS[Math.floor(next() * next() * WORDS.length)]).join(' ');
  });
}

function expectMatchesReference(actual: readonly ScoredChunk[], corpus: readonly IndexedChunk[], query: string, scoring: LexicalHarness['scoring']): void {
  const expected = referenceRanking(referenceScores(corpus, query, scoring), 100);
  expect(expected.length, `reference has hits for "${query}"`).toBeGreaterThan(0);
  expect(new Set(actual.map((hit) => hit.chunkId)), `hits for "${query}"`).toEqual(new Set(expected.map((hit) => hit.chunkId)));
  // Position by position, so the ranking is checked too (ties may swap ids, never scores).
  actual.forEach((hit, position) => {
    const reference = expected[position]!.score;
    expect(Math.abs(hit.score - reference), `score #${position} for "${query}"`).toBeLessThanOrEqual(scoring.tolerance * Math.max(1, reference));
  });
}

export function lexicalIndexContract(name: string, open: () => Promise<LexicalHarness>): void {
  describe(`LexicalIndex contract: ${name}`, () => {
    let harness: LexicalHarness;
    beforeAll(async () => {
      harness = await open();
    });
    afterAll(async () => {
      await harness?.close();
    });

    async function indexed(inputs: readonly SeedChunkInput[]): Promise<{ scope: IndexScope; chunks: IndexedChunk[] }> {
      const scope = await harness.newScope();
      const chunks = await harness.chunks(scope, inputs);
      await harness.index.add(scope, chunks);
      return { scope, chunks };
    }

    it('scores equal a reference BM25 computation, in reference order', async () => {
      const { scope, chunks } = await indexed(SMALL_CORPUS);
      for (const query of QUERIES) expectMatchesReference(await harness.index.search(scope, query, 100), chunks, query, harness.scoring);
    });

    it('ranks the most relevant chunk first and honours the limit', async () => {
      const { scope, chunks } = await indexed(SMALL_CORPUS);
      const hits = await harness.index.search(scope, 'why is the index rebuild blocking writes', 2);
      expect(hits).toHaveLength(2);
      expect(hits[0]!.chunkId).toBe(chunks[0]!.chunkId);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(await harness.index.search(scope, 'the of and', 10)).toEqual([]);
      expect(await harness.index.search(scope, 'zebra', 10)).toEqual([]);
    });

    it('matches identifiers exactly: v2.3.1 and E-1234 rank their own chunk first', async () => {
      const { scope, chunks } = await indexed(SMALL_CORPUS);
      for (const [query, owner, sibling] of [['v2.3.1', 0, 3], ['E-1234', 1, 2], ['e-1235', 2, 1]] as const) {
        const hits = await harness.index.search(scope, query, 10);
        expect(hits[0]?.chunkId, query).toBe(chunks[owner]!.chunkId);
        const siblingHit = hits.find((hit) => hit.chunkId === chunks[sibling]!.chunkId);
        // The sibling (v2.3.2, E-1235) may match on parts, never as strongly as the exact identifier.
        if (siblingHit) expect(siblingHit.score).toBeLessThan(hits[0]!.score);
      }
    });

    it('removeChunks updates df and avgdl: scores follow the remaining corpus', async () => {
      const { scope, chunks } = await indexed(SMALL_CORPUS);
      const removed = [chunks[0]!, chunks[5]!];
      await harness.index.removeChunks(scope, removed.map((chunk) => chunk.chunkId));
      const remaining = chunks.filter((chunk) => !removed.includes(chunk));
      for (const query of ['index', 'HNSW index', 'tenant documents security']) {
        const hits = await harness.index.search(scope, query, 100);
        for (const chunk of removed) expect(hits.map((hit) => hit.chunkId)).not.toContain(chunk.chunkId);
        expectMatchesReference(hits, remaining, query, harness.scoring);
      }
      await harness.index.removeChunks(scope, [removed[0]!.chunkId]); // removing twice is a no-op
      await expectStatistics(scope, remaining.length);
    });

    it('re-adding a chunk replaces it (idempotent per chunk id)', async () => {
      const { scope, chunks } = await indexed(SMALL_CORPUS);
      const before = await harness.index.search(scope, 'index rebuild', 100);
      await harness.index.add(scope, chunks);
      await harness.index.add(scope, [chunks[3]!, chunks[3]!]);
      expect(await harness.index.search(scope, 'index rebuild', 100)).toEqual(before);
      await expectStatistics(scope, chunks.length);

      const changed = { ...chunks[7]!, text: 'Rate limiting was replaced by quotas measured in tokens.' };
      await harness.index.add(scope, [changed]);
      expect((await harness.index.search(scope, 'Retry-After header', 10)).map((hit) => hit.chunkId)).not.toContain(changed.chunkId);
      expect((await harness.index.search(scope, 'quotas tokens', 10))[0]?.chunkId).toBe(changed.chunkId);
      const current = chunks.map((chunk) => (chunk.chunkId === changed.chunkId ? changed : chunk));
      expectMatchesReference(await harness.index.search(scope, 'index rebuild', 100), current, 'index rebuild', harness.scoring);
    });

    it('concurrent adds (20 at once, some re-adding the same chunks) keep statistics equal to a recount', async () => {
      const scope = await harness.newScope();
      const chunks = await harness.chunks(scope, syntheticTexts(100));
      // Batch i also re-adds the last chunk of batch i-1: concurrent writers racing on one chunk id.
      const batches = Array.from({ length: 20 }, (_, batch) => chunks.slice(Math.max(0, batch * 5 - 1), batch * 5 + 5));
      await Promise.all(batches.map((batch) => harness.index.add(scope, batch)));
      await expectStatistics(scope, chunks.length);
      for (const query of ['alpha', 'tango sierra', 'bravo bravo charlie']) {
        expectMatchesReference(await harness.index.search(scope, query, 100), chunks, query, harness.scoring);
      }
    }, 60_000);

    it('never returns chunks of another tenant or corpus, whatever the query', async () => {
      const texts = ['Refund policy: refunds within 30 days for order ORD-7788.', 'Shipping takes 5 days; express shipping takes 2.'];
      const mine = await indexed(texts);
      const otherTenant = await harness.newScope();
      const otherCorpus = await harness.newScope({ sameTenantAs: mine.scope });
      const foreign: IndexedChunk[] = [];
      for (const scope of [otherTenant, otherCorpus]) {
        const chunks = await harness.chunks(scope, [...texts, 'Refund refund refund ORD-7788 shipping express days']);
        await harness.index.add(scope, chunks);
        if (harness.plantForeign) {
          const planted = await harness.chunks(scope, [...texts, 'ORD-7788 refunds shipping policy express']);
          await harness.plantForeign(mine.scope, scope, planted);
          foreign.push(...planted);
        }
        foreign.push(...chunks);
      }
      const allowed = new Set(mine.chunks.map((chunk) => chunk.chunkId));
      for (const query of [...texts, 'ORD-7788', 'refund', 'shipping express days', 'policy', ...QUERIES]) {
        for (const hit of await harness.index.search(mine.scope, query, 50)) expect(allowed.has(hit.chunkId), `"${query}" leaked ${hit.chunkId}`).toBe(true);
      }
      expect((await harness.index.search(mine.scope, 'ORD-7788', 50)).map((hit) => hit.chunkId)).toEqual([mine.chunks[0]!.chunkId]);
      // Removing with the wrong scope touches nothing.
      await harness.index.removeChunks(otherTenant, mine.chunks.map((chunk) => chunk.chunkId));
      expect(await harness.index.search(mine.scope, 'refund', 10)).toHaveLength(1);
      expect(foreign.length).toBeGreaterThan(0);
    });

    async function expectStatistics(scope: IndexScope, documents: number): Promise<void> {
      if (!harness.statistics) return;
      const { stored, recount } = await harness.statistics(scope);
      expect(stored).toEqual(recount);
      expect(stored.docCount).toBe(documents);
    }
  });
}
