import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestApp } from '../helpers/app';
import { createCorpus, getCorpusView, getDocument, readPdf, upload, waitForJob, type JobView, type UploadAnswer } from '../helpers/ingestion';
import { expectOneCopy, isRunning, killAll, killGroup, obliterateQueue, startQueueApi, startWorker, versionRows, type ChildHandle, type VersionRows } from '../helpers/processes';
import { createTestDatabase, REDIS_URL, requireService } from '../helpers/services';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';

/**
 * A worker SIGKILLed mid-job at each ingestion stage (issue 9): parse, chunk,
 * embed and index. Each stage is held open from outside the worker, so the kill
 * lands inside it every time: a table lock the stage's statement waits on
 * (version_blobs for parse, chunks for chunk, chunk_vectors or postings for
 * index) or an embedding call the fake provider stalls (embed). After the kill
 * the hold is released (a statement the dead worker left waiting then runs, as
 * it would in production), BullMQ's stalled-job check hands the job to a new
 * worker, and the job completes with exactly one copy of its chunks, postings
 * and vectors: the same rows as a clean ingest of the same document.
 * Real Redis and PostgreSQL; under CI=true a missing one fails the suite.
 */
const redisUp = await requireService('redis', 'worker killed at each stage');
const postgresUp = await requireService('postgres', 'worker killed at each stage');

const PDF = 'born-digital/TAMReview.pdf';
const EMBEDDING_DIMENSIONS = 64;

type Hold = { kind: 'lock'; table: string } | { kind: 'stall-embeddings' };
/** written: the other half of the index stage, committed before the kill (so the retry meets it). */
const CASES: { stage: string; hold: Hold; what: string; written?: 'postings' | 'chunk_vectors' }[] = [
  { stage: 'parse', hold: { kind: 'lock', table: 'version_blobs' }, what: 'reading the original bytes' },
  { stage: 'chunk', hold: { kind: 'lock', table: 'chunks' }, what: 'writing chunks' },
  { stage: 'embed', hold: { kind: 'stall-embeddings' }, what: 'waiting on the embedding provider' },
  { stage: 'index', hold: { kind: 'lock', table: 'chunk_vectors' }, what: 'writing vectors (postings already written)', written: 'postings' },
  { stage: 'index', hold: { kind: 'lock', table: 'postings' }, what: 'writing postings (vectors already written)', written: 'chunk_vectors' },
];

describe.skipIf(!redisUp || !postgresUp)('worker SIGKILLed at each ingestion stage (real Redis + PostgreSQL)', () => {
  const queueName = `attest-stagekill-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let database: { url: string; drop: () => Promise<void> };
  let fake: FakeProviders;
  let t: TestApp;
  let env: Record<string, string>;
  const workers: ChildHandle[] = [];
  /** Rows left by each killed-and-retried job, compared with a clean ingest at the end. */
  const retried: { label: string; rows: VersionRows; chunkCount: number }[] = [];
  let cleanUpload: UploadAnswer | undefined;
  let cleanRows: VersionRows | undefined;

  async function freshWorker(): Promise<ChildHandle> {
    const worker = await startWorker(env);
    workers.push(worker);
    return worker;
  }

  async function job(jobId: string): Promise<JobView> {
    return (await t.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}`, headers: bearer(t.adminKey) })).json() as JobView;
  }

  async function rowsOf(corpus: string, answer: UploadAnswer): Promise<{ rows: VersionRows; chunkCount: number }> {
    const document = (await getDocument(t, answer.documentId)).json();
    expect(document.versions).toHaveLength(1);
    expect(document.versions[0]).toMatchObject({ status: 'ready' });
    const build = (await getCorpusView(t, corpus)).activeBuildId;
    return { rows: await versionRows(t.container.store, answer.versionId, build), chunkCount: document.versions[0].chunkCount as number };
  }

  beforeAll(async () => {
    database = await createTestDatabase('attest_stagekill');
    fake = await startFakeProviders();
    env = {
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      REDIS_URL,
      JOB_QUEUE_NAME: queueName,
      // Embeddings through the fake provider, so the embed stage can be held open by a stalled call.
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.openaiBaseURL,
      OPENAI_EMBEDDING_DIMENSIONS: String(EMBEDDING_DIMENSIONS),
      EMBEDDING_MODEL: 'text-embedding-3-small',
      PROVIDER_TIMEOUT_MS: '60000',
      // A killed worker's job is handed on about 3 s after the kill (defaults: 30 s lock, 30 s check).
      JOB_LOCK_DURATION_MS: '3000',
      JOB_STALLED_INTERVAL_MS: '500',
    };
    t = await startQueueApi(env);
  }, 60_000);

  afterAll(async () => {
    await killAll(workers);
    await t?.close();
    await fake?.close();
    await obliterateQueue(REDIS_URL, queueName);
    await database?.drop();
  }, 60_000);

  for (const [index, testCase] of CASES.entries()) {
    it(`killed while ${testCase.stage} is ${testCase.what}: completes on another worker with one copy of every row`, async () => {
      const corpus = `kill-${index}-${testCase.stage}`;
      await createCorpus(t, corpus);
      const locker = new pg.Client({ connectionString: database.url });
      await locker.connect();
      try {
        const holdTable = async (table: string) => {
          await locker.query('BEGIN');
          await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
        };
        const waitingOnLock = async (table: string) =>
          Number((await locker.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = '${table}'::regclass`)).rows[0]?.n) > 0;
        let answer: UploadAnswer;
        let worker: ChildHandle;
        const hold = testCase.hold;
        const bytes = readPdf(PDF);
        if (hold.kind === 'lock' && hold.table === 'version_blobs') {
          // The upload writes version_blobs itself: upload with no worker consuming, hold the table, then start one.
          for (const running of workers) killGroup(running, 'SIGKILL');
          answer = await upload(t, corpus, { name: 'TAMReview.pdf', bytes, contentType: 'application/pdf' });
          await holdTable(hold.table);
          worker = await freshWorker();
        } else {
          // A worker that is up before the hold (starting one reads tables a hold may lock).
          const running = workers.at(-1);
          worker = isRunning(running) ? running : await freshWorker();
          if (hold.kind === 'lock') await holdTable(hold.table);
          else {
            // The same document was embedded by the earlier cases: without this the embed stage is all cache hits.
            await t.container.store.query(sql`DELETE FROM embedding_cache`);
            fake.script('openai.embeddings', [{ stallMs: 120_000 }]);
          }
          answer = await upload(t, corpus, { name: 'TAMReview.pdf', bytes, contentType: 'application/pdf' });
        }
        const embedCallsBefore = fake.callCount('openai.embeddings');

        // Held in the target stage: the job says so, and the worker is really blocked there.
        const deadline = Date.now() + 30_000;
        for (;;) {
          const seen = await job(answer.jobId!);
          const blocked =
            hold.kind === 'lock' ? await waitingOnLock(hold.table) : fake.calls.some((call) => call.route === 'openai.embeddings' && call.closedAt === undefined);
          const written = testCase.written
            ? Number(
                (
                  await locker.query<{ n: string }>(`SELECT count(*) AS n FROM ${testCase.written} x JOIN chunks c ON c.id = x.chunk_id WHERE c.version_id = $1`, [
                    answer.versionId,
                  ])
                ).rows[0]?.n,
              ) > 0
            : true;
          if (seen.state === 'active' && seen.progress.stage === testCase.stage && blocked && written) break;
          if (seen.state === 'completed' || seen.state === 'failed' || Date.now() > deadline) {
            throw new Error(`job never held in ${testCase.stage}: ${JSON.stringify(seen)}\n${worker.output()}`);
          }
          await new Promise((resolveSleep) => setTimeout(resolveSleep, 20));
        }
        killGroup(worker, 'SIGKILL');
        await worker.exited;
        const killedAt = Date.now();
        expect((await job(answer.jobId!)).state).toBe('active');
        if (hold.kind === 'lock') await locker.query('ROLLBACK');
        if (hold.kind === 'stall-embeddings') expect(fake.callCount('openai.embeddings')).toBeGreaterThanOrEqual(embedCallsBefore);

        await freshWorker();
        const done = await waitForJob(t, answer.jobId!, { timeoutMs: 45_000 });
        expect(done.state, JSON.stringify(done)).toBe('completed');
        console.info(`killed in ${testCase.stage} (${testCase.what}): completed by the next worker ${Date.now() - killedAt} ms after the kill`);

        const { rows, chunkCount } = await rowsOf(corpus, answer);
        expect(chunkCount).toBeGreaterThan(5);
        expectOneCopy(rows, chunkCount, testCase.stage);
        expect(rows.statsDocCount).toBe(rows.recountDocCount);
        expect(rows.statsTotalLength).toBe(rows.recountTotalLength);
        retried.push({ label: `${testCase.stage}/${testCase.what}`, rows, chunkCount });
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
        await locker.end();
      }
    }, 60_000);
  }

  it('a clean ingest of the same document leaves exactly the rows each retried job left', async () => {
    expect(retried).toHaveLength(CASES.length);
    const running = workers.at(-1);
    if (!isRunning(running)) await freshWorker();
    await createCorpus(t, 'clean');
    const answer = await upload(t, 'clean', { name: 'TAMReview.pdf', bytes: readPdf(PDF), contentType: 'application/pdf' });
    expect((await waitForJob(t, answer.jobId!, { timeoutMs: 30_000 })).state).toBe('completed');
    const clean = await rowsOf('clean', answer);
    for (const { label, rows, chunkCount } of retried) {
      expect(chunkCount, label).toBe(clean.chunkCount);
      expect(rows, label).toEqual(clean.rows);
    }
    cleanUpload = answer;
    cleanRows = clean.rows;
  }, 60_000);

  it('a job delivered again, twice at once, after its version is ready leaves the version ready with the same rows', async () => {
    // A worker killed after the job's last write but before BullMQ recorded the completion runs it again on
    // the next worker; a job re-added after a Redis restart lost it may run beside the original.
    expect(cleanUpload).toBeDefined();
    const answer = cleanUpload!;
    const [owner] = await t.container.store.query<{ tenant_id: string }>(sql`SELECT tenant_id FROM document_versions WHERE id = ${answer.versionId}::uuid`);
    const again = await Promise.all(
      [1, 2].map((copy) => t.container.jobs.enqueue('ingest-version', { versionId: answer.versionId }, { jobId: `${answer.jobId}-again-${copy}`, tenantId: owner!.tenant_id })),
    );
    for (const jobId of again) expect((await waitForJob(t, jobId, { timeoutMs: 30_000 })).state).toBe('completed');
    const document = (await getDocument(t, answer.documentId)).json();
    expect(document.versions).toHaveLength(1);
    expect(document.versions[0]).toMatchObject({ id: answer.versionId, status: 'ready' });
    expect(document.status).toBe('ready');
    const build = (await getCorpusView(t, 'clean')).activeBuildId;
    expect(await versionRows(t.container.store, answer.versionId, build)).toEqual(cleanRows);
  }, 60_000);
});
