/**
 * Embedding batches against the strict fake, which enforces OpenAI's published
 * limits (2048 inputs, 300,000 tokens per request, 8,192 per input, cl100k) and
 * Cohere's (96 texts): a document of any size embeds, through the real SDKs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../ingestion/chunk';
import { embedWithCache } from '../../ingestion/embed';
import { normalizeDocument } from '../../ingestion/normalize';
import { parseText } from '../../ingestion/parse/text';
import type { Store } from '../../src/core/db/client';
import { CohereEmbedder } from '../../src/core/providers/cohere-embedder';
import { cl100kTokens } from '../../src/core/providers/embedding-tokens';
import { OpenAIEmbedder } from '../../src/core/providers/openai-embedder';
import { EMBEDDING_LIMITS } from '../fake-providers/openai-routes';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';
import { memoryStore } from '../helpers/stores';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The conformance check's document: SciFact abstracts up to 2.4 MB of text. */
function scifactText(limit = 2_400_000): string {
  const out: string[] = [];
  let size = 0;
  for (const line of readFileSync(resolve(process.cwd(), '../shared/datasets/scifact/corpus.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const record = JSON.parse(line) as { title: string; text: string };
    const piece = `${record.title}\n\n${record.text}\n\n`;
    out.push(piece);
    size += piece.length;
    if (size > limit) break;
  }
  return out.join('');
}

const inputsOf = (body: unknown): string[] => (body as { input: string[] }).input;

describe('embedding batches under the providers’ limits', () => {
  let fake: FakeProviders;
  let store: Store;
  beforeAll(async () => {
    fake = await startFakeProviders();
    store = await memoryStore();
  });
  afterAll(async () => {
    await store.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('embeds a 2.4 MB document through OpenAI in calls the service accepts', async () => {
    const text = scifactText();
    expect(text.length).toBeGreaterThan(2_400_000);
    const chunks = chunkDocument(normalizeDocument(parseText(new TextEncoder().encode(text))));
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-test', baseURL: fake.openaiBaseURL, model: 'text-embedding-3-small', dimensions: 64, timeoutMs: 60_000 });
    const vectors = await embedWithCache(store.db, embedder, chunks);
    expect(vectors).toHaveLength(chunks.length);
    const calls = fake.calls.filter((call) => call.route === 'openai.embeddings');
    expect(calls.filter((call) => call.rejected).map((call) => call.rejected)).toEqual([]);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      const inputs = inputsOf(call.body);
      expect(inputs.length).toBeLessThanOrEqual(EMBEDDING_LIMITS.inputs);
      expect(inputs.reduce((sum, input) => sum + cl100kTokens(input), 0)).toBeLessThanOrEqual(EMBEDDING_LIMITS.tokensPerRequest);
    }
    expect(new Set(calls.flatMap((call) => inputsOf(call.body))).size).toBe(new Set(chunks.map((chunk) => chunk.contentHash)).size);
  }, 180_000);

  it('splits a text over 8,192 tokens into parts, and stores one unit vector for it', async () => {
    const long = Array.from({ length: 4000 }, (_, index) => `Sentence number ${index} talks about topic ${index % 13}.`).join(' ');
    expect(cl100kTokens(long)).toBeGreaterThan(EMBEDDING_LIMITS.tokensPerInput * 3);
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-test', baseURL: fake.openaiBaseURL, model: 'text-embedding-3-small', dimensions: 64 });
    const items = [
      { contentHash: sha256('short'), text: 'short' },
      { contentHash: sha256(long), text: long },
    ];
    const [short, combined] = await embedWithCache(store.db, embedder, items);
    const sent = fake.calls.flatMap((call) => inputsOf(call.body));
    expect(fake.calls.filter((call) => call.rejected)).toEqual([]);
    expect(sent[0]).toBe('short');
    expect(sent.slice(1).join('')).toBe(long);
    for (const input of sent) expect(cl100kTokens(input)).toBeLessThanOrEqual(EMBEDDING_LIMITS.tokensPerInput);
    expect(short).toHaveLength(64);
    expect(combined).toHaveLength(64);
    expect(Math.hypot(...combined!)).toBeCloseTo(1, 5);
    // The combined vector is what the cache keeps for the whole text: a second run sends nothing.
    fake.reset();
    const cached = await embedWithCache(store.db, embedder, items);
    expect(fake.callCount()).toBe(0);
    // The cache keeps float4: equal to about seven digits.
    cached[1]!.forEach((value, index) => expect(value).toBeCloseTo(combined![index]!, 6));
  });

  it('sends Cohere at most 96 texts per call, splits over-long inputs for a 512-token model, and never lets Cohere truncate', async () => {
    const embedder = new CohereEmbedder({ apiKey: 'co-test', baseURL: fake.url, model: 'embed-english-v3.0', dimensions: 256 });
    const long = Array.from({ length: 300 }, (_, index) => `Line ${index} of a long chunk.`).join(' ');
    const items = [...Array.from({ length: 150 }, (_, index) => `text ${index}`), long].map((text) => ({ contentHash: sha256(`cohere:${text}`), text }));
    const vectors = await embedWithCache(store.db, embedder, items);
    expect(vectors).toHaveLength(151);
    const bodies = fake.calls.map((call) => call.body as { texts: string[]; truncate?: string });
    for (const body of bodies) {
      expect(body.texts.length).toBeLessThanOrEqual(96);
      expect(body.truncate).toBe('NONE');
      for (const text of body.texts) expect(cl100kTokens(text)).toBeLessThanOrEqual(512);
    }
    expect(bodies.flatMap((body) => body.texts).slice(150).join('')).toBe(long);
  });
});
