import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Db } from '../core/db/client';
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
/** How often a worker looks for jobs Redis lost without a reconnect it could see (a failover, a FLUSHALL). */
const RESUBMIT_INTERVAL_MS = 60_000;

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
  /** Jobs this process is running: their records say active, whatever Redis still knows about them. */
  private readonly running = new Set<string>();
  private resubmitting: Promise<number> | undefined;
  private resubmitTimer: NodeJS.Timeout | undefined;
  /** False from a dropped connection until the next ready: commands would only queue up in ioredis meanwhile. */
  private connected = true;

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
      /** How often a worker re-adds jobs Redis lost (besides after every reconnect); 0 turns the timer off. */
      resubmitIntervalMs?: number;
    },
  ) {
    this.queue = new Queue(this.queueName, { connection: options.connection, prefix: options.prefix ?? 'attest' });
    // Errors surface through ping()/enqueue(); an unhandled 'error' event would crash the process.
    this.queue.on('error', () => undefined);
    const connection = this.queue.getBackend().connection;
    connection.on('close', () => {
      this.connected = false;
    });
    // A reconnect may be to a Redis that restarted empty: look for the jobs it lost (API processes and workers alike,
    // so that a job whose upload failed fast while Redis was down is re-added by whichever process reconnects last).
    connection.on('ready', () => {
      const reconnected = !this.connected;
      this.connected = true;
      if (reconnected) void this.resubmitLost().catch(() => undefined);
    });
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
    // Recorded, so resubmitLost() adds it once Redis is back; the caller learns now instead of after the deadline.
    this.ensureConnected();
    await withDeadline(this.add(id, { name, data, requestId: options.requestId }, maxAttempts), ENQUEUE_DEADLINE_MS);
    return id;
  }

  async record(db: Db, name: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    return this.records.create(this.queueName, name, data, options, options.maxAttempts ?? (this.options.retry ?? DEFAULT_RETRY_POLICY).maxAttempts, db);
  }

  /** Running here, or held by Redis in any state but completed or failed. Throws QUEUE_UNAVAILABLE while Redis is down. */
  async isLive(jobId: string): Promise<boolean> {
    if (this.running.has(jobId)) return true;
    this.ensureConnected();
    const job = await withDeadline(this.queue.getJob(jobId), ENQUEUE_DEADLINE_MS);
    if (!job) return false;
    const state = await withDeadline(job.getState(), ENQUEUE_DEADLINE_MS);
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
  }

  private ensureConnected(): void {
    if (!this.connected) throw new AppError('QUEUE_UNAVAILABLE', 'the job queue (Redis) is unreachable');
  }

  /** Adds a job under its record's id; a no-op while Redis holds a job with that id. */
  private add(id: string, payload: JobPayload, maxAttempts: number): Promise<unknown> {
    const retry = this.options.retry ?? DEFAULT_RETRY_POLICY;
    return this.queue.add(payload.name, payload, {
      jobId: id,
      attempts: maxAttempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /**
   * Re-adds jobs that their records say are unfinished but Redis no longer holds.
   * A Redis restarted without persistence (or failed over to a replica that had
   * not caught up) comes back without its waiting jobs, and nothing would ever
   * run them again; the records in PostgreSQL are the truth. Left alone: jobs
   * Redis still has (queued, delayed, active) and jobs running in this process.
   * A job recorded active elsewhere is taken only once its record has been silent
   * for two lock lifetimes, as a live worker would have moved it on by then; if
   * that worker is in fact still running it, the handlers are idempotent (a
   * version's rows are upserted and replaced by id), so the cost is the work.
   * Returns how many jobs were re-added.
   */
  async resubmitLost(): Promise<number> {
    this.resubmitting ??= (async () => {
      try {
        const lockMs = this.options.lockDurationMs ?? 30_000;
        let count = 0;
        for (const record of await this.records.unfinished(this.queueName)) {
          if (this.running.has(record.id)) continue;
          if (record.state === 'active' && Date.now() - record.updatedAt.getTime() < 2 * lockMs) continue;
          if (await this.queue.getJob(record.id)) continue;
          await this.add(record.id, { name: record.name, data: record.data as Record<string, unknown>, requestId: record.requestId ?? undefined }, record.maxAttempts);
          count += 1;
        }
        return count;
      } finally {
        this.resubmitting = undefined;
      }
    })();
    return this.resubmitting;
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
    // Besides after each reconnect (see the constructor), now and then: Redis can lose jobs without a disconnect.
    const every = this.options.resubmitIntervalMs ?? RESUBMIT_INTERVAL_MS;
    if (every > 0) {
      this.resubmitTimer = setInterval(() => void this.resubmitLost().catch(() => undefined), every);
      this.resubmitTimer.unref();
    }
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
    this.running.add(id);
    let outcome;
    try {
      outcome = await runAttempt(this.records, handler, { id, data: payload.data, requestId: payload.requestId }, attempt, maxAttempts, controller.signal);
    } finally {
      this.running.delete(id);
    }
    if (outcome.ok) return undefined;
    const message = `${outcome.error?.code}: ${outcome.error?.message}`;
    throw outcome.final ? new UnrecoverableError(message) : new Error(message);
  }

  async depth(): Promise<QueueDepth> {
    this.ensureConnected();
    // Without a deadline this waits for Redis to come back (commands queue while it is down), and so would an upload.
    const [counts, [oldest]] = await withDeadline(
      Promise.all([this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'), this.queue.getJobs(['waiting'], 0, 0, true)]),
      ENQUEUE_DEADLINE_MS,
    );
    return {
      waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      oldestWaitingAgeMs: oldest ? Date.now() - oldest.timestamp : 0,
    };
  }

  async ping(): Promise<void> {
    this.ensureConnected();
    await withDeadline(this.queue.getJobCounts('waiting'), 2_000);
  }

  async close(): Promise<void> {
    clearInterval(this.resubmitTimer);
    await this.worker?.close();
    await this.queue.close();
  }
}
