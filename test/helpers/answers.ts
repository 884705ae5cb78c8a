/**
 * Shared set-up for the answer API tests: a PGlite app whose generators point at
 * the fake provider server, plus small helpers over the HTTP API.
 */
import { sql } from 'drizzle-orm';
import type { AnswerBodyCitation } from '../../src/query/answer-body';
import { expect } from 'vitest';
import { loadConfig, type Config } from '../../src/core/config';
import type { Store } from '../../src/core/db/client';
import type { Providers } from '../../src/core/providers/factory';
import type { GeneratedAnswer } from '../../src/core/providers/ports';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';
import { bearer, createTestApp, type TestApp } from './app';
import { createCorpus, upload, waitForJob } from './ingestion';
import { memoryStore } from './stores';

/** Parsed JSON that tests read field by field (traces, SSE payloads). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface AnswerHarness {
  t: TestApp;
  fake: FakeProviders;
  close(): Promise<void>;
}

/** Environment that sends generation to the fake server; extra entries override it. */
export function fakeProviderEnv(fake: FakeProviders, env: Record<string, string> = {}): Record<string, string> {
  return {
    GENERATORS: 'openai',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.openaiBaseURL,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: fake.url,
    // The default (claude-sonnet-4-5) makes the SDK print a deprecation warning on every call.
    ANTHROPIC_MODEL: 'claude-haiku-4-5',
    PROVIDER_TIMEOUT_MS: '5000',
    PROVIDER_MAX_RETRIES: '2',
    // Admission limits far from anything these tests do.
    RATE_LIMIT_QUERY_PER_MINUTE: '100000',
    RATE_LIMIT_INGEST_PER_MINUTE: '100000',
    RATE_LIMIT_ADMIN_PER_MINUTE: '100000',
    TOKENS_PER_MINUTE: '100000000',
    DAILY_TOKEN_BUDGET: '1000000000',
    MAX_CONCURRENT_ANSWERS: '200',
    MAX_INFLIGHT_PROVIDER_CALLS: '200',
    MAX_INFLIGHT_ANSWERS: '200',
    ANSWER_SHED_EVENT_LOOP_UTILIZATION: '0',
    // A fixed cap: how long a test's answers take on a busy CI machine must not turn the next ones away.
    ANSWER_OVERHEAD_TARGET_MS: '0',
    ...env,
  };
}

/**
 * One PGlite store (opening one costs seconds) for several apps in a row: the
 * apps' close() leaves it open; close the shared store once at the end. Apps on
 * it share tenants, so give each its own corpus names.
 */
export async function sharedStore(): Promise<{ store: Store; close(): Promise<void> }> {
  const store = await memoryStore();
  return { store: { ...store, close: async () => undefined }, close: () => store.close() };
}

export async function startHarness(
  env: Record<string, string> = {},
  options: { store?: Store; providers?: (config: Config) => Partial<Providers> | Promise<Partial<Providers>> } = {},
): Promise<AnswerHarness> {
  const fake = await startFakeProviders();
  const store = options.store ?? (await memoryStore());
  const fullEnv = fakeProviderEnv(fake, env);
  const providers = await options.providers?.(loadConfig({ LOG_LEVEL: 'silent', ...fullEnv }));
  const t = await createTestApp({ store, env: fullEnv, ...(providers ? { providers } : {}) });
  return {
    t,
    fake,
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

export { createCorpus };

/** Uploads a text document and waits for its ingestion job. */
export async function uploadText(t: TestApp, corpus: string, name: string, text: string, key = t.adminKey): Promise<{ documentId: string; versionId: string }> {
  const answer = await upload(t, corpus, { name, bytes: text, contentType: 'text/plain' }, { title: name }, key);
  if (answer.jobId) {
    const job = await waitForJob(t, answer.jobId, { key });
    expect(job.state, JSON.stringify(job)).toBe('completed');
  }
  await t.idle();
  return { documentId: answer.documentId, versionId: answer.versionId };
}

/** The API's citation shape, from the server's own type. */
export type AnswerCitation = AnswerBodyCitation;

export interface AnswerResponse {
  answer: string;
  sentences: { text: string; citations: number[] }[];
  citations: AnswerCitation[];
  refused: boolean;
  refusalReason: string | null;
  degraded: boolean;
  cached: boolean;
  traceId: string;
  sources: { chunkId: string; documentId: string; versionId: string }[];
  usage: { provider: string; model: string; inputTokens: number; outputTokens: number; cachedTokens: number; cacheWriteTokens: number; cachedShare: number; costUsd: number };
  timings: Record<string, number>;
}

export function askRequest(t: TestApp, corpus: string, question: string, options: { key?: string; headers?: Record<string, string> } = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/corpora/${encodeURIComponent(corpus)}/answers`,
    headers: { ...bearer(options.key ?? t.adminKey), ...options.headers },
    payload: { question },
  });
}

/** POST …/answers (JSON) expecting 200. */
export async function ask(t: TestApp, corpus: string, question: string, key = t.adminKey): Promise<AnswerResponse> {
  const response = await askRequest(t, corpus, question, { key });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as AnswerResponse;
}

export async function getTrace(t: TestApp, traceId: string, key = t.adminKey): Promise<Record<string, Loose>> {
  const response = await t.app.inject({ method: 'GET', url: `/v1/traces/${traceId}`, headers: bearer(key) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Record<string, Loose>;
}

export async function normalizedText(t: TestApp, versionId: string): Promise<string> {
  const rows = await t.container.store.query<{ normalized_text: string }>(sql`select normalized_text from document_versions where id = ${versionId}`);
  const text = rows[0]?.normalized_text;
  if (typeof text !== 'string') throw new Error(`no normalized text for version ${versionId}`);
  return text;
}

/** Parses an SSE body into events in order. */
export function parseSse(body: string): { event: string; data: Loose }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return { event, data: JSON.parse(data.join('\n')) };
    });
}

export function answerOf(sentences: { text: string; source: number; quote: string }[]): GeneratedAnswer {
  return { refused: false, sentences: sentences.map(({ text, source, quote }) => ({ text, citations: [{ source, quote }] })) };
}

export const REFUSAL: GeneratedAnswer = { refused: true, refusalReason: 'The sources do not say.', sentences: [] };

/** Messages of a recorded chat-completions call (the fake server keeps the parsed body). */
export function chatMessages(call: { body: unknown }): { role: string; content: string }[] {
  const body = call.body as { messages?: { role: string; content: unknown }[] };
  return (body.messages ?? []).map((message) => ({ role: message.role, content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content) }));
}
