import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { multipart } from '../helpers/multipart';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';
import { memoryStore } from '../helpers/stores';

const DOC = 'The Zephyrine valve assembly must be torqued to 42 newton metres after the quarterly inspection.\n\nThe warranty period is two years from the date of purchase.';

async function upload(t: TestApp, key: string, corpus: string, name: string, content: string) {
  const body = await multipart({}, { name, content, type: 'text/plain' });
  const response = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus}/documents`, headers: { ...bearer(key), ...body.headers }, payload: body.payload });
  expect(response.statusCode).toBe(202);
  await t.idle();
  return response.json() as { documentId: string; versionId: string; jobId: string };
}

describe('production shell', () => {
  let t: TestApp;
  let fake: FakeProviders;
  const logLines: string[] = [];

  beforeAll(async () => {
    fake = await startFakeProviders();
    const store = await memoryStore();
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(String(chunk));
        callback();
      },
    });
    t = await createTestApp({
      store,
      env: {
        GENERATORS: 'openai,local',
        OPENAI_API_KEY: 'test-openai-key',
        OPENAI_BASE_URL: fake.openaiBaseURL,
        RATE_LIMIT_QUERY_PER_MINUTE: '5',
        TOKENS_PER_MINUTE: '1000000',
        METRICS_TOKEN: 'metrics-token-0123456789',
      },
      logger: { level: 'info', stream, redact: { paths: ['req.headers.authorization', '*.question'], censor: '[redacted]' } },
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it("walks every route with tenant B's key against tenant A's resources and gets 404 each time", async () => {
    const corpus = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'tenant-a-docs' } })).json();
    const uploaded = await upload(t, t.adminKey, corpus.id, 'valve.txt', DOC);
    fake.script('openai.chat', [{ answer: { refused: false, sentences: [{ text: 'The warranty period is two years.', citations: [{ source: 1, quote: 'The warranty period is two years' }] }] } }]);
    const answer = (await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/answers`, headers: bearer(t.adminKey), payload: { question: 'How long is the warranty?' } })).json();
    expect(answer.refused).toBe(false);
    const canary = (await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/canaries`, headers: bearer(t.adminKey), payload: { query: 'valve torque', expect: { documentId: uploaded.documentId } } })).json();
    const chunkId = answer.citations[0].chunkId as string;
    const build = corpus.activeBuildId as string;

    const other = await t.keyFor('tenant-b', ['admin', 'ingest', 'query']);
    // Tenant B has a corpus of the same name: names resolve within the caller's tenant only.
    await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(other), payload: { name: 'tenant-a-docs-b' } });
    const probes: { method: 'GET' | 'POST' | 'DELETE' | 'PATCH'; url: string; payload?: Record<string, unknown> }[] = [
      { method: 'GET', url: `/v1/corpora/${corpus.id}` },
      { method: 'GET', url: `/v1/corpora/tenant-a-docs` },
      { method: 'GET', url: `/v1/corpora/${corpus.id}/documents` },
      { method: 'GET', url: `/v1/documents/${uploaded.documentId}` },
      { method: 'DELETE', url: `/v1/documents/${uploaded.documentId}` },
      { method: 'GET', url: `/v1/jobs/${uploaded.jobId}` },
      { method: 'POST', url: `/v1/corpora/${corpus.id}/search`, payload: { query: 'valve', k: 3 } },
      { method: 'POST', url: `/v1/corpora/${corpus.id}/answers`, payload: { question: 'How long is the warranty?' } },
      { method: 'GET', url: `/v1/traces/${answer.traceId}` },
      { method: 'POST', url: '/v1/feedback', payload: { traceId: answer.traceId, rating: 'up' } },
      { method: 'GET', url: `/v1/chunks/${chunkId}` },
      { method: 'GET', url: `/v1/versions/${uploaded.versionId}/text` },
      { method: 'GET', url: `/v1/corpora/${corpus.id}/canaries` },
      { method: 'POST', url: `/v1/corpora/${corpus.id}/canaries`, payload: { query: 'x', expect: { chunkContains: 'x' } } },
      { method: 'DELETE', url: `/v1/corpora/${corpus.id}/canaries/${canary.id}` },
      { method: 'POST', url: `/v1/corpora/${corpus.id}/canaries/run` },
      { method: 'GET', url: `/v1/corpora/${corpus.id}/canary-runs` },
      { method: 'GET', url: `/v1/corpora/${corpus.id}/alerts` },
      { method: 'GET', url: `/v1/corpora/${corpus.id}/builds` },
      { method: 'GET', url: `/v1/builds/${build}` },
      { method: 'POST', url: `/v1/builds/${build}/promote?force=true` },
    ];
    for (const probe of probes) {
      const response = await t.app.inject({ method: probe.method, url: probe.url, headers: bearer(other), ...(probe.payload ? { payload: probe.payload } : {}) });
      expect({ probe: `${probe.method} ${probe.url}`, status: response.statusCode }).toEqual({ probe: `${probe.method} ${probe.url}`, status: 404 });
    }
    // Nothing of A's changed under B's attempts.
    const still = await t.app.inject({ method: 'GET', url: `/v1/documents/${uploaded.documentId}`, headers: bearer(t.adminKey) });
    expect(still.statusCode).toBe(200);
  });

  it("never serves tenant A's cached answer to tenant B", async () => {
    const other = await t.keyFor('tenant-c', ['admin', 'ingest', 'query']);
    const mine = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'cache-a' } })).json();
    const theirs = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(other), payload: { name: 'cache-a' } })).json();
    await upload(t, t.adminKey, mine.id, 'a.txt', DOC);
    await upload(t, other, theirs.id, 'a.txt', DOC);
    const question = { question: 'What torque does the Zephyrine valve need?' };
    fake.setDefault('openai.chat', { answer: { refused: false, sentences: [{ text: 'It needs 42 newton metres.', citations: [{ source: 1, quote: 'torqued to 42 newton metres' }] }] } });
    const first = (await t.app.inject({ method: 'POST', url: `/v1/corpora/${mine.id}/answers`, headers: bearer(t.adminKey), payload: question })).json();
    const again = (await t.app.inject({ method: 'POST', url: `/v1/corpora/${mine.id}/answers`, headers: bearer(t.adminKey), payload: question })).json();
    const otherTenant = (await t.app.inject({ method: 'POST', url: `/v1/corpora/${theirs.id}/answers`, headers: bearer(other), payload: question })).json();
    expect(first.cached).toBe(false);
    expect(again.cached).toBe(true);
    expect(otherTenant.cached).toBe(false);
    expect(otherTenant.citations[0].documentId).not.toBe(first.citations[0].documentId);
  });

  it('answers 429 RATE_LIMITED with Retry-After and RateLimit headers under a burst', async () => {
    const key = await t.keyFor('burst-tenant', ['admin', 'query', 'ingest']);
    const corpus = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(key), payload: { name: 'burst' } })).json();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof t.app.inject>> | undefined;
    for (let index = 0; index < 8; index++) {
      const response = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/search`, headers: bearer(key), payload: { query: 'anything', k: 3 } });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited = response;
      else expect(response.headers['ratelimit-limit']).toBe('5');
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(limited?.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited?.headers['ratelimit-remaining']).toBe('0');
    // Limits are per tenant: the admin tenant is unaffected by the burst tenant's bucket.
    const unaffected = await t.app.inject({ method: 'GET', url: '/v1/corpora', headers: bearer(t.adminKey) });
    expect(unaffected.statusCode).toBe(200);
  });

  it('replays an idempotent answer without a second provider call and rejects a different body', async () => {
    const key = await t.keyFor('idem-tenant', ['admin', 'query', 'ingest']);
    const corpus = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(key), payload: { name: 'idem' } })).json();
    await upload(t, key, corpus.id, 'valve.txt', DOC);
    fake.reset();
    fake.setDefault('openai.chat', { answer: { refused: false, sentences: [{ text: 'The warranty period is two years.', citations: [{ source: 1, quote: 'The warranty period is two years' }] }] } });
    const headers = { ...bearer(key), 'idempotency-key': 'answer-123' };
    const first = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/answers`, headers, payload: { question: 'How long is the warranty?' } });
    const callsAfterFirst = fake.callCount('openai.chat');
    const second = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/answers`, headers, payload: { question: 'How long is the warranty?' } });
    expect(first.statusCode, first.body).toBe(200);
    expect(callsAfterFirst).toBe(1);
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(fake.callCount('openai.chat')).toBe(1);
    const reused = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/answers`, headers, payload: { question: 'Something else entirely?' } });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses uploads with 503 and Retry-After while the ingestion queue is full', async () => {
    const corpus = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'backpressure' } })).json();
    const jobs = t.container.jobs;
    const realDepth = jobs.depth.bind(jobs);
    // The queue port reports a backlog at the limit (MAX_INGEST_QUEUE_DEPTH defaults to 10,000).
    jobs.depth = async () => ({ waiting: 10_000, active: 2, oldestWaitingAgeMs: 120_000 });
    try {
      const body = await multipart({}, { name: 'late.txt', content: DOC, type: 'text/plain' });
      const response = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/documents`, headers: { ...bearer(t.adminKey), ...body.headers }, payload: body.payload });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({ code: 'OVERLOADED', details: { waiting: 10_000, oldestWaitingSeconds: 120 } });
      expect(Number(response.headers['retry-after'])).toBe(30);
    } finally {
      jobs.depth = realDepth;
    }
    const documents = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/documents`, headers: bearer(t.adminKey) })).json().documents;
    expect(documents).toEqual([]);
  });

  it('exposes the named Prometheus series after a few requests', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer('metrics-token-0123456789') });
    expect(response.statusCode).toBe(200);
    const text = response.body;
    for (const series of [
      'attest_http_request_duration_seconds_bucket{',
      'attest_answer_stage_duration_seconds_bucket{',
      'attest_tokens_total{',
      'attest_cost_usd_total{',
      'attest_cache_events_total{cache="answer"',
      'attest_answers_total{',
      'attest_queue_depth{',
      'attest_circuit_state{',
      'attest_rate_limited_total{',
    ]) {
      expect(text, series).toContain(series);
    }
  });

  it('logs answers with tenant and route but without the API key or the question', async () => {
    const key = await t.keyFor('log-tenant', ['admin', 'query', 'ingest']);
    const corpus = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(key), payload: { name: 'logs' } })).json();
    const question = 'Which secret flamingo protocol governs the Zephyrine valve?';
    logLines.length = 0;
    await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/answers`, headers: bearer(key), payload: { question } });
    const log = logLines.join('');
    expect(log).toContain('/v1/corpora/:corpus/answers');
    expect(log).toContain('"tenantId"');
    expect(log).not.toContain(key);
    expect(log).not.toContain('flamingo');
  });

  it('writes one access-log line per request, when it ends, with method, url, status and time', async () => {
    logLines.length = 0;
    await t.app.inject({ method: 'GET', url: '/v1/corpora', headers: bearer(t.adminKey) });
    await t.app.inject({ method: 'GET', url: '/v1/no-such-route' });
    const entries = logLines.join('').trim().split('\n').map((line) => JSON.parse(line) as { msg: string; req?: { method: string; url: string }; res?: { statusCode: number }; responseTime?: number });
    expect(entries.some((entry) => entry.msg === 'incoming request')).toBe(false);
    const completed = entries.filter((entry) => entry.msg === 'request completed');
    expect(completed.map((entry) => [entry.req?.method, entry.req?.url, entry.res?.statusCode])).toEqual([
      ['GET', '/v1/corpora', 200],
      ['GET', '/v1/no-such-route', 404],
    ]);
    for (const entry of completed) expect(entry.responseTime).toBeGreaterThan(0);
  });
});
