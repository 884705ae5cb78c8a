import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';
import { createTestApp, type TestApp } from '../helpers/app';
import { createCorpus, upload, waitForJob } from '../helpers/ingestion';
import { memoryStore } from '../helpers/stores';

/**
 * A version whose ingestion fails for good after its postings were written (here: the embeddings provider
 * refuses the request, which no retry fixes) leaves nothing searchable behind in any build.
 */
describe('a failed version leaves nothing in the indexes', () => {
  let fake: FakeProviders;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeProviders();
    t = await createTestApp({
      store: await memoryStore(),
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.openaiBaseURL, EMBEDDING_MODEL: 'text-embedding-3-small', PROVIDER_MAX_RETRIES: '0' },
    });
    await createCorpus(t, 'manuals');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('fails the job and the version, and removes the postings it wrote', async () => {
    fake.script('openai.embeddings', [{ status: 400 }, { status: 400 }, { status: 400 }]);
    const text = Array.from({ length: 40 }, (_unused, index) => `## Section ${index}\n\nThe zircon gasket of valve ${index} is replaced every quarter.`).join('\n\n');
    const accepted = await upload(t, 'manuals', { name: 'valves.md', bytes: text });
    const job = await waitForJob(t, accepted.jobId!, { timeoutMs: 60_000 });
    expect(job.state).toBe('failed');
    const count = async (query: ReturnType<typeof sql>) => Number((await t.container.store.query<{ n: number | string }>(query))[0]?.n ?? 0);
    const versionId = sql`(SELECT id FROM document_versions WHERE status = 'failed' LIMIT 1)`;
    expect(await count(sql`SELECT count(*) AS n FROM document_versions WHERE status = 'failed'`)).toBe(1);
    // Its chunk rows were written (kept for old traces), so postings existed to remove.
    expect(await count(sql`SELECT count(*) AS n FROM chunks WHERE version_id = ${versionId}`)).toBeGreaterThan(0);
    expect(await count(sql`SELECT count(*) AS n FROM build_chunks WHERE chunk_id IN (SELECT id FROM chunks WHERE version_id = ${versionId})`)).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM all_postings WHERE chunk_id IN (SELECT id FROM chunks WHERE version_id = ${versionId})`)).toBe(0);
    // BM25 alone (the vector leg would ask the refusing provider to embed the query).
    const search = await t.app.inject({ method: 'POST', url: '/v1/corpora/manuals/search', headers: { authorization: `Bearer ${t.adminKey}` }, payload: { query: 'zircon gasket', mode: 'bm25' } });
    expect(search.statusCode, search.body).toBe(200);
    expect((search.json() as { results: unknown[] }).results).toEqual([]);
  }, 90_000);
});
