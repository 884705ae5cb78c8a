/**
 * The fake OpenAI server is at least as strict as the service where strictness
 * finds bugs: bodies outside the published OpenAPI schema, embedding limits,
 * dated model ids, base64 embeddings. Raw HTTP here, so nothing in an SDK or an
 * adapter smooths over what the fake says.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIGenerator } from '../../../src/core/providers/openai-generator';
import { sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${fake.openaiBaseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };
const errorShape = { error: { message: expect.any(String), type: expect.any(String), param: expect.toBeOneOf([null, expect.any(String)]), code: expect.toBeOneOf([null, expect.any(String)]) } };

describe('request bodies are checked against the published schema', () => {
  it('accepts a conforming chat body and answers with the dated model', async () => {
    const { status, json } = await post('/chat/completions', CHAT);
    expect(status).toBe(200);
    expect(json['model']).toBe('gpt-4o-mini-2024-07-18');
  });

  it.each([
    ['an unknown argument', { ...CHAT, max_tokenz: 5 }, /^Unrecognized request argument supplied: max_tokenz/],
    ['a wrong type', { ...CHAT, max_completion_tokens: '5' }, /^Invalid value for 'max_completion_tokens'/],
    ['no messages', { model: 'gpt-4o-mini', messages: [] }, /^Invalid value for 'messages'/],
    ['an unknown role', { model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] }, /^Invalid value for 'messages\.0/],
    ['a malformed response_format', { ...CHAT, response_format: { type: 'json_schema', json_schema: { schema: {} } } }, /response_format/],
  ])('refuses %s with a 400 in OpenAI’s error shape, recorded as rejected', async (_what, body, message) => {
    const { status, json } = await post('/chat/completions', body);
    expect(status).toBe(400);
    expect(json).toMatchObject(errorShape);
    expect((json['error'] as { message: string }).message).toMatch(message);
    expect(fake.calls[0]?.rejected).toMatch(message);
  });

  it('the adapter’s own requests (structured output, streaming with usage) pass it', async () => {
    const generator = new OpenAIGenerator({ apiKey: 'sk-test', baseURL: fake.openaiBaseURL, model: 'gpt-4o-mini' });
    const plain = await generator.generate(sampleRequest());
    const streamed = await generator.generate(sampleRequest({ onDelta: () => undefined }));
    expect(fake.calls.map((call) => call.rejected)).toEqual([undefined, undefined]);
    expect([plain.model, streamed.model]).toEqual(['gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18']);
  });
});

describe('embedding limits, as OpenAI publishes them', () => {
  const words = (count: number, seed = 0) => Array.from({ length: count }, (_, index) => ` w${(index + seed) % 50}`).join('');

  it('refuses more than 2048 inputs', async () => {
    const { status, json } = await post('/embeddings', { model: 'text-embedding-3-small', input: Array.from({ length: 2049 }, () => 'x') });
    expect(status).toBe(400);
    expect(json).toMatchObject(errorShape);
  });

  it('refuses an input over 8,192 tokens', async () => {
    const { status, json } = await post('/embeddings', { model: 'text-embedding-3-small', input: ['ok', words(9000)] });
    expect(status).toBe(400);
    expect((json['error'] as { message: string }).message).toMatch(/^This model's maximum context length is 8192 tokens, however you requested \d{4,} tokens/);
  });

  it('refuses more than 300,000 tokens in one request', async () => {
    const { status, json } = await post('/embeddings', { model: 'text-embedding-3-small', input: Array.from({ length: 40 }, (_, index) => words(4000, index)) });
    expect(status).toBe(400);
    expect(json).toEqual({ error: { message: expect.stringMatching(/^Requested \d{6} tokens, max 300000 tokens per request$/), type: 'max_tokens_per_request', param: null, code: 'max_tokens_per_request' } });
  });

  it('refuses an empty input, and dimensions for a model that cannot shorten', async () => {
    expect((await post('/embeddings', { model: 'text-embedding-3-small', input: ['a', ''] })).status).toBe(400);
    const ada = await post('/embeddings', { model: 'text-embedding-ada-002', input: ['a'], dimensions: 256 });
    expect(ada.status).toBe(400);
    expect((ada.json['error'] as { message: string }).message).toBe('This model does not support specifying dimensions.');
  });

  it('answers base64 (little-endian float32) when asked, the same numbers as floats', async () => {
    const floats = await post('/embeddings', { model: 'text-embedding-3-small', input: ['same text'], dimensions: 8 });
    const base64 = await post('/embeddings', { model: 'text-embedding-3-small', input: ['same text'], dimensions: 8, encoding_format: 'base64' });
    const vector = (floats.json['data'] as { embedding: number[] }[])[0]!.embedding;
    const encoded = (base64.json['data'] as { embedding: string }[])[0]!.embedding;
    expect(typeof encoded).toBe('string');
    const bytes = Buffer.from(encoded, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).toEqual(vector);
    expect(floats.json['model']).toBe('text-embedding-3-small');
  });
});
