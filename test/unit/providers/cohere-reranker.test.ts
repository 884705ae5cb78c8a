import { CohereError } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CohereReranker } from '../../../src/core/providers/cohere-reranker';
import { AppError } from '../../../src/core/errors';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';
import { captureError, expectAppError } from '../../fake-providers/assertions';

const CANDIDATES = [
  { id: 'returns', text: 'Items can be returned within 30 days.' },
  { id: 'warranty', title: 'Warranty', text: 'The warranty period is two years.' },
  { id: 'shipping', text: 'Shipping takes five days.' },
];

describe('CohereReranker (real SDK against the fake server)', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const reranker = (timeoutMs?: number) =>
    new CohereReranker({ apiKey: 'test-key', baseURL: fake.url, model: 'rerank-v3.5', ...(timeoutMs ? { timeoutMs } : {}) });

  it('returns candidate ids best first, at most topK', async () => {
    const results = await reranker().rerank('how long is the warranty period', CANDIDATES, { topK: 2 });
    expect(results.map((result) => result.id)).toEqual(['warranty', 'returns']);
    expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? 1);
    expect(fake.calls[0]?.body).toEqual({
      model: 'rerank-v3.5',
      query: 'how long is the warranty period',
      documents: [CANDIDATES[0]?.text, 'Warranty\n\nThe warranty period is two years.', CANDIDATES[2]?.text],
      top_n: 2,
    });
  });

  it('makes no call without candidates', async () => {
    expect(await reranker().rerank('q', [], { topK: 5 })).toEqual([]);
    expect(fake.callCount()).toBe(0);
  });

  it('maps 429, 500, a stall and an out-of-range index to AppErrors', async () => {
    fake.script('cohere.rerank', [{ status: 429, retryAfterMs: 250 }, { status: 503 }, { stallMs: 5_000 }, { malformed: true }]);
    expect((await expectAppError(reranker().rerank('q', CANDIDATES, { topK: 3 }), 'PROVIDER_RATE_LIMITED')).retryAfterMs).toBe(250);
    expect((await expectAppError(reranker().rerank('q', CANDIDATES, { topK: 3 }), 'PROVIDER_ERROR')).isRetryable).toBe(true);
    await expectAppError(reranker(100).rerank('q', CANDIDATES, { topK: 3 }), 'PROVIDER_TIMEOUT');
    await expectAppError(reranker().rerank('q', CANDIDATES, { topK: 3 }), 'PROVIDER_BAD_OUTPUT');
  });

  it('a 400 is not retryable', async () => {
    fake.script('cohere.rerank', [{ status: 400, message: 'bad model' }]);
    const error = await expectAppError(reranker().rerank('q', CANDIDATES, { topK: 3 }), 'PROVIDER_ERROR');
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('bad model');
  });

  it('passes an abort through unchanged', async () => {
    fake.script('cohere.rerank', [{ stallMs: 5_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await captureError(reranker().rerank('q', CANDIDATES, { topK: 3, signal: controller.signal }));
    // cohere-ai surfaces an abort as a status-less CohereError; it must not become a (retryable) AppError.
    expect(error).toBeInstanceOf(CohereError);
    expect(error).not.toBeInstanceOf(AppError);
  });
});
