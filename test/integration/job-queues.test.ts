import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/db/client';
import { AppError } from '../../src/core/errors';
import { BullmqJobQueue, redisConnection } from '../../src/jobs/bullmq-queue';
import { InlineJobQueue } from '../../src/jobs/inline-queue';
import { JobRecords } from '../../src/jobs/job-records';
import type { JobQueue } from '../../src/jobs/ports';
import { REDIS_URL, requireService } from '../helpers/services';
import { memoryStore } from '../helpers/stores';

const redisUp = await requireService('redis', 'BullMQ job queue');

async function waitFor(records: JobRecords, id: string, states: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const row = await records.get(id);
    if (row && states.includes(row.state)) return row;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${id} did not reach ${states.join('/')} in ${timeoutMs} ms`);
}

const adapters: { name: string; enabled: boolean; make: (records: JobRecords) => JobQueue }[] = [
  { name: 'inline', enabled: true, make: (records) => new InlineJobQueue(records, { queue: `t-${Date.now()}`, retry: { maxAttempts: 3, backoffMs: 10 } }) },
  {
    name: 'bullmq',
    enabled: redisUp,
    make: (records) =>
      new BullmqJobQueue(records, {
        connection: redisConnection(REDIS_URL),
        queue: `t-${process.pid}-${Math.random().toString(36).slice(2)}`,
        prefix: 'attest-test',
        retry: { maxAttempts: 3, backoffMs: 10 },
      }),
  },
];

describe.each(adapters.filter((adapter) => adapter.enabled))('$name job queue', (adapter) => {
  let store: Store;
  let records: JobRecords;
  let queue: JobQueue;
  const attemptsSeen = new Map<string, number>();

  beforeAll(async () => {
    store = await memoryStore();
    records = new JobRecords(store.db);
    queue = adapter.make(records);
    queue.register<{ value: number }>('double', async (data, context) => {
      await context.progress({ stage: 'compute', done: 1, total: 1 });
      return { doubled: data.value * 2 };
    });
    queue.register<{ tag: string }>('flaky', async (data, context) => {
      attemptsSeen.set(data.tag, context.attempt);
      if (context.attempt < 3) throw new AppError('PROVIDER_ERROR', `transient failure on attempt ${context.attempt}`);
      return { attempt: context.attempt };
    });
    queue.register<{ tag: string }>('broken', async (data, context) => {
      attemptsSeen.set(data.tag, context.attempt);
      throw new AppError('PDF_CORRUPT', 'this input can never succeed');
    });
    queue.register<{ tag: string }>('always-failing', async (data, context) => {
      attemptsSeen.set(data.tag, context.attempt);
      throw new AppError('PROVIDER_ERROR', 'upstream keeps failing');
    });
    await queue.startWorker();
  });

  afterAll(async () => {
    await queue?.close();
    await store?.close();
  });

  it('runs a job and records its result and progress', async () => {
    const id = await queue.enqueue('double', { value: 21 }, { tenantId: undefined });
    const row = await waitFor(records, id, ['completed', 'failed']);
    expect(row.state).toBe('completed');
    expect(row.result).toEqual({ doubled: 42 });
    expect(row.progress).toEqual({ stage: 'compute', done: 1, total: 1 });
  });

  it('retries a transient failure until it succeeds', async () => {
    const id = await queue.enqueue('flaky', { tag: 'flaky' });
    const row = await waitFor(records, id, ['completed', 'failed']);
    expect(row.state).toBe('completed');
    expect(attemptsSeen.get('flaky')).toBe(3);
    expect(row.attempts).toBe(3);
  });

  it('fails at once, with its code, when retrying cannot help', async () => {
    const id = await queue.enqueue('broken', { tag: 'broken' });
    const row = await waitFor(records, id, ['failed']);
    expect(row.error).toEqual({ code: 'PDF_CORRUPT', message: 'this input can never succeed' });
    expect(attemptsSeen.get('broken')).toBe(1);
  });

  it('records the failure after the last attempt', async () => {
    const id = await queue.enqueue('always-failing', { tag: 'exhausted' });
    const row = await waitFor(records, id, ['failed']);
    expect(row.error?.code).toBe('PROVIDER_ERROR');
    expect(attemptsSeen.get('exhausted')).toBe(3);
    expect(row.attempts).toBe(3);
  });

  it('treats enqueueing the same job id twice as one job', async () => {
    const first = await queue.enqueue('double', { value: 1 }, { jobId: `same-${adapter.name}` });
    const second = await queue.enqueue('double', { value: 1 }, { jobId: `same-${adapter.name}` });
    expect(second).toBe(first);
    const row = await waitFor(records, first, ['completed']);
    expect(row.result).toEqual({ doubled: 2 });
  });
});
