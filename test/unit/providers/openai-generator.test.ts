import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIGenerator } from '../../../src/core/providers/openai-generator';
import { SAMPLE_ANSWER, sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';
import { expectAppError } from '../../fake-providers/assertions';
import { generatorContract } from './generator-contract';

const MODEL = 'gpt-4o-mini';

generatorContract({
  name: 'OpenAIGenerator',
  route: 'openai.chat',
  create: (fake, { timeoutMs }) =>
    new OpenAIGenerator({ apiKey: 'test-key', baseURL: fake.openaiBaseURL, model: MODEL, ...(timeoutMs ? { timeoutMs } : {}) }),
});

describe('OpenAIGenerator: request and usage', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const generator = () => new OpenAIGenerator({ apiKey: 'test-key', baseURL: fake.openaiBaseURL, model: MODEL });

  it('asks for strict json_schema output with the messages in order', async () => {
    await generator().generate(sampleRequest());
    const body = fake.calls[0]?.body;
    expect(body).toMatchObject({
      model: MODEL,
      max_completion_tokens: 512,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true } },
      messages: [{ role: 'system' }, { role: 'user' }],
    });
    expect(body).not.toHaveProperty('stream');
    expect(fake.calls[0]?.headers['authorization']).toBe('Bearer test-key');
  });

  it('streams with include_usage and reports cached prompt tokens either way', async () => {
    fake.script('openai.chat', [{ answer: SAMPLE_ANSWER, cachedTokens: 32 }, { answer: SAMPLE_ANSWER, cachedTokens: 32 }]);
    const plain = await generator().generate(sampleRequest());
    const streamed = await generator().generate(sampleRequest({ onDelta: () => undefined }));
    expect(plain.usage.cachedTokens).toBe(32);
    expect(streamed.usage).toEqual(plain.usage);
    expect(fake.calls[1]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('uses a prebuilt client without its retries: one call per generate', async () => {
    const client = new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseURL, maxRetries: 5 });
    fake.script('openai.chat', () => ({ status: 500 }));
    await expectAppError(new OpenAIGenerator({ client, model: MODEL }).generate(sampleRequest()), 'PROVIDER_ERROR');
    expect(fake.callCount('openai.chat')).toBe(1);
  });
});
