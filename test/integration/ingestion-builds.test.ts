import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';
import { createCorpus, getCorpusView, readPdf, upload, waitForJob } from '../helpers/ingestion';

/**
 * Index builds over HTTP: a reindex with another chunker backfills a new build
 * in a job, the canary gate's report decides whether promotion needs force, and
 * promotion switches the corpus's active build.
 */
const targets = await storeTargets('index builds API');

interface BuildView {
  id: string;
  status: string;
  chunker: { targetTokens: number };
  chunkerHash: string;
  stats: { documents: number; chunks: number; failures: number };
  warning: string | null;
  canaryReport: { passed: boolean; reasons: string[] } | null;
}

async function count(t: TestApp, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await t.container.store.query<{ n: number | string }>(query);
  return Number(row?.n ?? 0);
}

describe.each(targets)('index builds on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: await target.open(), env: { PDF_TIMEOUT_MS: '30000' } });
    await createCorpus(t, 'manuals');
    const uploads = [
      await upload(t, 'manuals', { name: 'TAMReview.pdf', bytes: readPdf('born-digital/TAMReview.pdf') }),
      await upload(t, 'manuals', { name: 'guide.md', bytes: '# Guide\n\nThe backup runs nightly at two in the morning.\n\n## Restore\n\nRestores take about an hour.\n' }),
    ];
    for (const answer of uploads) expect((await waitForJob(t, answer.jobId!, { timeoutMs: 60_000 })).state).toBe('completed');
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reindexes with another chunker: 202, the backfill completes, the gate decides, force promotes', async () => {
    const before = await getCorpusView(t, 'manuals');
    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/corpora/manuals/builds',
      headers: bearer(t.adminKey),
      payload: { chunker: { targetTokens: 200 } },
    });
    expect(started.statusCode, started.body).toBe(202);
    const { build: created, jobId } = started.json() as { build: BuildView; jobId: string };
    expect(created).toMatchObject({ status: 'building', chunker: { targetTokens: 200 } });
    expect(created.id).not.toBe(before.activeBuildId);

    const job = await waitForJob(t, jobId, { timeoutMs: 60_000 });
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    expect(job.progress).toMatchObject({ stage: 'index', done: 2, total: 2 });

    const read = await t.app.inject({ method: 'GET', url: `/v1/builds/${created.id}`, headers: bearer(t.adminKey) });
    expect(read.statusCode).toBe(200);
    const build = read.json() as BuildView;
    const active = (await t.app.inject({ method: 'GET', url: `/v1/builds/${before.activeBuildId}`, headers: bearer(t.adminKey) })).json() as BuildView;
    expect(build.stats.documents).toBe(2);
    expect(build.stats.failures).toBe(0);
    // Smaller chunks: more of them than in the active build, from the same documents.
    expect(build.stats.chunks).toBeGreaterThan(active.stats.chunks);
    expect(build.chunkerHash).not.toBe(active.chunkerHash);
    expect(build.canaryReport).not.toBeNull();
    const [termStats] = await t.container.store.query<{ doc_count: number | string }>(sql`SELECT doc_count FROM build_term_stats WHERE build_id = ${build.id}::uuid`);
    expect(Number(termStats?.doc_count)).toBe(build.stats.chunks);
    expect(await count(t, sql`SELECT count(*) AS n FROM chunk_vectors WHERE build_id = ${build.id}::uuid`)).toBe(build.stats.chunks);

    if (build.canaryReport!.passed) {
      // The gate passed: the build was promoted on its own.
      expect(build.status).toBe('active');
    } else {
      expect(build.status).toBe('ready');
      expect(build.canaryReport!.reasons.length).toBeGreaterThan(0);
      const refused = await t.app.inject({ method: 'POST', url: `/v1/builds/${build.id}/promote`, headers: bearer(t.adminKey) });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('BUILD_NOT_PROMOTABLE');
      expect((await getCorpusView(t, 'manuals')).activeBuildId).toBe(before.activeBuildId);
    }

    const forced = await t.app.inject({ method: 'POST', url: `/v1/builds/${build.id}/promote?force=true`, headers: bearer(t.adminKey) });
    expect(forced.statusCode, forced.body).toBe(200);
    expect(forced.json()).toMatchObject({ id: build.id, status: 'active' });
    const after = await getCorpusView(t, 'manuals');
    expect(after.activeBuildId).toBe(build.id);
    expect(after.generation).toBeGreaterThan(before.generation);
    const previous = (await t.app.inject({ method: 'GET', url: `/v1/builds/${before.activeBuildId}`, headers: bearer(t.adminKey) })).json() as BuildView;
    expect(previous.status).toBe('ready');

    const searched = await t.app.inject({ method: 'POST', url: '/v1/corpora/manuals/search', headers: bearer(t.adminKey), payload: { query: 'backup nightly' } });
    expect(searched.json().buildId).toBe(build.id);
    expect(searched.json().results.length).toBeGreaterThan(0);
  }, 90_000);

  it('feeds new documents into every live build and deletes them from every build', async () => {
    const builds = (await t.app.inject({ method: 'GET', url: '/v1/corpora/manuals/builds', headers: bearer(t.adminKey) })).json().builds as BuildView[];
    const live = builds.filter((build) => ['active', 'ready', 'building'].includes(build.status));
    expect(live.length).toBeGreaterThanOrEqual(2);
    const answer = await upload(t, 'manuals', { name: 'late.txt', bytes: 'A late addition about the quarterly audit schedule.\n' });
    expect((await waitForJob(t, answer.jobId!)).state).toBe('completed');
    for (const build of live) {
      expect(
        await count(t, sql`SELECT count(*) AS n FROM build_chunks bc JOIN chunks c ON c.id = bc.chunk_id WHERE bc.build_id = ${build.id}::uuid AND c.document_id = ${answer.documentId}::uuid`),
        build.id,
      ).toBeGreaterThan(0);
    }
    const deleted = await t.app.inject({ method: 'DELETE', url: `/v1/documents/${answer.documentId}`, headers: bearer(t.adminKey) });
    expect(deleted.statusCode).toBe(204);
    for (const build of live) {
      const [stats] = await t.container.store.query<{ doc_count: number | string }>(sql`SELECT doc_count FROM build_term_stats WHERE build_id = ${build.id}::uuid`);
      expect(Number(stats?.doc_count)).toBe(await count(t, sql`SELECT count(*) AS n FROM build_chunks WHERE build_id = ${build.id}::uuid`));
    }
    expect(await count(t, sql`SELECT count(*) AS n FROM chunks WHERE document_id = ${answer.documentId}::uuid`)).toBe(0);
  }, 60_000);

  it('refuses a chunker whose overlap is not below its target, and unknown fields', async () => {
    const overlap = await t.app.inject({
      method: 'POST',
      url: '/v1/corpora/manuals/builds',
      headers: bearer(t.adminKey),
      payload: { chunker: { targetTokens: 100, overlapTokens: 100 } },
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().error.code).toBe('VALIDATION_FAILED');
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/corpora/manuals/builds', headers: bearer(t.adminKey), payload: { chunker: { size: 3 } } });
    expect(unknown.statusCode).toBe(400);
  });

  it('requires the admin scope and hides builds from other tenants', async () => {
    const ingestKey = await t.keyFor('default', ['ingest', 'query']);
    const denied = await t.app.inject({ method: 'POST', url: '/v1/corpora/manuals/builds', headers: bearer(ingestKey), payload: {} });
    expect(denied.statusCode).toBe(403);
    const corpus = await getCorpusView(t, 'manuals');
    const otherKey = await t.keyFor('builds-other', ['admin', 'ingest', 'query']);
    const hidden = await t.app.inject({ method: 'GET', url: `/v1/builds/${corpus.activeBuildId}`, headers: bearer(otherKey) });
    expect(hidden.statusCode).toBe(404);
    const promote = await t.app.inject({ method: 'POST', url: `/v1/builds/${corpus.activeBuildId}/promote?force=true`, headers: bearer(otherKey) });
    expect(promote.statusCode).toBe(404);
  });
});
