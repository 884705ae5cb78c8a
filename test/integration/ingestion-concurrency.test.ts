import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';
import { createCorpus, getCorpusView, uploadRequest, waitForJob, type UploadAnswer } from '../helpers/ingestion';

/** Concurrent uploads into one corpus: every one lands, and the BM25 statistics stay equal to a recount. */
const targets = await storeTargets('concurrent ingestion');

const TOPICS = ['billing', 'shipping', 'returns', 'warranty', 'accounts', 'security', 'privacy', 'pricing', 'support', 'onboarding'];

function documentText(index: number): string {
  const topic = TOPICS[index % TOPICS.length]!;
  const paragraphs = Array.from(
    { length: 12 },
    (_, paragraph) =>
      `Section ${paragraph + 1} of handbook ${index} explains ${topic} procedures in detail. ` +
      `Agents follow checklist item ${index * 100 + paragraph} before escalating any ${topic} ticket to the team lead. ` +
      `Customers receive a confirmation email once the ${topic} request number ${index}-${paragraph} is resolved.`,
  );
  return `# Handbook ${index}: ${topic}\n\n${paragraphs.join('\n\n')}\n`;
}

async function statsMatchRecount(t: TestApp, buildId: string): Promise<{ docCount: number; buildChunks: number; totalLength: number; recountLength: number }> {
  const [stats] = await t.container.store.query<{ doc_count: number | string; total_length: number | string }>(
    sql`SELECT doc_count, total_length FROM build_term_stats WHERE build_id = ${buildId}::uuid`,
  );
  const [recount] = await t.container.store.query<{ n: number | string; len: number | string | null }>(
    sql`SELECT count(*) AS n, sum(doc_length) AS len FROM build_chunks WHERE build_id = ${buildId}::uuid`,
  );
  return { docCount: Number(stats?.doc_count), buildChunks: Number(recount?.n), totalLength: Number(stats?.total_length), recountLength: Number(recount?.len ?? 0) };
}

describe.each(targets)('concurrent uploads on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: await target.open() });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('20 concurrent uploads to one corpus all land', async () => {
    await createCorpus(t, 'busy');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => uploadRequest(t, 'busy', { name: `handbook-${index}.md`, bytes: documentText(index), contentType: 'text/markdown' })),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(202));
    const answers = responses.map((response) => response.json() as UploadAnswer);
    expect(new Set(answers.map((answer) => answer.documentId)).size).toBe(20);
    expect(answers.every((answer) => !answer.deduplicated)).toBe(true);

    const jobs = await Promise.all(answers.map((answer) => waitForJob(t, answer.jobId!, { timeoutMs: 60_000 })));
    expect(jobs.map((job) => job.state)).toEqual(Array(20).fill('completed'));

    const listed = await t.app.inject({ method: 'GET', url: '/v1/corpora/busy/documents', headers: bearer(t.adminKey) });
    expect(listed.statusCode).toBe(200);
    const documents = listed.json().documents as { id: string; status: string; versions: { chunkCount: number }[] }[];
    expect(documents).toHaveLength(20);
    expect(new Set(documents.map((document) => document.id))).toEqual(new Set(answers.map((answer) => answer.documentId)));
    expect(documents.every((document) => document.status === 'ready' && document.versions[0]!.chunkCount > 0)).toBe(true);

    const corpus = await getCorpusView(t, 'busy');
    const stats = await statsMatchRecount(t, corpus.activeBuildId);
    expect(stats.docCount).toBe(stats.buildChunks);
    expect(stats.totalLength).toBe(stats.recountLength);
    const [chunkTotal] = await t.container.store.query<{ n: number | string }>(sql`SELECT count(*) AS n FROM chunks WHERE corpus_id = ${corpus.id}::uuid`);
    expect(stats.buildChunks).toBe(Number(chunkTotal?.n));
    expect(documents.reduce((sum, document) => sum + document.versions[0]!.chunkCount, 0)).toBe(stats.buildChunks);
  }, 90_000);

  it('identical bytes uploaded concurrently make one version; the rest are deduplicated', async () => {
    await createCorpus(t, 'racy');
    const text = documentText(99);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => uploadRequest(t, 'racy', { name: 'same.md', bytes: text, contentType: 'text/markdown' })),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(5).fill(202));
    const answers = responses.map((response) => response.json() as UploadAnswer);
    expect(new Set(answers.map((answer) => answer.versionId)).size).toBe(1);
    expect(answers.filter((answer) => answer.deduplicated)).toHaveLength(4);
    await t.idle();
    const listed = await t.app.inject({ method: 'GET', url: '/v1/corpora/racy/documents', headers: bearer(t.adminKey) });
    const documents = listed.json().documents as { versions: { status: string }[] }[];
    expect(documents).toHaveLength(1);
    expect(documents[0]!.versions.map((version) => version.status)).toEqual(['ready']);
  }, 60_000);
});
