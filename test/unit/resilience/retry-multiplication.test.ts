/**
 * Retries never multiply: 100 logical requests into a provider that always answers
 * 429 make at most 100 × (1 + 2) provider calls, counted at the fake server (so SDK
 * retries would show), and with a circuit breaker far fewer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/core/errors';
import { OpenAIGenerator } from '../../../src/core/providers/openai-generator';
import { CircuitBreaker } from '../../../src/core/resilience/circuit-breaker';
import { FallbackChain } from '../../../src/core/resilience/fallback-chain';
import { callWithPolicy, type ResiliencePolicy } from '../../../src/core/resilience/resilience-policy';
import { LocalTestGenerator, sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

const REQUESTS = 100;
const MAX_RETRIES = 2;
const MINIMUM_CALLS = 5;
/** Retry-After: 1 s is honoured but capped to keep the suite fast. */
const RETRY = { maxRetries: MAX_RETRIES, initialDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 2 };

describe('retries never multiply (provider always answers 429 + Retry-After: 1)', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.setDefault('openai.chat', { status: 429, retryAfter: 1 });
  });

  const generator = () => new OpenAIGenerator({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'gpt-4o-mini' });
  const breaker = () =>
    new CircuitBreaker({ name: 'openai', windowSize: 20, minimumCalls: MINIMUM_CALLS, coolDownMs: 60_000, now: () => 0 });
  const logicalCall = (policy: ResiliencePolicy, openai = generator()) =>
    callWithPolicy(policy, { provider: 'openai' }, (signal) => openai.generate(sampleRequest({ ...(signal ? { signal } : {}) })));

  it(`without a breaker: ${REQUESTS} concurrent requests make at most ${REQUESTS} × (1 + ${MAX_RETRIES}) calls`, async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: REQUESTS }, () => logicalCall({ retry: RETRY, timeoutMs: 5_000 })));
    expect(outcomes.every((outcome) => outcome.status === 'rejected' && isAppError(outcome.reason) && outcome.reason.code === 'PROVIDER_RATE_LIMITED')).toBe(true);
    expect(fake.callCount('openai.chat')).toBeLessThanOrEqual(REQUESTS * (1 + MAX_RETRIES));
    // Exactly the bound: no SDK retries underneath ours.
    expect(fake.callCount('openai.chat')).toBe(REQUESTS * (1 + MAX_RETRIES));
  });

  it(`with a breaker, one request at a time: exactly minimumCalls (${MINIMUM_CALLS}) calls`, async () => {
    const policy = { retry: RETRY, timeoutMs: 5_000, breaker: breaker() };
    const codes = new Set<string>();
    for (let index = 0; index < REQUESTS; index += 1) {
      await logicalCall(policy).catch((error: unknown) => isAppError(error) && codes.add(error.code));
    }
    // The window reaches minimumCalls failures on the 2nd request's 2nd attempt; every later attempt is rejected unsent.
    expect(fake.callCount('openai.chat')).toBe(MINIMUM_CALLS);
    expect(codes).toEqual(new Set(['PROVIDER_RATE_LIMITED', 'CIRCUIT_OPEN']));
    expect(policy.breaker.state).toBe('open');
  });

  it(`with a breaker, all ${REQUESTS} at once: at most ${REQUESTS} + minimumCalls − 1 calls`, async () => {
    // Calls already in flight cannot be recalled, so every first attempt may go out. A retry goes out
    // only after a failure the still-closed breaker recorded, and it opens at the minimumCalls-th one.
    const policy = { retry: RETRY, timeoutMs: 5_000, breaker: breaker() };
    await Promise.allSettled(Array.from({ length: REQUESTS }, () => logicalCall(policy)));
    expect(fake.callCount('openai.chat')).toBeLessThanOrEqual(REQUESTS + MINIMUM_CALLS - 1);
    expect(policy.breaker.state).toBe('open');
  });

  it('through the fallback chain: every request is answered by the local generator, openai sees minimumCalls calls', async () => {
    const local = new LocalTestGenerator();
    const chain = new FallbackChain([{ generator: generator(), breaker: breaker() }, { generator: local, degraded: true }], {
      retry: RETRY,
      timeoutMs: 5_000,
    });
    for (let index = 0; index < REQUESTS; index += 1) {
      const { providerUsed, degraded } = await chain.generate(sampleRequest());
      expect([providerUsed, degraded]).toEqual(['local', true]);
    }
    expect(local.calls).toBe(REQUESTS);
    expect(fake.callCount('openai.chat')).toBe(MINIMUM_CALLS);
  });
});
