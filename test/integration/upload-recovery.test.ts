import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app';
import { loadConfig } from '../../src/core/config';
import type { Db, Store } from '../../src/core/db/client';
import { createApiKey, ensureTenant } from '../../src/core/tenancy';
import { createContainer } from '../../src/container';
import { BullmqJobQueue, redisConnection } from '../../src/jobs/bullmq-queue';
import { InlineJobQueue } from '../../src/jobs/inline-queue';
import { JobRecords } from '../../src/jobs/job-records';
import type { EnqueueOptions, HandlerOptions, JobHandler, JobQueue, QueueDepth } from '../../src/jobs/ports';
import { AppError } from '../../src/core/errors';
import { INGEST_JOB } from '../../ingestion/pipeline';
import type { TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';
import { REDIS_URL, requireService } from '../helpers/services';
import { createCorpus, upload, uploadRequest, waitForJob } from '../helpers/ingestion';

/**
 * Issue 23, item 2: an upload must never stay `pending` forever. The version row and its job record commit in one
 * transaction (an outbox), a client's retry of the same bytes gets a live job, and the periodic recovery sweep
 * re-queues every version pending without one. Driven by faults injected on purpose: a CHECK constraint that
 * refuses the job insert, and a queue whose hand-over fails (Redis down, or the API killed right after the commit).
 * The in-process queue on PGlite and PostgreSQL, and BullMQ on PostgreSQL + Redis.
 */
const targets = await storeTargets('upload recovery');
const redisUp = await requireService('redis', 'upload recovery (BullMQ)');

/** A queue whose hand-over of ingestion jobs fails while `failing` > 0, as a queue outage or a crash after the commit would. */
class FlakyQueue implements JobQueue {
  failing = 0;
  constructor(readonly inner: JobQueue) {}
  get kind() {
    return this.inner.kind;
  }
  register<Data extends Record<string, unknown>>(name: string, handler: JobHandler<Data>, options?: HandlerOptions<Data>): void {
    this.inner.register(name, handler, options);
  }
  async enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<string> {
    if (name === INGEST_JOB && this.failing > 0) {
      this.failing -= 1;
      throw new AppError('QUEUE_UNAVAILABLE', 'injected: the job queue is unreachable');
    }
    return this.inner.enqueue(name, data, options);
  }
  record(db: Db, name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<string> {
    return this.inner.record(db, name, data, options);
  }
  isLive(jobId: string): Promise<boolean> {
    return this.inner.isLive(jobId);
  }
  startWorker(): Promise<void> {
    return this.inner.startWorker();
  }
  depth(): Promise<QueueDepth> {
    return this.inner.depth();
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

type Harness = TestApp & { queue: FlakyQueue };

async function harness(store: Store, transport: 'inline' | 'bullmq'): Promise<Harness> {
  const config = loadConfig({ LOG_LEVEL: 'silent', RECOVERY_SWEEP_INTERVAL_MS: '200' });
  const records = new JobRecords(store.db);
  const retry = { maxAttempts: 3, backoffMs: 10 };
  const inner =
    transport === 'inline'
      ? new InlineJobQueue(records, { queue: 'attest', retry })
      : new BullmqJobQueue(records, { connection: redisConnection(REDIS_URL), queue: `t-${process.pid}-${randomUUID().slice(0, 8)}`, prefix: 'attest-test', retry, resubmitIntervalMs: 0 });
  const queue = new FlakyQueue(inner);
  const container = await createContainer(config, { store, jobs: queue });
  await queue.startWorker();
  const app = await buildApp(container);
  const tenant = await ensureTenant(store.db, 'default');
  const adminKey = (await createApiKey(store.db, { tenantId: tenant.id, name: 'test', scopes: ['admin', 'ingest', 'query'] })).key;
  return {
    app,
    container,
    adminKey,
    queue,
    keyFor: () => Promise.reject(new Error('not used')),
    idle: () => Promise.resolve(),
    async close() {
      await app.close();
      await container.close();
    },
  };
}

async function versionRows(t: TestApp, sha: string): Promise<{ id: string; status: string; job_id: string | null }[]> {
  return t.container.store.query(sql`SELECT id, status, job_id FROM document_versions WHERE content_sha256 = ${sha}`);
}

const setups = [
  ...targets.map((target) => ({ name: `in-process queue on ${target.name}`, target, transport: 'inline' as const })),
  ...targets.filter((target) => target.name === 'postgres' && redisUp).map((target) => ({ name: 'BullMQ on postgres + Redis', target, transport: 'bullmq' as const })),
];

describe.each(setups)('uploads never stay pending: $name', ({ target, transport }) => {
  let t: Harness;
  beforeAll(async () => {
    t = await harness(await target.open(), transport);
    await createCorpus(t, 'uploads');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('commits the version and its job record together: a refused job insert stores nothing, and the retry is ingested', async () => {
    await t.container.store.query(sql`ALTER TABLE jobs ADD CONSTRAINT jobs_refuse_ingest CHECK (name <> 'ingest-version') NOT VALID`);
    const text = 'The outbox note: kestrel feeding times are at noon.\n';
    let refused;
    try {
      refused = await uploadRequest(t, 'uploads', { name: 'kestrel.txt', bytes: text });
    } finally {
      await t.container.store.query(sql`ALTER TABLE jobs DROP CONSTRAINT jobs_refuse_ingest`);
    }
    // Nothing half-stored: no version without its job (the old code answered 202 and left the version pending for good).
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    const sha = (await import('../../ingestion/documents')).sha256Hex(new TextEncoder().encode(text));
    expect(await versionRows(t, sha)).toEqual([]);
    const retried = await upload(t, 'uploads', { name: 'kestrel.txt', bytes: text });
    expect(retried.deduplicated).toBe(false);
    expect((await waitForJob(t, retried.jobId!)).state).toBe('completed');
    expect((await versionRows(t, sha)).map((row) => row.status)).toEqual(['ready']);
  });

  it("a client's retry of an upload whose job was never handed over gets a live job, not a pending pointer at nothing", async () => {
    t.queue.failing = 1;
    const first = await upload(t, 'uploads', { name: 'heron.txt', bytes: 'Heron watch: the grey heron nests by the east pond.\n' });
    expect(first).toMatchObject({ status: 'pending', deduplicated: false });
    expect(first.jobId).toEqual(expect.any(String));
    expect(await t.container.jobs.isLive(first.jobId!)).toBe(false);
    const retry = await upload(t, 'uploads', { name: 'heron.txt', bytes: 'Heron watch: the grey heron nests by the east pond.\n' });
    expect(retry).toMatchObject({ versionId: first.versionId, deduplicated: true });
    expect(retry.jobId).toEqual(expect.any(String));
    expect((await waitForJob(t, retry.jobId!)).state).toBe('completed');
  });

  it('the periodic sweep re-queues versions pending without a live job: hand-over failed, or no job record at all', async () => {
    t.queue.failing = 2;
    const lost = await upload(t, 'uploads', { name: 'otter.txt', bytes: 'Otter holt survey: three otters were counted in March.\n' });
    const unrecorded = await upload(t, 'uploads', { name: 'badger.txt', bytes: 'Badger sett survey: the sett has five entrances.\n' });
    // A version with no job record, as a process killed between its two writes left one before the outbox.
    await t.container.store.query(sql`DELETE FROM jobs WHERE id = ${unrecorded.jobId}`);
    expect(await t.container.jobs.isLive(lost.jobId!)).toBe(false);
    // No retry, no restart: the sweep every RECOVERY_SWEEP_INTERVAL_MS (200 ms here) alone.
    t.container.recovery.start();
    for (const answer of [lost, unrecorded]) {
      const deadline = Date.now() + 20_000;
      let status = 'pending';
      while (Date.now() < deadline && status !== 'ready') {
        const [row] = await t.container.store.query<{ status: string }>(sql`SELECT status FROM document_versions WHERE id = ${answer.versionId}::uuid`);
        status = row?.status ?? 'missing';
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status, answer.versionId).toBe('ready');
    }
    await t.container.recovery.stop();
    // Nothing left for the next pass.
    expect((await t.container.recovery.runOnce()).uploads).toBe(0);
  });
});

describe.each(targets)('job attempts on $name', (target) => {
  it('a job run again after its worker died counts the attempt (the transport starts over at 1)', async () => {
    const store = await target.open();
    try {
      const first = new JobRecords(store.db);
      const id = await first.create('attest', 'ingest-version', { versionId: randomUUID() }, {}, 3);
      await first.markActive(id, 1);
      // The worker dies; BullMQ's stalled check (or a restart) gives the job to another process, which says attempt 1 again.
      const second = new JobRecords(store.db);
      await second.markActive(id, 1);
      await second.complete(id, { ok: true });
      expect((await second.get(id))?.attempts).toBe(2);
      // A transport that counts higher (an ordinary retry) is never lowered.
      const third = await second.create('attest', 'ingest-version', { versionId: randomUUID() }, {}, 3);
      await second.markActive(third, 1);
      await second.fail(third, { code: 'PROVIDER_ERROR', message: 'transient' }, false);
      await second.markActive(third, 2);
      expect((await second.get(third))?.attempts).toBe(2);
    } finally {
      await store.close();
    }
  });
});
