import type { Db } from '../core/db/client';
import type { JobRecords } from './job-records';
import { backoffDelay, runAttempt } from './run-job';
import { DEFAULT_RETRY_POLICY, type EnqueueOptions, type JobHandler, type JobQueue, type QueueDepth, type RetryPolicy } from './ports';

interface Pending {
  id: string;
  name: string;
  data: Record<string, unknown>;
  attempt: number;
  maxAttempts: number;
  requestId?: string | undefined;
}

/**
 * In-process queue for the embedded default: same handlers, same retries and
 * records as BullMQ, no Redis. Jobs left unfinished by a crash are picked up
 * again from the jobs table when the worker starts.
 */
export class InlineJobQueue implements JobQueue {
  readonly kind = 'inline' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly ready: Pending[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  /** Ids of the jobs waiting, running or waiting for a retry here. */
  private readonly live = new Set<string>();
  private readonly controller = new AbortController();
  private started = false;
  private closed = false;

  constructor(
    private readonly records: JobRecords,
    private readonly options: { queue?: string; concurrency?: number; retry?: RetryPolicy } = {},
  ) {}

  private get queueName(): string {
    return this.options.queue ?? 'default';
  }

  register<Data extends Record<string, unknown>>(name: string, handler: JobHandler<Data>): void {
    this.handlers.set(name, handler as unknown as JobHandler);
  }

  async enqueue(name: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    const maxAttempts = this.maxAttempts(options);
    const id = await this.records.create(this.queueName, name, data, options, maxAttempts);
    // Enqueueing an id this process already holds is a no-op, as on BullMQ (the recovery sweep may re-enqueue it).
    if (this.live.has(id)) return id;
    this.live.add(id);
    this.ready.push({ id, name, data, attempt: 1, maxAttempts, requestId: options.requestId });
    this.pump();
    return id;
  }

  async record(db: Db, name: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    return this.records.create(this.queueName, name, data, options, this.maxAttempts(options), db);
  }

  async isLive(jobId: string): Promise<boolean> {
    return this.live.has(jobId);
  }

  private maxAttempts(options: EnqueueOptions): number {
    return options.maxAttempts ?? this.options.retry?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts;
  }

  async startWorker(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const queued = new Set(this.ready.map((job) => job.id));
    for (const row of await this.records.unfinished(this.queueName)) {
      if (queued.has(row.id)) continue;
      this.live.add(row.id);
      this.ready.push({ id: row.id, name: row.name, data: row.data, attempt: row.attempts + 1, maxAttempts: Math.max(row.maxAttempts, row.attempts + 1), requestId: row.requestId ?? undefined });
    }
    this.pump();
  }

  private pump(): void {
    if (!this.started || this.closed) return;
    const concurrency = this.options.concurrency ?? 2;
    while (this.running.size < concurrency && this.ready.length > 0) {
      const job = this.ready.shift();
      if (!job) break;
      const run = this.execute(job).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async execute(job: Pending): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) {
      this.live.delete(job.id);
      await this.records.fail(job.id, { code: 'INTERNAL', message: `no handler registered for job "${job.name}"` }, true);
      return;
    }
    const outcome = await runAttempt(this.records, handler, job, job.attempt, job.maxAttempts, this.controller.signal).catch(() => ({ ok: false, final: false }));
    if (outcome.final || this.closed) {
      this.live.delete(job.id);
      return;
    }
    const delay = backoffDelay(this.options.retry?.backoffMs ?? DEFAULT_RETRY_POLICY.backoffMs, job.attempt);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.ready.push({ ...job, attempt: job.attempt + 1 });
      this.pump();
    }, delay);
    this.timers.add(timer);
  }

  async depth(): Promise<QueueDepth> {
    return this.records.depth(this.queueName);
  }

  async ping(): Promise<void> {}

  /** Stops taking work and waits for running attempts; unfinished jobs resume at next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  /** Resolves when nothing is running or waiting (tests and CLI tools). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.ready.length > 0 || this.timers.size > 0) {
      await Promise.race([...this.running, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
  }
}
