import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../src/container';
import { bearer, type TestApp } from '../helpers/app';
import { createCorpus, getDocument, readPdf, upload, waitForJob, type JobView } from '../helpers/ingestion';
import { killAll, killGroup, obliterateQueue, startQueueApi, startWorker, type ChildHandle } from '../helpers/processes';
import { createTestDatabase, REDIS_URL, requireService } from '../helpers/services';

/**
 * A worker process SIGKILLed in the middle of embedding/indexing a large PDF:
 * BullMQ's stalled-job check hands the job to a second worker, which completes
 * it, and the store holds exactly one set of chunks, postings and vectors.
 * Real Redis and real PostgreSQL; under CI=true a missing one fails the suite.
 */
const redisUp = await requireService('redis', 'ingestion worker crash');
const postgresUp = await requireService('postgres', 'ingestion worker crash');

async function watchJob(app: FastifyInstance, key: string, jobId: string, until: (job: JobView) => boolean, what: string, timeoutMs = 60_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await app.inject({ method: 'GET', url: `/v1/jobs/${jobId}`, headers: bearer(key) })).json() as JobView;
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} never ${what}: ${JSON.stringify(job)}`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 5));
  }
}

describe.skipIf(!redisUp || !postgresUp)('ingestion worker crash (real Redis + PostgreSQL)', () => {
  const queueName = `attest-crash-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let database: { url: string; drop: () => Promise<void> };
  let container: Container;
  let app: FastifyInstance;
  let t: TestApp;
  let workerEnv: Record<string, string>;
  const workers: ChildHandle[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('attest_crash');
    const env = {
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      REDIS_URL,
      JOB_QUEUE_NAME: queueName,
      PDF_TIMEOUT_MS: '60000',
      // A killed worker's lock expires after 5 s and is noticed within a second (defaults: 30 s each).
      JOB_LOCK_DURATION_MS: '5000',
      JOB_STALLED_INTERVAL_MS: '1000',
    };
    workerEnv = env;
    t = await startQueueApi(env);
    container = t.container;
    app = t.app;
  }, 60_000);

  afterAll(async () => {
    await killAll(workers);
    await t?.close();
    await obliterateQueue(REDIS_URL, queueName);
    await database?.drop();
  }, 60_000);

  it('a job killed mid-embed completes on another worker with no duplicate rows', async () => {
    const first = await startWorker(workerEnv);
    workers.push(first);
    await createCorpus(t, 'crash');
    const answer = await upload(t, 'crash', { name: 'freeculture.pdf', bytes: readPdf('born-digital/freeculture.pdf'), contentType: 'application/pdf' });

    // Watch the job through the API and kill the worker once it is embedding or indexing.
    const deadline = Date.now() + 60_000;
    let seen: JobView | undefined;
    for (;;) {
      const response = await app.inject({ method: 'GET', url: `/v1/jobs/${answer.jobId}`, headers: bearer(t.adminKey) });
      seen = response.json() as JobView;
      if (seen.state === 'active' && ['embed', 'index'].includes(seen.progress.stage)) break;
      if (seen.state === 'completed' || seen.state === 'failed' || Date.now() > deadline) {
        throw new Error(`job never reached embed/index while active: ${JSON.stringify(seen)}\n${first.output()}`);
      }
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 5));
    }
    killGroup(first, 'SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    console.info(`worker 1 SIGKILLed at progress ${JSON.stringify(seen.progress)}`);
    const afterKill = (await app.inject({ method: 'GET', url: `/v1/jobs/${answer.jobId}`, headers: bearer(t.adminKey) })).json() as JobView;
    expect(afterKill.state).toBe('active');
    const [partial] = await container.store.query<{ n: number | string }>(sql`SELECT count(*) AS n FROM chunks WHERE version_id = ${answer.versionId}::uuid`);
    expect(Number(partial?.n)).toBeGreaterThan(0);

    const second = await startWorker(workerEnv);
    workers.push(second);
    const job = await waitForJob(t, answer.jobId!, { timeoutMs: 90_000 });
    expect(job.state, `${JSON.stringify(job)}\n${second.output()}`).toBe('completed');
    console.info(`completed by worker 2 ${Date.now() - killedAt} ms after the kill`);

    const document = (await getDocument(t, answer.documentId)).json();
    expect(document.versions).toHaveLength(1);
    expect(document.versions[0]).toMatchObject({ status: 'ready', pages: 352 });
    const chunkCount = document.versions[0].chunkCount as number;
    expect(chunkCount).toBeGreaterThan(100);

    const q = async (query: ReturnType<typeof sql>) => Number((await container.store.query<{ n: number | string }>(query))[0]?.n ?? 0);
    const build = (await app.inject({ method: 'GET', url: '/v1/corpora/crash', headers: bearer(t.adminKey) })).json().activeBuildId as string;
    // Chunk rows: one per (version, chunker, ordinal), and no other chunker's strays.
    expect(await q(sql`SELECT count(*) AS n FROM (SELECT 1 FROM chunks GROUP BY version_id, chunker_hash, ordinal HAVING count(*) > 1) d`)).toBe(0);
    expect(await q(sql`SELECT count(*) AS n FROM chunks WHERE version_id = ${answer.versionId}::uuid`)).toBe(chunkCount);
    expect(await q(sql`SELECT count(DISTINCT ordinal) AS n FROM chunks WHERE version_id = ${answer.versionId}::uuid`)).toBe(chunkCount);
    // Postings: one per (build, term, chunk).
    expect(await q(sql`SELECT count(*) AS n FROM (SELECT 1 FROM all_postings GROUP BY build_id, term, chunk_id HAVING count(*) > 1) d`)).toBe(0);
    expect(await q(sql`SELECT count(*) AS n FROM all_postings WHERE build_id = ${build}::uuid`)).toBeGreaterThan(chunkCount);
    // Index rows: exactly the version's chunks, once each, in build_chunks and chunk_vectors.
    expect(await q(sql`SELECT count(*) AS n FROM build_chunks WHERE build_id = ${build}::uuid`)).toBe(chunkCount);
    expect(await q(sql`SELECT count(*) AS n FROM chunk_vectors WHERE build_id = ${build}::uuid`)).toBe(chunkCount);
    // BM25 statistics equal a recount.
    const [stats] = await container.store.query<{ doc_count: number | string; total_length: number | string }>(
      sql`SELECT doc_count, total_length FROM build_term_stats WHERE build_id = ${build}::uuid`,
    );
    expect(Number(stats?.doc_count)).toBe(await q(sql`SELECT count(*) AS n FROM build_chunks WHERE build_id = ${build}::uuid`));
    expect(Number(stats?.total_length)).toBe(await q(sql`SELECT coalesce(sum(doc_length), 0) AS n FROM build_chunks WHERE build_id = ${build}::uuid`));

    // And the document is searchable (worker 2 stays up for the next test).
    const searched = await app.inject({ method: 'POST', url: '/v1/corpora/crash/search', headers: bearer(t.adminKey), payload: { query: 'piracy copyright', k: 5 } });
    expect(searched.json().results.length).toBeGreaterThan(0);
  }, 180_000);

  it('a job whose worker dies again on retry ends failed (never stuck active) and so does its version', async () => {
    const running = workers.at(-1);
    const survivor = running && running.child.exitCode === null && running.child.signalCode === null ? running : await startWorker(workerEnv);
    if (survivor !== running) workers.push(survivor);
    await createCorpus(t, 'crash-again');
    const answer = await upload(t, 'crash-again', { name: 'freeculture.pdf', bytes: readPdf('born-digital/freeculture.pdf') });
    await watchJob(app, t.adminKey, answer.jobId!, (job) => job.state === 'active' && ['chunk', 'embed', 'index'].includes(job.progress.stage), 'got past parsing');
    killGroup(survivor, 'SIGKILL');
    await survivor.exited;

    const next = await startWorker(workerEnv);
    workers.push(next);
    // The stalled job restarts from its first stage on the new worker; that worker dies too.
    await watchJob(app, t.adminKey, answer.jobId!, (job) => job.state === 'active' && job.progress.stage === 'parse', 'restarted', 60_000);
    killGroup(next, 'SIGKILL');
    await next.exited;

    const last = await startWorker(workerEnv);
    workers.push(last);
    const job = await waitForJob(t, answer.jobId!, { timeoutMs: 60_000 });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('stalled') });
    const document = (await getDocument(t, answer.documentId)).json();
    expect(document.versions[0]).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
    expect(document.status).toBe('failed');
  }, 150_000);
});
