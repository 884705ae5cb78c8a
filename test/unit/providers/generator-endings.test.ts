/**
 * How a generation reply can end, as the services send it (the fake's `ending`
 * behaviours, shapes from the @anthropic-ai/sdk types and the OpenAI spec), and the
 * outcome each maps to: the first valid answer, a refusal with a stable reason,
 * PROVIDER_OUTPUT_TRUNCATED (not retried; the chain moves on), or a retryable
 * provider error whose streamed deltas the chain takes back.
 */
import { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import { APIError as OpenAIAPIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { AnthropicGenerator } from '../../../src/core/providers/anthropic-generator';
import { OpenAIGenerator } from '../../../src/core/providers/openai-generator';
import type { Generator } from '../../../src/core/providers/ports';
import { toProviderError } from '../../../src/core/providers/provider-errors';
import { FallbackChain } from '../../../src/core/resilience';
import { expectAppError } from '../../fake-providers/assertions';
import { LocalTestGenerator, SAMPLE_ANSWER, sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const anthropic = () => new AnthropicGenerator({ apiKey: 'k', baseURL: fake.url, model: 'claude-sonnet-4-5' });
const openai = () => new OpenAIGenerator({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'gpt-4o-mini' });
const modes = [
  { mode: 'non-streaming', streaming: false },
  { mode: 'streaming', streaming: true },
] as const;

function ask(generator: Generator, streaming: boolean, deltas: string[] = []) {
  return generator.generate(sampleRequest(streaming ? { onDelta: (text) => deltas.push(text) } : {}));
}

describe('Anthropic: one answer per reply', () => {
  it('asks for one tool use: tool_choice disables parallel tool use', async () => {
    await anthropic().generate(sampleRequest());
    expect(fake.calls[0]?.body).toMatchObject({ tool_choice: { type: 'tool', name: 'answer', disable_parallel_tool_use: true } });
  });

  for (const { mode, streaming } of modes) {
    it(`${mode}: two answer tool_use blocks are two answers, not one JSON: the first wins`, async () => {
      fake.script('anthropic.messages', [{ ending: 'two_tool_uses', answer: SAMPLE_ANSWER }]);
      const deltas: string[] = [];
      const result = await ask(anthropic(), streaming, deltas);
      expect(result.output).toEqual(SAMPLE_ANSWER);
      // Only the first block streams: the deltas are exactly one JSON answer.
      if (streaming) expect(JSON.parse(deltas.join(''))).toMatchObject({ sentences: SAMPLE_ANSWER.sentences });
    });

    it(`${mode}: a schema-invalid first block is passed over for the next valid one`, async () => {
      fake.script('anthropic.messages', [{ ending: 'first_tool_use_invalid', answer: SAMPLE_ANSWER }]);
      expect((await ask(anthropic(), streaming)).output).toEqual(SAMPLE_ANSWER);
    });

    it(`${mode}: stop_reason max_tokens is PROVIDER_OUTPUT_TRUNCATED, not retryable, even when the cut input looks valid`, async () => {
      fake.script('anthropic.messages', [{ ending: 'truncated', answer: SAMPLE_ANSWER }]);
      const error = await expectAppError(ask(anthropic(), streaming), 'PROVIDER_OUTPUT_TRUNCATED');
      expect(error.isRetryable).toBe(false);
      expect(error.details).toMatchObject({ provider: 'anthropic', stopReason: 'max_tokens' });
    });

    it(`${mode}: stop_reason refusal is the refusal provider_refusal, whatever was written before it`, async () => {
      fake.script('anthropic.messages', [{ ending: 'refusal', answer: SAMPLE_ANSWER }]);
      expect((await ask(anthropic(), streaming)).output).toEqual({ refused: true, refusalReason: 'provider_refusal', sentences: [] });
    });

    it(`${mode}: overloaded (529, or an overloaded_error event mid-stream) is a retryable PROVIDER_ERROR`, async () => {
      fake.script('anthropic.messages', [{ ending: 'overloaded_mid_stream', answer: SAMPLE_ANSWER }]);
      const deltas: string[] = [];
      const error = await expectAppError(ask(anthropic(), streaming, deltas), 'PROVIDER_ERROR');
      expect(error.isRetryable).toBe(true);
      expect(error.message).toMatch(/overloaded/i);
      if (streaming) {
        expect(deltas.length).toBeGreaterThan(0);
        expect(error.details).toMatchObject({ type: 'overloaded_error' });
      }
    });
  }
});

describe('OpenAI: finish_reason and refusal', () => {
  for (const { mode, streaming } of modes) {
    it(`${mode}: finish_reason length is PROVIDER_OUTPUT_TRUNCATED, not retryable`, async () => {
      fake.script('openai.chat', [{ ending: 'truncated', answer: SAMPLE_ANSWER }]);
      const error = await expectAppError(ask(openai(), streaming), 'PROVIDER_OUTPUT_TRUNCATED');
      expect(error.isRetryable).toBe(false);
      expect(error.details).toMatchObject({ provider: 'openai', stopReason: 'length' });
    });

    it(`${mode}: finish_reason content_filter is the refusal content_filter`, async () => {
      fake.script('openai.chat', [{ ending: 'content_filter', answer: SAMPLE_ANSWER }]);
      expect((await ask(openai(), streaming)).output).toEqual({ refused: true, refusalReason: 'content_filter', sentences: [] });
    });

    it(`${mode}: message.refusal is the refusal provider_refusal (a stable reason, not the model's words)`, async () => {
      fake.script('openai.chat', [{ ending: 'refusal' }]);
      expect((await ask(openai(), streaming)).output).toEqual({ refused: true, refusalReason: 'provider_refusal', sentences: [] });
    });

    it(`${mode}: overloaded (503, or an error object mid-stream) is a retryable PROVIDER_ERROR`, async () => {
      fake.script('openai.chat', [{ ending: 'overloaded_mid_stream', answer: SAMPLE_ANSWER }]);
      const error = await expectAppError(ask(openai(), streaming), 'PROVIDER_ERROR');
      expect(error.isRetryable).toBe(true);
    });
  }
});

describe('endings through the fallback chain', () => {
  const chainOf = (generator: Generator, local: LocalTestGenerator) =>
    new FallbackChain([{ generator }, { generator: local, degraded: true }], { retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 5_000 });

  it('a truncated answer is not asked again: one call, then the next provider', async () => {
    fake.script('anthropic.messages', [{ ending: 'truncated', answer: SAMPLE_ANSWER }]);
    const local = new LocalTestGenerator();
    const { providerUsed } = await chainOf(anthropic(), local).generate(sampleRequest());
    expect(providerUsed).toBe('local');
    expect(fake.callCount('anthropic.messages')).toBe(1);
  });

  it('overloaded mid-stream is retried; the deltas of the failed attempt are taken back first', async () => {
    fake.script('anthropic.messages', [{ ending: 'overloaded_mid_stream', answer: SAMPLE_ANSWER }, { answer: SAMPLE_ANSWER }]);
    const events: string[] = [];
    const { result, providerUsed } = await chainOf(anthropic(), new LocalTestGenerator()).generate(
      sampleRequest({ onDelta: () => events.push('delta'), onRestart: () => events.push('restart') }),
    );
    expect([providerUsed, result.output]).toEqual(['anthropic', SAMPLE_ANSWER]);
    expect(fake.callCount('anthropic.messages')).toBe(2);
    const restart = events.indexOf('restart');
    expect(restart).toBeGreaterThan(0);
    expect(events.slice(restart + 1)).toContain('delta');
  });

  it('a provider refusal is the answer: no retry, no fallback', async () => {
    fake.script('openai.chat', [{ ending: 'refusal' }]);
    const local = new LocalTestGenerator();
    const { result, providerUsed } = await chainOf(openai(), local).generate(sampleRequest());
    expect([providerUsed, result.output.refusalReason]).toEqual(['openai', 'provider_refusal']);
    expect([fake.callCount('openai.chat'), local.calls]).toEqual([1, 0]);
  });
});

describe('error events inside a stream: the type decides whether a retry can help', () => {
  const context = { provider: 'test' };
  it.each([
    ['invalid_request_error', false],
    ['request_too_large', false],
    ['authentication_error', false],
    ['overloaded_error', true],
    ['api_error', true],
  ])('anthropic %s → retryable %s', (type: string, retryable) => {
    const error = new AnthropicAPIError(undefined, { type: 'error', error: { type, message: 'x' } }, undefined, new Headers(), type as ErrorType);
    const mapped = toProviderError(error, context) as AppError;
    expect([mapped.code, mapped.isRetryable]).toEqual(['PROVIDER_ERROR', retryable]);
  });

  it('openai server_error mid-stream is retryable; invalid_request_error is not', () => {
    const server = toProviderError(new OpenAIAPIError(undefined, { type: 'server_error', message: 'x' }, undefined, new Headers()), context) as AppError;
    const invalid = toProviderError(new OpenAIAPIError(undefined, { type: 'invalid_request_error', message: 'x' }, undefined, new Headers()), context) as AppError;
    expect([server.isRetryable, invalid.isRetryable]).toEqual([true, false]);
  });
});
