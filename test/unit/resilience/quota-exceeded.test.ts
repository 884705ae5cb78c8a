/**
 * A provider account out of quota or credit is not a rate limit: no retry, its
 * own error code, and the circuit opens at once with a reason an operator can
 * act on. Faults produced on the wire by the fake server, through the real SDKs.
 */
import { CohereError } from 'cohere-ai';
import { RateLimitError } from 'openai';
import { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { AnthropicGenerator } from '../../../src/core/providers/anthropic-generator';
import { OpenAIEmbedder } from '../../../src/core/providers/openai-embedder';
import { OpenAIGenerator } from '../../../src/core/providers/openai-generator';
import { toProviderError } from '../../../src/core/providers/provider-errors';
import { CircuitBreaker } from '../../../src/core/resilience/circuit-breaker';
import { FallbackChain } from '../../../src/core/resilience/fallback-chain';
import { ResilientEmbedder } from '../../../src/core/resilience/resilient-embedder';
import { expectAppError } from '../../fake-providers/assertions';
import { LocalTestGenerator, sampleRequest } from '../../fake-providers/fixtures';
import { INSUFFICIENT_QUOTA } from '../../fake-providers/openai-routes';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

const FAST_RETRY = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 };

describe('billing refusals map to PROVIDER_QUOTA_EXCEEDED', () => {
  const code = (error: unknown) => {
    const mapped = toProviderError(error, { provider: 'p' }) as AppError;
    return [mapped.code, mapped.isRetryable];
  };

  it('from every SDK, while a plain 429 stays a rate limit', () => {
    const quota = new RateLimitError(429, { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' }, undefined, new Headers());
    expect(code(quota)).toEqual(['PROVIDER_QUOTA_EXCEEDED', false]);
    expect(code(new RateLimitError(429, { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' }, undefined, new Headers()))).toEqual([
      'PROVIDER_RATE_LIMITED',
      true,
    ]);
    const credit = AnthropicAPIError.generate(400, { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } }, undefined, new Headers());
    expect(code(credit)).toEqual(['PROVIDER_QUOTA_EXCEEDED', false]);
    const billing = AnthropicAPIError.generate(402, { type: 'error', error: { type: 'billing_error', message: 'payment issue' } }, undefined, new Headers());
    expect(code(billing)).toEqual(['PROVIDER_QUOTA_EXCEEDED', false]);
    expect(code(new CohereError({ statusCode: 429, body: { message: 'You are using a Trial key, which is limited to 1000 API calls / month.' } }))).toEqual(['PROVIDER_QUOTA_EXCEEDED', false]);
    expect(code(new CohereError({ statusCode: 402, body: { message: 'Payment required' } }))).toEqual(['PROVIDER_QUOTA_EXCEEDED', false]);
  });
});

describe('insufficient_quota on the wire', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('the fake answers as OpenAI does: 429 with type and code insufficient_quota', async () => {
    fake.setDefault('openai.chat', INSUFFICIENT_QUOTA);
    const response = await fetch(`${fake.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ error: { message: expect.stringMatching(/exceeded your current quota/), type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
  });

  it('a generator out of quota: one call, no retry, the circuit opens at once, and the chain moves on', async () => {
    fake.setDefault('openai.chat', INSUFFICIENT_QUOTA);
    const breaker = new CircuitBreaker({ name: 'openai', minimumCalls: 10 });
    const local = new LocalTestGenerator();
    const chain = new FallbackChain(
      [
        { generator: new OpenAIGenerator({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'gpt-4o-mini' }), breaker },
        { generator: local, degraded: true },
      ],
      { retry: FAST_RETRY },
    );
    const first = await chain.generate(sampleRequest());
    expect(first.providerUsed).toBe('local');
    expect(fake.callCount('openai.chat')).toBe(1);
    expect(breaker.state).toBe('open');
    await chain.generate(sampleRequest());
    expect(fake.callCount('openai.chat')).toBe(1);
  });

  it('an embedder out of quota fails with PROVIDER_QUOTA_EXCEEDED, then CIRCUIT_OPEN saying why', async () => {
    fake.setDefault('openai.embeddings', INSUFFICIENT_QUOTA);
    const breaker = new CircuitBreaker({ name: 'openai-embeddings' });
    const embedder = new ResilientEmbedder(new OpenAIEmbedder({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'text-embedding-3-small' }), { breaker, retry: FAST_RETRY });
    const error = await expectAppError(embedder.embed(['a'], { inputType: 'document' }), 'PROVIDER_QUOTA_EXCEEDED');
    expect(error.message).toMatch(/^openai refused the call for billing reasons .*add credit/);
    expect(error.status).toBe(503);
    expect(fake.callCount('openai.embeddings')).toBe(1);
    const open = await expectAppError(embedder.embed(['a'], { inputType: 'document' }), 'CIRCUIT_OPEN');
    expect(open.message).toMatch(/openai-embeddings circuit is open; not calling the provider: openai refused the call for billing reasons/);
    expect(fake.callCount('openai.embeddings')).toBe(1);
  });

  it('a billing_error from Anthropic on the wire is the same outcome', async () => {
    fake.setDefault('anthropic.messages', { status: 400, errorType: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' });
    const generator = new AnthropicGenerator({ apiKey: 'k', baseURL: fake.url, model: 'claude-haiku-4-5' });
    await expectAppError(generator.generate(sampleRequest()), 'PROVIDER_QUOTA_EXCEEDED');
  });
});
