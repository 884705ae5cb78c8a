import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../core/db/client';
import { jobs, type JobRow } from '../core/db/schema';
import { AppError } from '../core/errors';
import type { EnqueueOptions, JobProgress } from './ports';

/** The persistent side of every job: what GET /v1/jobs/:id reads. */
const PROGRESS_INTERVAL_MS = 250;

export class JobRecords {
  private readonly lastProgress = new Map<string, { stage: string; at: number }>();
  private readonly startedAt = new Map<string, number>();
  /** The latest progress not yet written, kept so a failure still records how far the job got. */
  private readonly pending = new Map<string, JobProgress>();
  private readonly flushTimers = new Map<string, NodeJS.Timeout>();
  /**
   * Each job's writes, one after another. On PostgreSQL two writes issued in turn can run on two pooled
   * connections and commit the other way round: a deferred progress flush ("chunk") landed after the next
   * stage's write ("embed"), and the job read as still chunking while it waited on the embedding provider.
   */
  private readonly writeChains = new Map<string, Promise<void>>();

  constructor(private readonly db: Db) {}

  /** Updates the job's row after its earlier updates have finished. */
  private update(id: string, values: PgUpdateSetSource<typeof jobs>): Promise<void> {
    const previous = this.writeChains.get(id) ?? Promise.resolve();
    const done = previous.then(() => this.db.update(jobs).set(values).where(eq(jobs.id, id))).then(() => undefined);
    const settled = done.catch(() => undefined);
    this.writeChains.set(id, settled);
    void settled.then(() => {
      if (this.writeChains.get(id) === settled) this.writeChains.delete(id);
    });
    return done;
  }

  /** `db`: a caller's transaction, for a record committed with the caller's rows (an outbox). */
  async create(queue: string, name: string, data: Record<string, unknown>, options: EnqueueOptions, maxAttempts: number, db: Db = this.db): Promise<string> {
    const id = options.jobId ?? randomUUID();
    await db
      .insert(jobs)
      .values({ id, queue, name, data, tenantId: options.tenantId ?? null, maxAttempts, requestId: options.requestId ?? null })
      .onConflictDoNothing({ target: jobs.id });
    return id;
  }

  async get(id: string): Promise<JobRow | undefined> {
    const [row] = await this.db.select().from(jobs).where(eq(jobs.id, id));
    return row;
  }

  async getForTenant(id: string, tenantId: string): Promise<JobRow> {
    const [row] = await this.db.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.tenantId, tenantId)));
    if (!row) throw new AppError('JOB_NOT_FOUND', `job ${id} not found`);
    return row;
  }

  /**
   * The record counts attempts itself: a transport's own count starts over when a job is run again after its
   * worker died (BullMQ's attemptsMade counts failures only) or after Redis lost it, and the job read `attempts: 1`
   * after it had run twice. `attempt` is the transport's number, a floor.
   */
  async markActive(id: string, attempt: number): Promise<void> {
    this.startedAt.set(id, Date.now());
    this.pending.delete(id);
    await this.update(id, { state: 'active', attempts: sql`greatest(${jobs.attempts} + 1, ${attempt})`, error: null, updatedAt: new Date() });
  }

  /**
   * Progress is advisory and frequent: a write happens on a stage change, at the
   * end of a stage, or at most every PROGRESS_INTERVAL_MS within one.
   */
  async progress(id: string, progress: JobProgress): Promise<void> {
    const last = this.lastProgress.get(id);
    const now = Date.now();
    const started = this.startedAt.get(id) ?? now;
    // A job that finishes within the first interval (most small documents) never needs a progress row;
    // one still running when the interval ends gets its latest progress written then.
    if (now - started < PROGRESS_INTERVAL_MS) {
      this.pending.set(id, progress);
      if (!this.flushTimers.has(id)) {
        const timer = setTimeout(() => {
          this.flushTimers.delete(id);
          const latest = this.pending.get(id);
          if (latest) void this.progress(id, latest).catch(() => undefined);
        }, started + PROGRESS_INTERVAL_MS - now);
        timer.unref();
        this.flushTimers.set(id, timer);
      }
      return;
    }
    this.pending.delete(id);
    const sameStage = last?.stage === progress.stage;
    if (sameStage && progress.done < progress.total && now - last.at < PROGRESS_INTERVAL_MS) return;
    this.lastProgress.set(id, { stage: progress.stage, at: now });
    await this.update(id, { progress, updatedAt: new Date() });
  }

  async complete(id: string, result: Record<string, unknown> | undefined): Promise<void> {
    const progress = this.pending.get(id);
    this.forget(id);
    if (progress) {
      await this.update(id, { state: 'completed', progress, result: result ?? null, updatedAt: new Date() });
      return;
    }
    await this.update(id, { state: 'completed', result: result ?? null, updatedAt: new Date() });
  }

  /** A failed attempt that will be retried goes back to queued with its last error visible. */
  private forget(id: string): void {
    clearTimeout(this.flushTimers.get(id));
    this.flushTimers.delete(id);
    this.lastProgress.delete(id);
    this.startedAt.delete(id);
    this.pending.delete(id);
  }

  async fail(id: string, error: { code: string; message: string }, final: boolean): Promise<void> {
    const progress = this.pending.get(id);
    if (final) this.forget(id);
    if (progress) await this.update(id, { progress });
    await this.update(id, { state: final ? 'failed' : 'queued', error, updatedAt: new Date() });
  }

  async unfinished(queue: string): Promise<JobRow[]> {
    return this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.queue, queue), inArray(jobs.state, ['queued', 'active'])))
      .orderBy(asc(jobs.createdAt));
  }

  async depth(queue: string): Promise<{ waiting: number; active: number; oldestWaitingAgeMs: number }> {
    const rows = await this.db
      .select({
        state: jobs.state,
        count: sql<number>`count(*)::int`,
        oldest: sql<string | null>`min(${jobs.createdAt})`,
      })
      .from(jobs)
      .where(and(eq(jobs.queue, queue), inArray(jobs.state, ['queued', 'active'])))
      .groupBy(jobs.state);
    const waiting = rows.find((row) => row.state === 'queued');
    const active = rows.find((row) => row.state === 'active');
    const oldest = waiting?.oldest ? new Date(waiting.oldest).getTime() : undefined;
    return { waiting: Number(waiting?.count ?? 0), active: Number(active?.count ?? 0), oldestWaitingAgeMs: oldest ? Date.now() - oldest : 0 };
  }
}
