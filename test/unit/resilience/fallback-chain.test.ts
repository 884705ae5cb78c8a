/** The fallback chain over the real SDKs against the fake server: openai → anthropic → local. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { AnthropicGenerator } from '../../../src/core/providers/anthropic-generator';
import { OpenAIGenerator } from '../../../src/core/providers/openai-generator';
import { CircuitBreaker } from '../../../src/core/resilience/circuit-breaker';
import { FallbackChain, type FallbackChainOptions } from '../../../src/core/resilience/fallback-chain';
import { captureError, expectAppError } from '../../fake-providers/assertions';
import { LocalTestGenerator, SAMPLE_ANSWER, sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 };

describe('FallbackChain', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  function build(options: { breakers?: boolean; local?: boolean; chain?: FallbackChainOptions } = {}) {
    const clock = { now: 0 };
    const breaker = (name: string) =>
      new CircuitBreaker({ name, windowSize: 4, minimumCalls: 2, coolDownMs: 10_000, now: () => clock.now });
    const breakers = { openai: breaker('openai'), anthropic: breaker('anthropic') };
    const local = new LocalTestGenerator();
    const chain = new FallbackChain(
      [
        {
          generator: new OpenAIGenerator({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'gpt-4o-mini' }),
          ...(options.breakers ? { breaker: breakers.openai } : {}),
        },
        {
          generator: new AnthropicGenerator({ apiKey: 'k', baseURL: fake.url, model: 'claude-sonnet-5-5' }),
          ...(options.breakers ? { breaker: breakers.anthropic } : {}),
        },
        ...(options.local === false ? [] : [{ generator: local, degraded: true }]),
      ],
      { retry: FAST_RETRY, timeoutMs: 2_000, ...options.chain },
    );
    return { chain, clock, breakers, local };
  }

  it('answers from the primary when it is healthy', async () => {
    fake.script('openai.chat', [{ answer: SAMPLE_ANSWER }]);
    const { chain } = build();
    const { result, providerUsed, degraded } = await chain.generate(sampleRequest());
    expect([providerUsed, degraded, result.output]).toEqual(['openai', false, SAMPLE_ANSWER]);
    expect(fake.callCount('anthropic.messages')).toBe(0);
  });

  it('a retry that succeeds keeps the primary: 429 then an answer is two calls', async () => {
    fake.script('openai.chat', [{ status: 429, retryAfter: 1 }, { answer: SAMPLE_ANSWER }]);
    const { providerUsed } = await build().chain.generate(sampleRequest());
    expect(providerUsed).toBe('openai');
    expect(fake.callCount('openai.chat')).toBe(2);
  });

  it('falls back to anthropic after the primary’s retries are spent', async () => {
    fake.setDefault('openai.chat', { status: 500 });
    const events: string[] = [];
    const { chain } = build({ chain: { retry: FAST_RETRY, onFallback: ({ from, to }) => events.push(`${from}→${to}`) } });
    const { providerUsed, degraded } = await chain.generate(sampleRequest());
    expect([providerUsed, degraded]).toEqual(['anthropic', false]);
    expect(fake.callCount('openai.chat')).toBe(3);
    expect(events).toEqual(['openai→anthropic']);
  });

  it('ends at the local generator, marked degraded, when both providers fail', async () => {
    fake.setDefault('openai.chat', { status: 429, retryAfter: 1 });
    fake.setDefault('anthropic.messages', { malformed: true });
    const { chain, local } = build();
    const { providerUsed, degraded, result } = await chain.generate(sampleRequest());
    expect([providerUsed, degraded, result.provider]).toEqual(['local', true, 'local']);
    // openai: 1 + 2 retries of its 429s; anthropic: its malformed answer and one repair.
    expect([fake.callCount('openai.chat'), fake.callCount('anthropic.messages'), local.calls]).toEqual([3, 2, 1]);
  });

  it('skips open circuits without calling them, and probes again after the cool-down', async () => {
    fake.setDefault('openai.chat', { status: 500 });
    fake.setDefault('anthropic.messages', { status: 503 });
    const { chain, clock, breakers } = build({ breakers: true });
    await chain.generate(sampleRequest());
    // Each breaker opened after its 2nd failed attempt, which cut that provider's retries short.
    expect([fake.callCount('openai.chat'), fake.callCount('anthropic.messages')]).toEqual([2, 2]);
    expect(chain.providers.map((provider) => provider.state)).toEqual(['open', 'open', 'none']);

    const second = await chain.generate(sampleRequest());
    expect([second.providerUsed, second.degraded]).toEqual(['local', true]);
    expect(fake.callCount()).toBe(4);

    fake.setDefault('openai.chat', { answer: SAMPLE_ANSWER });
    clock.now += 10_000;
    expect(breakers.openai.state).toBe('half-open');
    const recovered = await chain.generate(sampleRequest());
    expect(recovered.providerUsed).toBe('openai');
    expect(fake.callCount('openai.chat')).toBe(3);
    expect(breakers.openai.state).toBe('closed');
  });

  it('an abort stops the chain: no fallback, the abort is rethrown', async () => {
    fake.setDefault('openai.chat', { stallMs: 5_000 });
    const { chain, local } = build();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await captureError(chain.generate(sampleRequest({ signal: controller.signal })));
    expect(error).not.toBeInstanceOf(AppError);
    expect([fake.callCount('anthropic.messages'), local.calls]).toEqual([0, 0]);
  });

  it('a stream stalled after its first deltas times out and falls back; the final answer is the fallback’s', async () => {
    fake.setDefault('openai.chat', { stallMs: 5_000, midStream: true });
    fake.setDefault('anthropic.messages', { answer: SAMPLE_ANSWER });
    const log: string[] = [];
    const { chain } = build({
      chain: { retry: { ...FAST_RETRY, maxRetries: 0 }, timeoutMs: 400, onFallback: ({ error }) => log.push(`fallback:${(error as AppError).code}`) },
    });
    const { result, providerUsed } = await chain.generate(sampleRequest({ onDelta: () => log.push('delta') }));
    expect(providerUsed).toBe('anthropic');
    expect(result.output).toEqual(SAMPLE_ANSWER);
    const fallbackAt = log.indexOf('fallback:PROVIDER_TIMEOUT');
    expect(fallbackAt).toBeGreaterThan(0);
    expect(log.slice(fallbackAt + 1)).toContain('delta');
  });

  it('when every generator fails, throws the last error with every attempt in details', async () => {
    fake.setDefault('openai.chat', { status: 400 });
    fake.setDefault('anthropic.messages', { status: 429, retryAfter: 1 });
    const error = await expectAppError(build({ local: false }).chain.generate(sampleRequest()), 'PROVIDER_RATE_LIMITED');
    expect(error.details?.['attempts']).toMatchObject([
      { provider: 'openai', code: 'PROVIDER_ERROR' },
      { provider: 'anthropic', code: 'PROVIDER_RATE_LIMITED' },
    ]);
    // The 400 was not retried; the 429 was, twice.
    expect([fake.callCount('openai.chat'), fake.callCount('anthropic.messages')]).toEqual([1, 3]);
  });
});
