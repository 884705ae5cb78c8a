/**
 * The adapters report the provider's real prompt-cache usage, against a fake that
 * caches as the services publish it: never below the model's minimum prefix, a write
 * on the first identical prefix (Anthropic) and reads only from the second on.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicGenerator } from '../../../src/core/providers/anthropic-generator';
import { OpenAIGenerator } from '../../../src/core/providers/openai-generator';
import type { GenerationRequest, Generator } from '../../../src/core/providers/ports';
import { loadPrompt } from '../../../src/query/prompts';
import { systemText } from '../../../src/query/prompts/render';
import { SAMPLE_ANSWER, sampleRequest } from '../../fake-providers/fixtures';
import { OPENAI_MIN_CACHED_TOKENS, PromptCache } from '../../fake-providers/prompt-cache';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setDefault('anthropic.messages', { answer: SAMPLE_ANSWER });
  fake.setDefault('openai.chat', { answer: SAMPLE_ANSWER });
});

const TENANT_A = '0b8f2c4e-6a1d-4e3f-9b7c-2d5e8f1a3c6b';
const TENANT_B = 'e4d3c2b1-a098-4765-8321-0fedcba98765';

/** A request whose system message is the real prompt for a tenant (the cacheable prefix of production requests). */
function realPrefixRequest(tenantId: string, question: string, streaming = false): GenerationRequest {
  const base = sampleRequest();
  return {
    ...base,
    question,
    messages: [{ role: 'system', content: systemText(loadPrompt().text, tenantId), cacheable: true }, { role: 'user', content: `<question>${question}</question>` }],
    ...(streaming ? { onDelta: () => undefined } : {}),
  };
}

async function usages(generator: Generator, requests: GenerationRequest[]) {
  const result = [];
  for (const request of requests) result.push((await generator.generate(request)).usage);
  return result;
}

describe('Anthropic prompt cache usage', () => {
  const anthropic = (model = 'claude-sonnet-4-5') => new AnthropicGenerator({ apiKey: 'k', baseURL: fake.url, model });

  it('a prefix below the minimum is never cached, however often it is sent', async () => {
    const all = await usages(anthropic(), [sampleRequest(), sampleRequest(), sampleRequest({ onDelta: () => undefined })]);
    for (const usage of all) expect(usage).toMatchObject({ cachedTokens: 0, cacheWriteTokens: 0 });
    expect(fake.calls[0]?.body).toMatchObject({ system: [{ cache_control: { type: 'ephemeral' } }] });
  });

  for (const streaming of [false, true]) {
    it(`${streaming ? 'streamed' : 'not streamed'}: the first request writes the prefix, the second reads it`, async () => {
      const [first, second] = await usages(anthropic(), [realPrefixRequest(TENANT_A, 'one?', streaming), realPrefixRequest(TENANT_A, 'two?', streaming)]);
      expect(first?.cacheWriteTokens).toBeGreaterThan(1024);
      expect(first?.cachedTokens).toBe(0);
      expect(second).toMatchObject({ cacheWriteTokens: 0, cachedTokens: first?.cacheWriteTokens });
      // inputTokens counts every prompt token: uncached, written and read.
      expect(second?.inputTokens).toBe(first?.inputTokens);
    });
  }

  it("another tenant's prefix is its own cache entry: its first request writes, it does not read", async () => {
    const [, other] = await usages(anthropic(), [realPrefixRequest(TENANT_A, 'one?'), realPrefixRequest(TENANT_B, 'one?')]);
    expect(other?.cachedTokens).toBe(0);
    expect(other?.cacheWriteTokens).toBeGreaterThan(1024);
  });

  it('Haiku 4.5 needs 4,096 tokens: the production prefix is not cached there', async () => {
    const all = await usages(anthropic('claude-haiku-4-5'), [realPrefixRequest(TENANT_A, 'one?'), realPrefixRequest(TENANT_A, 'two?')]);
    for (const usage of all) expect(usage).toMatchObject({ cachedTokens: 0, cacheWriteTokens: 0 });
  });
});

describe('OpenAI prompt cache usage', () => {
  const openai = () => new OpenAIGenerator({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'gpt-4o-mini' });

  it('a prompt below 1,024 tokens is never cached', async () => {
    const all = await usages(openai(), [sampleRequest(), sampleRequest(), sampleRequest({ onDelta: () => undefined })]);
    for (const usage of all) expect(usage.cachedTokens).toBe(0);
  });

  it('the second request with the same prefix reads it from the cache, in 128-token steps from 1,024', async () => {
    const [first, second, other] = await usages(openai(), [
      realPrefixRequest(TENANT_A, 'one?'),
      realPrefixRequest(TENANT_A, 'two?', true),
      realPrefixRequest(TENANT_B, 'one?'),
    ]);
    expect(first?.cachedTokens).toBe(0);
    expect(second?.cachedTokens).toBeGreaterThanOrEqual(1024);
    expect(((second?.cachedTokens ?? 0) - 1024) % 128).toBe(0);
    expect(other?.cachedTokens).toBe(0);
  });

  it('sends prompt_cache_key when the request names one, and only then', async () => {
    await openai().generate({ ...sampleRequest(), promptCacheKey: 'attest-0123456789abcdef0123456789abcdef' });
    await openai().generate(sampleRequest());
    expect(fake.calls[0]?.body).toMatchObject({ prompt_cache_key: 'attest-0123456789abcdef0123456789abcdef' });
    expect(fake.calls[1]?.body).not.toHaveProperty('prompt_cache_key');
  });
});

describe("the fake's OpenAI prefix arithmetic", () => {
  /** The published rule, written the slow way: the longest prefix shared with any earlier prompt, in 128-token steps from 1,024. */
  function reference(earlier: readonly string[], prompt: string): number {
    let shared = 0;
    for (const seen of earlier) {
      let index = 0;
      while (index < Math.min(seen.length, prompt.length) && seen.charCodeAt(index) === prompt.charCodeAt(index)) index += 1;
      shared = Math.max(shared, index);
    }
    const tokens = Math.floor(shared / 4);
    return tokens < OPENAI_MIN_CACHED_TOKENS ? 0 : OPENAI_MIN_CACHED_TOKENS + Math.floor((tokens - OPENAI_MIN_CACHED_TOKENS) / 128) * 128;
  }

  it('counts exactly what the rule counts: step boundaries, other models, prompts sharing with an older one', () => {
    const base = 'a'.repeat(4 * 1024 + 4 * 128 * 3 + 50);
    const change = (at: number) => `${base.slice(0, at)}b${base.slice(at + 1)}`;
    const prompts = [base, change(4 * 1024 - 1), change(4 * 1024), change(4 * 1024 + 4 * 128), change(4 * 1024 + 4 * 128 - 1), `${base}tail`, base.slice(0, 4 * 1100), base.slice(0, 4 * 1152), change(10)];
    const cache = new PromptCache();
    const got = prompts.map((prompt) => cache.openai('gpt-4o-mini', prompt));
    expect(got).toEqual(prompts.map((prompt, index) => reference(prompts.slice(0, index), prompt)));
    expect(got).toEqual([0, 0, 1024, 1152, 1024, 1408, 1024, 1152, 0]);
    expect(cache.openai('gpt-4.1', base)).toBe(0);
  });

  it('agrees with the rule on random prompts built from shared prefixes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.nat(4 * 1600), fc.constantFrom('x', 'y', 'z')), { minLength: 1, maxLength: 12 }), (shapes) => {
        const stems = ['p'.repeat(4 * 1600), `${'p'.repeat(4 * 1100)}${'q'.repeat(4 * 500)}`, 'r'.repeat(4 * 1300), 's'.repeat(900)];
        const prompts = shapes.map(([stem, cut, tail]) => `${stems[stem]!.slice(0, cut)}${tail.repeat(4 * 200)}`);
        const cache = new PromptCache();
        prompts.forEach((prompt, index) => expect(cache.openai('gpt-4o-mini', prompt)).toBe(reference(prompts.slice(0, index), prompt)));
      }),
      { numRuns: 200 },
    );
  });
});
