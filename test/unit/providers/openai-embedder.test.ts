import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { OpenAIEmbedder } from '../../../src/core/providers/openai-embedder';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';
import { embedderContract } from './embedder-contract';

embedderContract({
  name: 'OpenAIEmbedder',
  route: 'openai.embeddings',
  dimensions: 256,
  create: (fake, { timeoutMs }) =>
    new OpenAIEmbedder({
      apiKey: 'test-key',
      baseURL: fake.openaiBaseURL,
      model: 'text-embedding-3-small',
      dimensions: 256,
      ...(timeoutMs ? { timeoutMs } : {}),
    }),
});

describe('OpenAIEmbedder: models and wire', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends dimensions, lets the SDK fetch base64, and decodes it', async () => {
    const embedder = new OpenAIEmbedder({ apiKey: 'k', baseURL: fake.openaiBaseURL, model: 'text-embedding-3-large', dimensions: 64 });
    const [vector] = await embedder.embed(['hello'], { inputType: 'query' });
    expect(fake.calls[0]?.body).toMatchObject({ model: 'text-embedding-3-large', dimensions: 64, input: ['hello'], encoding_format: 'base64' });
    expect(vector).toHaveLength(64);
    expect(Math.hypot(...(vector ?? []))).toBeCloseTo(1, 5);
    expect(embedder.fingerprint).toBe('openai:text-embedding-3-large:64');
  });

  it('defaults to the native size', () => {
    expect(new OpenAIEmbedder({ apiKey: 'k', model: 'text-embedding-3-small' }).dimensions).toBe(1536);
    expect(new OpenAIEmbedder({ apiKey: 'k', model: 'text-embedding-3-large' }).dimensions).toBe(3072);
  });

  it('rejects sizes the model cannot produce', () => {
    expect(() => new OpenAIEmbedder({ apiKey: 'k', model: 'text-embedding-3-small', dimensions: 4096 })).toThrow(AppError);
    expect(() => new OpenAIEmbedder({ apiKey: 'k', model: 'text-embedding-ada-002', dimensions: 256 })).toThrow(AppError);
    expect(() => new OpenAIEmbedder({ apiKey: 'k', model: 'some-new-model' })).toThrow(/explicit dimensions/);
  });
});
