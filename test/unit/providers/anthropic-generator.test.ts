import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicGenerator } from '../../../src/core/providers/anthropic-generator';
import { SAMPLE_ANSWER, sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';
import { generatorContract } from './generator-contract';

const MODEL = 'claude-sonnet-5-5';

generatorContract({
  name: 'AnthropicGenerator',
  route: 'anthropic.messages',
  create: (fake, { timeoutMs }) =>
    new AnthropicGenerator({ apiKey: 'test-key', baseURL: fake.url, model: MODEL, ...(timeoutMs ? { timeoutMs } : {}) }),
});

describe('AnthropicGenerator: request and usage', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const generator = () => new AnthropicGenerator({ apiKey: 'test-key', baseURL: fake.url, model: MODEL });

  it('forces the answer tool and sends the system prompt as a cacheable text block', async () => {
    await generator().generate(sampleRequest());
    const body = fake.calls[0]?.body;
    expect(body).toMatchObject({
      max_tokens: 512,
      tool_choice: { type: 'tool', name: 'answer' },
      tools: [{ name: 'answer', input_schema: { type: 'object', required: ['refused', 'refusalReason', 'sentences'] } }],
      system: [{ type: 'text', text: expect.any(String), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: expect.stringContaining('Question:') }] }],
    });
  });

  it('leaves cache_control off a system message that is not cacheable', async () => {
    const request = sampleRequest();
    const messages = request.messages.map((message) => ({ ...message, cacheable: false }));
    const result = await generator().generate({ ...request, messages });
    expect(fake.calls[0]?.body).toMatchObject({ system: [{ type: 'text' }] });
    expect(JSON.stringify(fake.calls[0]?.body)).not.toContain('cache_control');
    expect(result.usage.cachedTokens).toBe(0);
  });

  it('reports cache reads as cached tokens, included in input tokens, streamed or not', async () => {
    fake.script('anthropic.messages', [{ answer: SAMPLE_ANSWER, cachedTokens: 20 }, { answer: SAMPLE_ANSWER, cachedTokens: 20 }]);
    const plain = await generator().generate(sampleRequest());
    const streamed = await generator().generate(sampleRequest({ onDelta: () => undefined }));
    expect(plain.usage.cachedTokens).toBe(20);
    expect(plain.usage.inputTokens).toBeGreaterThan(20);
    expect(streamed.usage).toEqual(plain.usage);
    expect(fake.calls[1]?.body).toMatchObject({ stream: true });
  });
});
