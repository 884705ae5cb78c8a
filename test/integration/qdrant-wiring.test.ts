import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QdrantIndex } from '../../indexes/qdrant/qdrant-index';
import { queryRows } from '../../src/core/db/client';
import { bearer, createMemoryApp, type TestApp } from '../helpers/app';
import { createCorpus, search, upload, waitForJob } from '../helpers/ingestion';
import { freePort } from '../helpers/ports';
import { FakeQdrant } from '../fake-qdrant/server';

/**
 * QDRANT_URL wired end to end on the embedded store, against the spec-checked
 * fake Qdrant: documents go in, their vectors (and with QDRANT_BM25 their BM25
 * leg) live in Qdrant, search finds them, and a Qdrant that is down or too old
 * never stops the start: /readyz names it and requests get a 503 with a code.
 */

const DOCUMENT = {
  name: 'warranty.txt',
  contentType: 'text/plain',
  bytes: 'Warranty\n\nThe zanzibarquokka warranty lasts two years from the date of purchase. Refunds go to the original payment method within 14 days.\n',
};

describe.each([
  { bm25: 'false', lexicalInQdrant: false },
  { bm25: 'true', lexicalInQdrant: true },
])('QDRANT_URL set (QDRANT_BM25=$bm25)', ({ bm25, lexicalInQdrant }) => {
  let fake: FakeQdrant;
  let t: TestApp;
  beforeAll(async () => {
    fake = await new FakeQdrant().start();
    t = await createMemoryApp({ env: { QDRANT_URL: fake.url, QDRANT_BM25: bm25 } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('keeps vectors in Qdrant, searches through it, and every request conforms to the spec', async () => {
    expect(t.container.vectors).toBeInstanceOf(QdrantIndex);
    expect(t.container.lexical instanceof QdrantIndex).toBe(lexicalInQdrant);
    const corpus = await createCorpus(t, 'qdrant-docs');
    expect(fake.store.collections.has(`attest_${corpus.activeBuildId}`)).toBe(true);
    const uploaded = await upload(t, 'qdrant-docs', DOCUMENT);
    expect(uploaded.jobId).toBeTruthy();
    expect((await waitForJob(t, uploaded.jobId!)).state).toBe('completed');

    const points = [...fake.store.collections.get(`attest_${corpus.activeBuildId}`)!.points.values()];
    expect(points.length).toBeGreaterThan(0);
    for (const point of points) expect([...point.vectors.keys()].sort()).toEqual(lexicalInQdrant ? ['bm25', 'dense'] : ['dense']);
    const rows = await queryRows<{ count: number }>(t.container.store.db, sql`SELECT count(*)::int AS count FROM chunk_vectors`);
    expect(rows[0]?.count, 'no vectors in PostgreSQL').toBe(0);

    const before = fake.calls('query_points').length;
    const hits = await search(t, 'qdrant-docs', 'zanzibarquokka warranty');
    expect(hits[0]?.documentId).toBe(uploaded.documentId);
    expect(fake.calls('query_points').length - before).toBe(lexicalInQdrant ? 2 : 1);

    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json().checks).toMatchObject({ store: 'ok', qdrant: 'ok' });

    expect(fake.rejections).toEqual([]);
    expect(fake.requests.every((request) => request.operationId !== undefined && request.status === 200)).toBe(true);
  });
});

describe('QDRANT_URL at a closed port', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createMemoryApp({ env: { QDRANT_URL: `http://127.0.0.1:${await freePort()}` } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts; /healthz 200, /readyz 503 naming Qdrant; a corpus create is a 503 INDEX_UNAVAILABLE and is taken back', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { store: 'ok', qdrant: 'unreachable' }, error: { code: 'INDEX_UNAVAILABLE', details: { unreachable: ['qdrant'] } } });
    expect(ready.body.toLowerCase()).toContain('qdrant');

    const created = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'no-qdrant' } });
    expect(created.statusCode, created.body).toBe(503);
    expect(created.json().error.code).toBe('INDEX_UNAVAILABLE');
    expect((await t.app.inject({ method: 'GET', url: '/v1/corpora/no-qdrant', headers: bearer(t.adminKey) })).statusCode).toBe(404);
  });
});

describe('QDRANT_URL at a Qdrant too old for collection metadata', () => {
  let fake: FakeQdrant;
  let t: TestApp;
  beforeAll(async () => {
    fake = await new FakeQdrant({ version: '1.14.1' }).start();
    t = await createMemoryApp({ env: { QDRANT_URL: fake.url } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('/readyz says unsupported; a corpus create is a 503 INDEX_UNSUPPORTED naming both versions, not a 500', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.qdrant).toBe('unsupported');
    const created = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'old-qdrant' } });
    expect(created.statusCode, created.body).toBe(503);
    expect(created.json().error).toMatchObject({ code: 'INDEX_UNSUPPORTED', details: { qdrantVersion: '1.14.1' } });
    expect(created.json().error.message).toMatch(/1\.14\.1 is too old/);
    expect(fake.calls('create_collection')).toHaveLength(0);
  });
});
