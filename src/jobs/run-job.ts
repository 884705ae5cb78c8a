import { runAsBackgroundWork } from '../core/background-work';
import { isAppError, toAppError } from '../core/errors';
import type { JobRecords } from './job-records';
import type { JobContext, JobHandler } from './ports';

export interface AttemptOutcome {
  ok: boolean;
  /** true when no further attempt should be made. */
  final: boolean;
  error?: { code: string; message: string };
}

/**
 * One attempt of a job, the same for every adapter: records state and progress,
 * classifies the failure (an error that retrying cannot fix ends the job now).
 */
export function runAttempt(
  records: JobRecords,
  handler: JobHandler,
  job: { id: string; data: Record<string, unknown>; requestId?: string | undefined },
  attempt: number,
  maxAttempts: number,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  // A job is background work: where it competes with answers (PGlite's one connection), it gives way.
  return runAsBackgroundWork(async () => {
    await records.markActive(job.id, attempt);
    const context: JobContext = {
      jobId: job.id,
      attempt,
      maxAttempts,
      requestId: job.requestId,
      signal,
      progress: (progress) => records.progress(job.id, progress),
    };
    try {
      const result = await handler(job.data, context);
      await records.complete(job.id, result ?? undefined);
      return { ok: true, final: true };
    } catch (thrown) {
      const error = toAppError(thrown);
      // Unknown errors (a dropped connection, a crash in a dependency) may pass on retry; typed ones say.
      const retryable = isAppError(thrown) ? thrown.isRetryable : true;
      const final = !retryable || attempt >= maxAttempts || signal.aborted;
      const summary = { code: error.code, message: error.message };
      await records.fail(job.id, summary, final);
      return { ok: false, final, error: summary };
    }
  });
}

export function backoffDelay(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}
