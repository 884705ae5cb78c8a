import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { CohereEmbedder } from '../../../src/core/providers/cohere-embedder';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';
import { embedderContract } from './embedder-contract';

embedderContract({
  name: 'CohereEmbedder',
  route: 'cohere.embed',
  dimensions: 512,
  create: (fake, { timeoutMs }) =>
    new CohereEmbedder({ apiKey: 'test-key', baseURL: fake.url, model: 'embed-v4.0', dimensions: 512, ...(timeoutMs ? { timeoutMs } : {}) }),
});

describe('CohereEmbedder: wire', () => {
  let fake: FakeProviders;
  beforeAll(async () => {
    fake = await startFakeProviders();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('maps input types to search_document / search_query and asks for float embeddings', async () => {
    const embedder = new CohereEmbedder({ apiKey: 'test-key', baseURL: fake.url, model: 'embed-v4.0' });
    await embedder.embed(['a document'], { inputType: 'document' });
    await embedder.embed(['a query'], { inputType: 'query' });
    expect(fake.calls.map((call) => call.body)).toEqual([
      { model: 'embed-v4.0', texts: ['a document'], input_type: 'search_document', embedding_types: ['float'], output_dimension: 1536, truncate: 'NONE' },
      { model: 'embed-v4.0', texts: ['a query'], input_type: 'search_query', embedding_types: ['float'], output_dimension: 1536, truncate: 'NONE' },
    ]);
    expect(fake.calls[0]?.headers['authorization']).toBe('Bearer test-key');
  });

  it('accepts only the embed-v4 output dimensions', () => {
    expect(() => new CohereEmbedder({ apiKey: 'k', model: 'embed-v4.0', dimensions: 300 })).toThrow(AppError);
  });
});
