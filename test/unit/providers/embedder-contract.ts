/**
 * The EmbeddingProvider contract, run from each embedding adapter's test file:
 * the real SDK against the fake provider server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmbeddingProvider } from '../../../src/core/providers/ports';
import { startFakeProviders, type FakeProviders, type RouteName } from '../../fake-providers/server';
import { expectAppError } from '../../fake-providers/assertions';

export interface EmbedderContractSetup {
  name: string;
  route: RouteName;
  dimensions: number;
  create(fake: FakeProviders, options: { timeoutMs?: number }): EmbeddingProvider;
}

export function embedderContract(setup: EmbedderContractSetup): void {
  let fake: FakeProviders;
  const embedder = (options: { timeoutMs?: number } = {}) => setup.create(fake, options);

  describe(`${setup.name}: EmbeddingProvider contract`, () => {
    beforeAll(async () => {
      fake = await startFakeProviders();
    });
    afterAll(() => fake.close());
    beforeEach(() => fake.reset());

    it('states its dimensions and fingerprint', () => {
      const provider = embedder();
      expect(provider.dimensions).toBe(setup.dimensions);
      expect(provider.fingerprint).toBe(`${provider.provider}:${provider.modelId}:${setup.dimensions}`);
      expect(provider.maxEmbeddingsPerCall).toBeGreaterThan(0);
    });

    it('returns one vector per text, in order, of the stated dimension, deterministically', async () => {
      const texts = ['alpha', 'beta', 'gamma'];
      const first = await embedder().embed(texts, { inputType: 'document' });
      const reversed = await embedder().embed([...texts].reverse(), { inputType: 'document' });
      expect(first).toHaveLength(3);
      for (const vector of first) expect(vector).toHaveLength(setup.dimensions);
      expect(reversed).toEqual([...first].reverse());
      expect(first[0]).not.toEqual(first[1]);
    });

    it('makes no call for no texts, and refuses more than maxEmbeddingsPerCall', async () => {
      const provider = embedder();
      expect(await provider.embed([], { inputType: 'query' })).toEqual([]);
      const tooMany = Array.from({ length: provider.maxEmbeddingsPerCall + 1 }, (_, index) => `t${index}`);
      await expectAppError(provider.embed(tooMany, { inputType: 'document' }), 'BAD_REQUEST');
      expect(fake.callCount(setup.route)).toBe(0);
    });

    it('maps 429 with Retry-After, 500, a stall and wrong vectors to AppErrors', async () => {
      fake.script(setup.route, [{ status: 429, retryAfter: 2 }, { status: 500 }, { stallMs: 5_000 }, { malformed: true }]);
      const rateLimited = await expectAppError(embedder().embed(['a'], { inputType: 'query' }), 'PROVIDER_RATE_LIMITED');
      expect(rateLimited.retryAfterMs).toBe(2000);
      expect((await expectAppError(embedder().embed(['a'], { inputType: 'query' }), 'PROVIDER_ERROR')).isRetryable).toBe(true);
      await expectAppError(embedder({ timeoutMs: 100 }).embed(['a'], { inputType: 'query' }), 'PROVIDER_TIMEOUT');
      await expectAppError(embedder().embed(['a'], { inputType: 'query' }), 'PROVIDER_BAD_OUTPUT');
    });
  });
}
