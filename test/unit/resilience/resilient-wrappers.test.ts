/** ResilientEmbedder / ResilientReranker over the real SDK adapters against the fake server. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CohereReranker } from '../../../src/core/providers/cohere-reranker';
import { OpenAIEmbedder } from '../../../src/core/providers/openai-embedder';
import { CircuitBreaker } from '../../../src/core/resilience/circuit-breaker';
import { ResilientEmbedder } from '../../../src/core/resilience/resilient-embedder';
import { ResilientReranker } from '../../../src/core/resilience/resilient-reranker';
import { expectAppError } from '../../fake-providers/assertions';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 };
const CANDIDATES = [
  { id: 'a', text: 'The warranty period is two years.' },
  { id: 'b', text: 'Shipping takes five days.' },
];

describe('ResilientEmbedder and ResilientReranker', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const openAIEmbedder = () =>
    new OpenAIEmbedder({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'text-embedding-3-small', dimensions: 32 });

  it('the embedder keeps the inner identity and retries a 429', async () => {
    const inner = openAIEmbedder();
    const embedder = new ResilientEmbedder(inner, { retry: FAST_RETRY });
    expect([embedder.provider, embedder.modelId, embedder.dimensions, embedder.maxEmbeddingsPerCall, embedder.fingerprint]).toEqual([
      inner.provider,
      inner.modelId,
      inner.dimensions,
      inner.maxEmbeddingsPerCall,
      inner.fingerprint,
    ]);
    fake.script('openai.embeddings', [{ status: 429, retryAfter: 1 }]);
    const vectors = await embedder.embed(['x', 'y'], { inputType: 'document' });
    expect(vectors).toHaveLength(2);
    expect(fake.callCount('openai.embeddings')).toBe(2);
  });

  it('the embedder does not retry a 400, and an open circuit makes no call', async () => {
    fake.setDefault('openai.embeddings', { status: 400 });
    const breaker = new CircuitBreaker({ name: 'openai', minimumCalls: 1, windowSize: 1, now: () => 0 });
    const embedder = new ResilientEmbedder(openAIEmbedder(), { retry: FAST_RETRY, breaker });
    await expectAppError(embedder.embed(['x'], { inputType: 'query' }), 'PROVIDER_ERROR');
    expect(fake.callCount()).toBe(1);
    fake.setDefault('openai.embeddings', { status: 502 });
    await expectAppError(embedder.embed(['x'], { inputType: 'query' }), 'PROVIDER_ERROR');
    expect(breaker.state).toBe('open');
    await expectAppError(embedder.embed(['x'], { inputType: 'query' }), 'CIRCUIT_OPEN');
    expect(fake.callCount()).toBe(2);
  });

  it('the reranker times out a response stalled mid-body, retries, then succeeds', async () => {
    fake.script('cohere.rerank', [{ stallMs: 5_000, midStream: true }]);
    const reranker = new ResilientReranker(new CohereReranker({ apiKey: 'k', baseURL: fake.url, model: 'rerank-v3.5' }), {
      retry: FAST_RETRY,
      timeoutMs: 150,
    });
    expect([reranker.provider, reranker.modelId]).toEqual(['cohere', 'rerank-v3.5']);
    const results = await reranker.rerank('warranty years', CANDIDATES, { topK: 1 });
    expect(results.map((result) => result.id)).toEqual(['a']);
    expect(fake.callCount('cohere.rerank')).toBe(2);
  });

  it('the reranker gives up after 1 + maxRetries timed-out attempts', async () => {
    fake.setDefault('cohere.rerank', { stallMs: 5_000 });
    const reranker = new ResilientReranker(new CohereReranker({ apiKey: 'k', baseURL: fake.url, model: 'rerank-v3.5' }), {
      retry: { ...FAST_RETRY, maxRetries: 1 },
      timeoutMs: 60,
    });
    await expectAppError(reranker.rerank('q', CANDIDATES, { topK: 2 }), 'PROVIDER_TIMEOUT');
    expect(fake.callCount('cohere.rerank')).toBe(2);
  });
});
