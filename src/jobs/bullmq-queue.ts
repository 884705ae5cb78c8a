import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { AppError } from '../core/errors';
import type { JobRecords } from './job-records';
import { runAttempt } from './run-job';
import { DEFAULT_RETRY_POLICY, type EnqueueOptions, type HandlerOptions, type JobHandler, type JobQueue, type QueueDepth, type RetryPolicy } from './ports';

export function redisConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // Workers block on Redis; BullMQ requires unlimited retries per request for them.
    maxRetriesPerRequest: null,
  };
}

const ENQUEUE_DEADLINE_MS = 5_000;

/** ioredis queues commands while Redis is down; callers need a prompt QUEUE_UNAVAILABLE instead. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new AppError('QUEUE_UNAVAILABLE', `the job queue did not answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface JobPayload {
  name: string;
  data: Record<string, unknown>;
  requestId?: string | undefined;
}

/**
 * BullMQ transport. Retries and backoff are BullMQ's (attempts + exponential
 * backoff); a failure that retrying cannot fix is thrown as UnrecoverableError.
 */
export class BullmqJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly abandonHooks = new Map<string, NonNullable<HandlerOptions['onAbandoned']>>();
  private readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly records: JobRecords,
    private readonly options: {
      connection: ConnectionOptions;
      queue?: string;
      prefix?: string;
      concurrency?: number;
      retry?: RetryPolicy;
      /** Lock lifetime of an active job (renewed at half of it while the worker lives); BullMQ's default is 30 s. */
      lockDurationMs?: number;
      /** How often the worker re-queues jobs whose lock expired (a crashed worker's); BullMQ's default is 30 s. */
      stalledIntervalMs?: number;
    },
  ) {
    this.queue = new Queue(this.queueName, { connection: options.connection, prefix: options.prefix ?? 'attest' });
    // Errors surface through ping()/enqueue(); an unhandled 'error' event would crash the process.
    this.queue.on('error', () => undefined);
  }

  get queueName(): string {
    return this.options.queue ?? 'default';
  }

  /** The underlying BullMQ queue, for the scheduler adapter on the same queue. */
  get bullQueue(): Queue {
    return this.queue;
  }

  register<Data extends Record<string, unknown>>(name: string, handler: JobHandler<Data>, options: HandlerOptions<Data> = {}): void {
    this.handlers.set(name, handler as unknown as JobHandler);
    if (options.onAbandoned) this.abandonHooks.set(name, options.onAbandoned as unknown as NonNullable<HandlerOptions['onAbandoned']>);
    else this.abandonHooks.delete(name);
  }

  async enqueue(name: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    const retry = this.options.retry ?? DEFAULT_RETRY_POLICY;
    const maxAttempts = options.maxAttempts ?? retry.maxAttempts;
    const id = await this.records.create(this.queueName, name, data, options, maxAttempts);
    const payload: JobPayload = { name, data, requestId: options.requestId };
    await withDeadline(this.queue.add(name, payload, {
      jobId: id,
      attempts: maxAttempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    }), ENQUEUE_DEADLINE_MS);
    return id;
  }

  async startWorker(): Promise<void> {
    if (this.worker) return;
    this.worker = new Worker(this.queueName, (job) => this.process(job), {
      connection: this.options.connection,
      prefix: this.options.prefix ?? 'attest',
      concurrency: this.options.concurrency ?? 2,
      ...(this.options.lockDurationMs === undefined ? {} : { lockDuration: this.options.lockDurationMs }),
      ...(this.options.stalledIntervalMs === undefined ? {} : { stalledInterval: this.options.stalledIntervalMs }),
    });
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (job, error) => {
      if (job) void this.recordAbandoned(job, error).catch(() => undefined);
    });
    await this.worker.waitUntilReady();
  }

  /**
   * A job that BullMQ fails for good without our handler having failed it (its
   * worker died mid-run more often than the stall limit allows) would otherwise
   * stay `active` in the job records forever: record the failure and tell the handler's owner.
   */
  private async recordAbandoned(job: Job, error: Error): Promise<void> {
    const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final || !job.id) return;
    const record = await this.records.get(job.id);
    // Failures that reached runAttempt are recorded there (queued or failed); only an attempt that never ended is still active.
    if (record?.state !== 'active') return;
    const summary = { code: 'INTERNAL', message: `the job was abandoned after its worker stopped while running it (${error.message})` };
    const payload = job.data as JobPayload;
    // The owner's bookkeeping first, so that whoever sees the job failed also sees its consequences.
    await this.abandonHooks.get(payload.name)?.(payload.data, summary);
    await this.records.fail(job.id, summary, true);
  }

  private async process(job: Job): Promise<unknown> {
    const payload = job.data as JobPayload;
    const id = job.id ?? '';
    const handler = this.handlers.get(payload.name);
    if (!handler) throw new UnrecoverableError(`no handler registered for job "${payload.name}"`);
    const maxAttempts = job.opts.attempts ?? 1;
    const attempt = job.attemptsMade + 1;
    // Scheduled jobs (job schedulers) have no record yet: create it on first sight.
    if (!(await this.records.get(id))) await this.records.create(this.queueName, payload.name, payload.data, { jobId: id }, maxAttempts);
    const controller = new AbortController();
    const outcome = await runAttempt(this.records, handler, { id, data: payload.data, requestId: payload.requestId }, attempt, maxAttempts, controller.signal);
    if (outcome.ok) return undefined;
    const message = `${outcome.error?.code}: ${outcome.error?.message}`;
    throw outcome.final ? new UnrecoverableError(message) : new Error(message);
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const [oldest] = await this.queue.getJobs(['waiting'], 0, 0, true);
    return {
      waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      oldestWaitingAgeMs: oldest ? Date.now() - oldest.timestamp : 0,
    };
  }

  async ping(): Promise<void> {
    await withDeadline(this.queue.getJobCounts('waiting'), 2_000);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
