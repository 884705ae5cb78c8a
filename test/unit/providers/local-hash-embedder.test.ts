import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { LocalHashEmbedder } from '../../../src/core/providers/local-hash-embedder';

function cosine(left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  for (let index = 0; index < left.length; index++) dot += (left[index] ?? 0) * (right[index] ?? 0);
  return dot;
}

function norm(vector: readonly number[]): number {
  return Math.sqrt(cosine(vector, vector));
}

describe('LocalHashEmbedder', () => {
  it('states its capabilities and a fingerprint that names dimensions and parameters', () => {
    const embedder = new LocalHashEmbedder();
    expect(embedder.provider).toBe('local');
    expect(embedder.modelId).toBe('local-hash');
    expect(embedder.dimensions).toBe(384);
    expect(embedder.maxEmbeddingsPerCall).toBe(256);
    expect(embedder.fingerprint).toMatch(/^local:local-hash:384:[0-9a-f]{8}$/);
    expect(new LocalHashEmbedder().fingerprint).toBe(embedder.fingerprint);
    expect(new LocalHashEmbedder({ dimensions: 128 }).fingerprint).toMatch(/^local:local-hash:128:/);
    expect(new LocalHashEmbedder({ seed: 'other' }).fingerprint).not.toBe(embedder.fingerprint);
  });

  it('gives the vectors it gave before, bit for bit, whatever it embedded in between (stored vectors carry its fingerprint)', () => {
    const texts = [
      'The mutation rate of the mutated gene was measured in mutant mice, and the mutation was confirmed.',
      'Free culture: how big media uses technology and the law to lock down culture and control creativity.',
      'naïve café résumé — Straße, ÆØÅ; 東京都の人口は約1400万人です。 데이터베이스',
      'a a a a a a b b c',
      'x',
      '',
      'the of and to in',
    ];
    const digest = (embedder: LocalHashEmbedder, order: readonly string[]) => {
      const hash = createHash('sha256');
      for (const text of order) {
        for (const inputType of ['document', 'query'] as const) {
          const vector = embedder.embedOne(text, inputType);
          hash.update(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
        }
      }
      return hash.digest('hex');
    };
    // Computed by the Map-based version before the per-term feature cache (a1be4f7).
    const before = '677a306215cf5aab5a87da5fa4f67836b9a92338739347b378c1559f30c5a490';
    expect(digest(new LocalHashEmbedder({ dimensions: 64 }), texts)).toBe(before);
    // Warm caches (terms seen in other texts first) change nothing.
    const warmed = new LocalHashEmbedder({ dimensions: 64 });
    digest(warmed, [...texts].reverse());
    expect(digest(warmed, texts)).toBe(before);
  });

  it('keeps the features of document terms for later texts, but not of a question\'s own terms', () => {
    const embedder = new LocalHashEmbedder({ dimensions: 64 });
    embedder.embedOne('warranty claims for the router', 'document');
    const kept = embedder.cachedTerms;
    expect(kept).toBeGreaterThan(0);
    const asQuery = embedder.embedOne('order zx-99812 warranty', 'query');
    expect(embedder.cachedTerms).toBe(kept);
    // Kept or not, the vector is the same.
    expect(new LocalHashEmbedder({ dimensions: 64 }).embedOne('order zx-99812 warranty', 'document')).toEqual(asQuery);
  });

  it('returns unit vectors of the stated dimension, in order, deterministically', async () => {
    const embedder = new LocalHashEmbedder({ dimensions: 64 });
    const texts = ['alpha release notes', 'beta warranty terms', 'gamma shipping times'];
    const first = await embedder.embed(texts, { inputType: 'document' });
    const reversed = await new LocalHashEmbedder({ dimensions: 64 }).embed([...texts].reverse(), { inputType: 'query' });
    expect(first).toHaveLength(3);
    for (const vector of first) {
      expect(vector).toHaveLength(64);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(reversed).toEqual([...first].reverse());
    expect(first[0]).not.toEqual(first[1]);
  });

  it('scores lexical overlap: shared stems and spelling fragments, not meaning', async () => {
    const embedder = new LocalHashEmbedder();
    const [query, inflected, unrelated, synonym] = await embedder.embed(
      ['mutations in the tumour suppressor gene', 'a mutated tumour suppressor', 'quarterly revenue grew in Europe', 'alterations of an anti-oncogene'],
      { inputType: 'document' },
    );
    const similarity = (vector: number[] | undefined) => cosine(query ?? [], vector ?? []);
    expect(similarity(inflected)).toBeGreaterThan(0.4);
    expect(similarity(unrelated)).toBeLessThan(0.15);
    // Honest limit: a paraphrase with no shared words is not recognised.
    expect(similarity(synonym)).toBeLessThan(similarity(inflected) / 2);
  });

  it('gives unrelated spaces for different seeds', async () => {
    const [seeded] = await new LocalHashEmbedder({ seed: 'a' }).embed(['warranty period'], { inputType: 'query' });
    const [other] = await new LocalHashEmbedder({ seed: 'b' }).embed(['warranty period'], { inputType: 'query' });
    expect(Math.abs(cosine(seeded ?? [], other ?? []))).toBeLessThan(0.5);
  });

  it('embeds stopword-only text to a non-zero vector and empty text to zeros', async () => {
    const [stopwords, empty] = await new LocalHashEmbedder().embed(['to be or not to be', '   '], { inputType: 'query' });
    expect(norm(stopwords ?? [])).toBeCloseTo(1, 5);
    expect(empty?.every((value) => value === 0)).toBe(true);
  });

  it('refuses more than maxEmbeddingsPerCall texts, and honours an aborted signal', async () => {
    const embedder = new LocalHashEmbedder();
    expect(await embedder.embed([], { inputType: 'document' })).toEqual([]);
    const tooMany = Array.from({ length: 257 }, (_, index) => `text ${index}`);
    const error = await embedder.embed(tooMany, { inputType: 'document' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_REQUEST');
    await expect(embedder.embed(['a'], { inputType: 'document', signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('is fast enough for bulk ingestion', () => {
    const embedder = new LocalHashEmbedder();
    const chunk = 'The warranty covers manufacturing defects in SKU_99-A for 24 months from the date of purchase. ';
    const started = performance.now();
    for (let index = 0; index < 2_000; index++) embedder.embedOne(`${chunk} item ${index}`);
    // ~0.1 s on the 2-core dev box; the bound only catches an accidental O(n²) or crypto hash.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
