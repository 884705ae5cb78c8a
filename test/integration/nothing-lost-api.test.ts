import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { multipart } from '../helpers/multipart';
import { memoryStore } from '../helpers/stores';

const DOC = 'The Zephyrine valve assembly must be torqued to 42 newton metres after the quarterly inspection.\n\nThe warranty period is two years from the date of purchase.';

/** Issue 23 through the API: what a client asked for is either done, or refused in a way a retry can fix. */
describe('nothing a user did is silently lost (API)', () => {
  let t: TestApp;
  let corpusId: string;

  beforeAll(async () => {
    const store = await memoryStore();
    t = await createTestApp({ store });
    corpusId = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'lost' } })).json().id;
    const body = await multipart({}, { name: 'valve.txt', content: DOC, type: 'text/plain' });
    const uploaded = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/documents`, headers: { ...bearer(t.adminKey), ...body.headers }, payload: body.payload });
    expect(uploaded.statusCode, uploaded.body).toBe(202);
    await t.idle();
  });
  afterAll(async () => t?.close());

  const upload = async (key: string, name: string, content: string) => {
    const body = await multipart({}, { name, content, type: 'text/plain' });
    return t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/documents`, headers: { ...bearer(t.adminKey), ...body.headers, 'idempotency-key': key }, payload: body.payload });
  };

  it('a 429 for a spent budget is not replayed: the retry under the same Idempotency-Key, once the budget allows, is answered', async () => {
    const limits = t.container.limits;
    const spentToday = limits.spentToday.bind(limits);
    // The tenant's daily budget is spent (the real admission path throws BUDGET_EXCEEDED).
    limits.spentToday = async () => Number.MAX_SAFE_INTEGER;
    const headers = { ...bearer(t.adminKey), 'idempotency-key': 'answer-after-429' };
    const question = { question: 'What torque does the Zephyrine valve need?' };
    let refused;
    try {
      refused = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/answers`, headers, payload: question });
    } finally {
      limits.spentToday = spentToday;
    }
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('BUDGET_EXCEEDED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    const retried = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/answers`, headers, payload: question });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    // The completed answer is what is kept and replayed now.
    const replayed = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/answers`, headers, payload: question });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toBe(retried.body);
  });

  it('a different file of the same size under one Idempotency-Key is 422 IDEMPOTENCY_KEY_REUSED, not the first file\'s 202', async () => {
    const first = await upload('same-size', 'a.txt', 'one one one\n');
    expect(first.statusCode, first.body).toBe(202);
    const other = await upload('same-size', 'a.txt', 'two two two\n');
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Same name, same size, another field: also another request.
    const body = await multipart({ title: 'Another title' }, { name: 'a.txt', content: 'one one one\n', type: 'text/plain' });
    const titled = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/documents`, headers: { ...bearer(t.adminKey), ...body.headers, 'idempotency-key': 'same-size' }, payload: body.payload });
    expect(titled.statusCode).toBe(422);
    // The same file again (a retry; its multipart boundary is drawn afresh) is the first answer, replayed.
    const retry = await upload('same-size', 'a.txt', 'one one one\n');
    expect(retry.statusCode).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    await t.idle();
  });

  it('an ingest-only key cannot read traces (questions and answers) nor chunk or version text', async () => {
    const answer = (await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/answers`, headers: bearer(t.adminKey), payload: { question: 'How long is the warranty?' } })).json();
    const documents = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpusId}/documents`, headers: bearer(t.adminKey) })).json().documents;
    const versionId = (await t.app.inject({ method: 'GET', url: `/v1/documents/${documents[0].id}`, headers: bearer(t.adminKey) })).json().versions[0].id as string;
    const search = (await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/search`, headers: bearer(t.adminKey), payload: { query: 'valve', k: 1 } })).json();
    const chunkId = search.results[0].chunkId as string;
    expect(answer.traceId).toBeTruthy();
    expect(chunkId).toBeTruthy();
    const urls = [`/v1/traces/${answer.traceId}`, `/v1/chunks/${chunkId}`, `/v1/versions/${versionId}/text`];
    const ingestOnly = await t.keyFor('default', ['ingest']);
    const queryKey = await t.keyFor('default', ['query']);
    for (const url of urls) {
      const refused = await t.app.inject({ method: 'GET', url, headers: bearer(ingestOnly) });
      expect({ url, status: refused.statusCode, code: refused.json().error?.code }).toEqual({ url, status: 403, code: 'FORBIDDEN' });
      const allowed = await t.app.inject({ method: 'GET', url, headers: bearer(queryKey) });
      expect({ url, status: allowed.statusCode }).toEqual({ url, status: 200 });
    }
  });

  it('an unauthenticated /metrics names no tenant or corpus id', async () => {
    const tenantId = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpusId}`, headers: bearer(t.adminKey) })).json().tenantId as string | undefined;
    await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/canaries`, headers: bearer(t.adminKey), payload: { query: 'valve torque', expect: { chunkContains: 'Zephyrine' } } });
    await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpusId}/canaries/run`, headers: bearer(t.adminKey) });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('attest_http_request_duration_seconds_bucket{');
    expect(response.body).not.toContain(corpusId);
    if (tenantId) expect(response.body).not.toContain(tenantId);
    expect(response.body).not.toMatch(/tenant="|corpus="/u);
    expect(response.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/u);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    const store = await memoryStore();
    t = await createTestApp({ store, env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
  });
  afterAll(async () => t?.close());

  it('is 401 without the token or with another, and the full exposition with it', async () => {
    const corpus = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'metered' } })).json();
    await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/canaries`, headers: bearer(t.adminKey), payload: { query: 'x', expect: { chunkContains: 'x' } } });
    await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/canaries/run`, headers: bearer(t.adminKey) });
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer('scrape-token-012345678x') })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.adminKey) })).statusCode).toBe(401);
    const scraped = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer('scrape-token-0123456789') });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain(`attest_canary_recall{corpus="${corpus.id}"}`);
  });
});
