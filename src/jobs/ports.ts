import type { Db } from '../core/db/client';

/**
 * Job queue port. Job state lives in the `jobs` table (the API reads it for
 * GET /v1/jobs/:id whatever transport carried the job); an adapter only moves
 * jobs to handlers: BullMQ on Redis, or an in-process runner.
 */

export interface JobProgress {
  stage: string;
  done: number;
  total: number;
}

export interface JobContext {
  jobId: string;
  /** 1-based attempt number. */
  attempt: number;
  maxAttempts: number;
  requestId?: string | undefined;
  signal: AbortSignal;
  progress(progress: JobProgress): Promise<void>;
}

export type JobHandler<Data = Record<string, unknown>> = (data: Data, context: JobContext) => Promise<Record<string, unknown> | void>;

export interface HandlerOptions<Data = Record<string, unknown>> {
  /**
   * Called once when the transport gives up on a job that its handler never
   * failed: BullMQ fails a job whose worker died mid-run (lock lost) more often
   * than its stall limit allows. No attempt ended in the handler, so the
   * handler's own failure bookkeeping (a version's status) happens here.
   */
  onAbandoned?: (data: Data, error: { code: string; message: string }) => Promise<void>;
}

export interface EnqueueOptions {
  tenantId?: string | undefined;
  /** Deterministic id: enqueueing the same id twice is a no-op. */
  jobId?: string;
  maxAttempts?: number;
  requestId?: string | undefined;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  oldestWaitingAgeMs: number;
}

export interface JobQueue {
  readonly kind: 'inline' | 'bullmq';
  register<Data extends Record<string, unknown>>(name: string, handler: JobHandler<Data>, options?: HandlerOptions<Data>): void;
  enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<string>;
  /**
   * Writes the job's record through `db` (a caller's transaction: the outbox) without handing it to the transport;
   * `enqueue` with the same id after the commit hands it over. Returns the job id.
   */
  record(db: Db, name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<string>;
  /** Whether the transport holds the job to run (waiting, delayed, retrying or running); false when it lost or ended it. */
  isLive(jobId: string): Promise<boolean>;
  /** Starts consuming (API processes on BullMQ only enqueue; workers consume). */
  startWorker(): Promise<void>;
  depth(): Promise<QueueDepth>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ScheduleSpec {
  id: string;
  cron: string;
  timezone: string;
  jobName: string;
  data: Record<string, unknown>;
}

export interface Scheduler {
  upsert(spec: ScheduleSpec): Promise<void>;
  remove(id: string): Promise<void>;
  close(): Promise<void>;
}

export interface RetryPolicy {
  maxAttempts: number;
  /** Base delay of exponential backoff between attempts. */
  backoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, backoffMs: 1_000 };
